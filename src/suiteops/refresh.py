"""Refresh cached queries: stream each query's pages from NetSuite into a new cache snapshot.

Single flight: one refresh at a time per data_dir, by an exclusive non-blocking `fcntl.flock` on
`data_dir/refresh.lock` (the kernel drops it when the holder dies, so a killed refresh never
leaves a stale lock). Who holds it (pid, start time, queries) is in `refresh.lock.json` beside
it, for the message of `RefreshInProgress`.

Incremental refresh. A query may be refreshed incrementally when it declares a key, an
`incremental` output column (when the row last changed) and an optional `modified_after`
datetime parameter that its WHERE clause uses to return only rows changed after that moment,
e.g. `AND (t.lastmodifieddate > :modified_after OR :modified_after IS NULL)`. The watermark is the
largest incremental value in the published snapshot — NetSuite's own clock, not ours — and the
query is run with `modified_after = watermark - OVERLAP`. The overlap (1 hour) covers rows
committed late with an earlier lastmodifieddate and clock differences between NetSuite servers;
re-fetching a few rows twice is harmless because the merge is by key. The new snapshot is the
previous one with the delta's keys replaced (see `suiteops.cache.writer`).

Rows changing while a result is paged by offset (the client detects it: `InconsistentResult`):
the rows written so far are dropped and the result is read again by key through
`SuiteQLClient.fetch`, which is consistent under change; a query without a key fails instead.

Which queries may be incremental: only those whose rows never leave the result except by being
deleted — a delta cannot say that a row stopped matching (a query that filters on mutable state,
such as "still pending fulfillment", would keep rows that left the filter). Even then a full
refresh runs when the last full one is older than `FULL_EVERY`, so deleted rows disappear within
a day, and whenever the query's version, checksum, parameters or account changed.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from suiteops.cache import RunMode, RunRecord
from suiteops.cache.records import now_utc, params_json, to_text, utc
from suiteops.cache.writer import SnapshotWriter
from suiteops.catalog import QuerySpec
from suiteops.errors import CacheError, RefreshInProgress, SuiteOpsError
from suiteops.models import ColumnType
from suiteops.netsuite.client import SuiteQLClient
from suiteops.netsuite.paging import InconsistentResult, Progress

if TYPE_CHECKING:
    from suiteops.services import Services

LOCK_NAME = "refresh.lock"
WATERMARK_PARAM = "modified_after"
OVERLAP = timedelta(hours=1)
FULL_EVERY = timedelta(hours=24)
RETRY_AFTER = timedelta(minutes=5)
PAGE_ROWS = 1000  # rows per append when the fallback re-read arrives as one result


@dataclass(frozen=True)
class QueryProgress:
    """Progress of one query within a refresh, for progress bars."""

    query: str
    position: int
    count: int
    mode: RunMode
    progress: Progress | None
    done: RunRecord | None = None


ProgressCallback = Callable[[QueryProgress], None]
Reporter = Callable[[RunMode, Progress | None, RunRecord | None], None]


@dataclass(frozen=True)
class RunPlan:
    """How one query will be refreshed: mode, bound parameters and why."""

    mode: RunMode
    params: dict[str, Any]
    reason: str


def refresh(
    services: Services,
    names: Sequence[str] | None = None,
    *,
    full: bool = False,
    on_progress: ProgressCallback | None = None,
    now: datetime | None = None,
) -> list[RunRecord]:
    """Refresh the named (default: every cached) query; return one finished run per query.

    A query that fails is recorded as failed and the others still run; KeyboardInterrupt stops
    the refresh (the current run is recorded as interrupted). Raises RefreshInProgress when
    another refresh holds the lock, CacheError for an unknown or live query name.
    """
    specs = select_specs(services, names)
    moment = utc(now or now_utc())
    with single_flight(services.settings.data_dir, [s.name for s in specs]):
        services.cache.ledger.reap()
        with services.client() as client:
            return [
                refresh_one(services, client, spec, full=full, now=moment,
                            report=_reporter(on_progress, spec.name, i, len(specs)))
                for i, spec in enumerate(specs, 1)
            ]  # fmt: skip


def stale(services: Services, now: datetime | None = None) -> list[str]:
    """Names of cached queries due for refresh: never refreshed or older than their interval.

    A query whose newest run failed less than `RETRY_AFTER` ago is not due yet, so a schedule
    (the dashboard refreshes what is due on each rerun) does not hammer a failing query.
    """
    moment = utc(now or now_utc())
    due = []
    for spec in services.catalog.values():
        if spec.live or _backing_off(services, spec.name, moment):
            continue
        snap = services.cache.read(spec.name)
        if snap is None or snap.age_at(moment) > (spec.refresh or timedelta(0)):
            due.append(spec.name)
    return due


def _backing_off(services: Services, name: str, now: datetime) -> bool:
    last = services.cache.last_run(name)
    if last is None or last.ok or last.finished is None:
        return False
    return now - last.finished < RETRY_AFTER


def select_specs(services: Services, names: Sequence[str] | None) -> list[QuerySpec]:
    """The specs to refresh: the named ones (checked) or every cached one."""
    catalog = services.catalog
    if not names:
        return [s for s in catalog.values() if not s.live]
    unknown = [n for n in names if n not in catalog]
    if unknown:
        known = ", ".join(n for n, s in catalog.items() if not s.live)
        raise CacheError(f"unknown query {', '.join(unknown)} (cached queries: {known})")
    live = [n for n in names if catalog[n].live]
    if live:
        raise CacheError(f"{', '.join(live)}: live query, run on demand and never cached")
    return [catalog[n] for n in dict.fromkeys(names)]


def refresh_one(
    services: Services,
    client: SuiteQLClient,
    spec: QuerySpec,
    *,
    full: bool,
    now: datetime,
    report: Reporter,
) -> RunRecord:
    """Run one query through the client into a new snapshot; the finished run either way.

    Any failure of this query (planning, paging, a bad row) is recorded as a failed run and
    returned, so the caller can go on with the next query.
    """
    try:
        plan = plan_run(services, spec, full=full, now=now)
        sql = spec.sql(services.settings.fields)
    except SuiteOpsError as exc:
        record = services.cache.record_failure(spec, account=services.endpoint.account, error=exc)
        report(RunMode.FULL, None, record)
        return record
    record = _write(services, client, spec, sql, plan, report)
    report(plan.mode, None, record)
    return record


def _write(
    services: Services,
    client: SuiteQLClient,
    spec: QuerySpec,
    sql: str,
    plan: RunPlan,
    report: Reporter,
) -> RunRecord:
    writer = services.cache.writer(
        spec, params=plan.params, account=services.endpoint.account, mode=plan.mode
    )
    try:
        with writer:
            report(plan.mode, None, None)
            try:
                _stream(client, spec, sql, plan, writer, report)
            except InconsistentResult:
                if not spec.key:
                    raise
                writer.reset()
                _fetch_by_key(client, spec, sql, plan, writer, report)
            return writer.commit()
    except Exception as exc:  # the writer recorded the failed run; the next query still runs
        if writer.failed is None:
            return services.cache.record_failure(
                spec, account=services.endpoint.account, error=exc, params=plan.params
            )
        return writer.failed


def _stream(
    client: SuiteQLClient,
    spec: QuerySpec,
    sql: str,
    plan: RunPlan,
    writer: SnapshotWriter,
    report: Reporter,
) -> None:
    def progress(p: Progress) -> None:
        writer.retries = p.retries
        report(plan.mode, p, None)

    pages = client.pages(
        sql, plan.params, key=spec.key, columns=spec.columns, param_types=spec.param_types,
        name=spec.name, on_progress=progress,
    )  # fmt: skip
    for page in pages:
        writer.append(page.rows)


def _fetch_by_key(
    client: SuiteQLClient,
    spec: QuerySpec,
    sql: str,
    plan: RunPlan,
    writer: SnapshotWriter,
    report: Reporter,
) -> None:
    """The fallback when rows changed under offset paging: `fetch` re-reads the result by key
    (consistent under change). It holds that one result in memory: a rare path, traded for a
    correct snapshot."""

    def progress(p: Progress) -> None:
        report(plan.mode, p, None)

    result = client.fetch(
        sql, plan.params, key=spec.key, columns=spec.columns, param_types=spec.param_types,
        name=spec.name, on_progress=progress,
    )  # fmt: skip
    for start in range(0, len(result.rows), PAGE_ROWS):
        writer.append(result.rows[start : start + PAGE_ROWS])
    writer.retries = result.retries


def plan_run(services: Services, spec: QuerySpec, *, full: bool, now: datetime) -> RunPlan:
    """Decide full or incremental for `spec` and bind its parameters."""
    base = spec.bind({}, now.date())
    why_full = _full_reason(services, spec, base, full, now)
    if why_full:
        return RunPlan(RunMode.FULL, base, why_full)
    snap = services.cache.read(spec.name)
    assert snap is not None
    mark = snap.query(f'SELECT max("{spec.incremental}") AS w FROM rows')["w"].iloc[0]
    if mark is None or str(mark) in {"NaT", "nan"}:
        return RunPlan(RunMode.FULL, base, "the snapshot has no watermark")
    after = watermark_param(mark, spec.param_types[WATERMARK_PARAM])
    return RunPlan(RunMode.INCREMENTAL, base | {WATERMARK_PARAM: after}, f"changed after {after}")


def watermark_param(mark: Any, kind: ColumnType) -> datetime | date:
    """The `modified_after` value for a watermark: watermark − OVERLAP, typed like the param."""
    moment = mark.to_pydatetime() if hasattr(mark, "to_pydatetime") else mark
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, datetime.min.time())
    after = moment.replace(tzinfo=None) - OVERLAP
    return after.date() if kind is ColumnType.DATE else after


def _full_reason(
    services: Services, spec: QuerySpec, base: dict[str, Any], full: bool, now: datetime
) -> str | None:
    if full:
        return "full refresh requested"
    if not (spec.incremental and spec.key and WATERMARK_PARAM in spec.param_types):
        return "the query is not incremental"
    snap = services.cache.read(spec.name)
    if snap is None:
        return "no published snapshot yet"
    meta = snap.meta
    if (meta.version, meta.checksum, meta.account) != (
        spec.version, spec.checksum, services.endpoint.account
    ):  # fmt: skip
        return "the query or account changed since the last snapshot"
    if _without_watermark(meta.params) != _without_watermark(params_json(base)):
        return "the parameters changed since the last snapshot"
    last_full = next((r for r in services.cache.runs(spec.name, 500)
                      if r.ok and r.mode is RunMode.FULL), None)  # fmt: skip
    if last_full is None or now - (last_full.finished or last_full.started) > FULL_EVERY:
        return f"the last full refresh is older than {FULL_EVERY}"
    return None


def _without_watermark(params: str) -> dict[str, Any]:
    values = json.loads(params)
    values.pop(WATERMARK_PARAM, None)
    return values


def _reporter(callback: ProgressCallback | None, name: str, position: int, count: int) -> Reporter:
    def report(mode: RunMode, progress: Progress | None, done: RunRecord | None) -> None:
        if callback is not None:
            callback(QueryProgress(name, position, count, mode, progress, done))

    return report


@contextmanager
def single_flight(data_dir: Path, names: Sequence[str]) -> Iterator[None]:
    """Hold the refresh lock of `data_dir`, or raise RefreshInProgress naming the holder."""
    data_dir.mkdir(parents=True, exist_ok=True)
    lock_path, info_path = data_dir / LOCK_NAME, data_dir / f"{LOCK_NAME}.json"
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RefreshInProgress(_holder_message(info_path)) from None
        try:
            info = {"pid": os.getpid(), "started": to_text(now_utc()), "queries": list(names)}
            info_path.write_text(json.dumps(info), encoding="utf-8")
            yield
        finally:
            info_path.unlink(missing_ok=True)
            fcntl.flock(handle, fcntl.LOCK_UN)


def _holder_message(info_path: Path) -> str:
    try:
        info = json.loads(info_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "another refresh is already running (holder unknown); try again when it ends"
    queries = ", ".join(info.get("queries", [])) or "?"
    return (
        f"another refresh is already running (pid {info.get('pid')}, started "
        f"{info.get('started')}, queries: {queries}); try again when it ends"
    )
