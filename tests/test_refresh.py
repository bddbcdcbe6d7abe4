"""Refresh against a real emulator over HTTP: full, incremental, faults, interruption, locking."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from cache.emulated import environment, settings_for, write_queries

from suiteops.cache import RunMode, RunRecord, RunStatus
from suiteops.catalog import ParamSpec, update_lock
from suiteops.emulator.faults import FaultRates
from suiteops.errors import CacheError, RefreshInProgress
from suiteops.models import ColumnType
from suiteops.refresh import (
    OVERLAP,
    RETRY_AFTER,
    QueryProgress,
    plan_run,
    refresh,
    refresh_one,
    single_flight,
    stale,
    watermark_param,
)
from suiteops.services import Services, open_services

SO_COUNT = "SELECT count(*) FROM transaction WHERE type = 'SalesOrd'"


@pytest.fixture
def emu(emulator_factory: Callable[..., object]) -> object:
    return emulator_factory(scale="tiny")


@pytest.fixture
def services(emu: object, tmp_path: Path) -> Services:
    queries = write_queries(tmp_path / "queries")
    opened = open_services(settings_for(emu, tmp_path / "data", queries, max_attempts=2,
                                        retry_budget=2.0))  # fmt: skip
    yield opened
    opened.close()


def test_full_refresh_caches_every_row_with_provenance(services: Services, emu: object) -> None:
    (run,) = refresh(services, ["sales_orders"])
    assert run.status is RunStatus.OK and run.mode is RunMode.FULL, run.error
    expected = emu.sql(SO_COUNT)[0][0]  # type: ignore[attr-defined]
    assert run.rows == expected and run.pages == -(-expected // 1000)
    assert run.account == services.endpoint.account and run.version == 1
    snap = services.cache.read("sales_orders")
    assert snap is not None and snap.meta.run_id == run.run_id
    cached = snap.query("SELECT so_id, total FROM rows ORDER BY so_id")
    truth = emu.sql(  # type: ignore[attr-defined]
        "SELECT id, foreigntotal FROM transaction WHERE type = 'SalesOrd' ORDER BY id"
    )
    assert [(int(a), float(b)) for a, b in cached.itertuples(index=False)] == [
        (a, float(b)) for a, b in truth
    ]
    history = services.cache.history("sales_orders")
    assert history["rows"].sum() == expected


def test_refresh_all_skips_live_queries_and_reports_progress(services: Services) -> None:
    updates: list[QueryProgress] = []
    runs = refresh(services, on_progress=updates.append)
    assert sorted(r.query for r in runs) == ["order_lines", "sales_orders"]
    assert all(r.ok for r in runs)
    done = [u for u in updates if u.done is not None]
    assert [(u.position, u.count) for u in done] == [(1, 2), (2, 2)]
    paging = [u.progress for u in updates if u.progress is not None]
    assert paging and paging[-1].pages_done == paging[-1].pages_total


def test_unknown_and_live_names_are_refused(services: Services) -> None:
    with pytest.raises(CacheError, match="unknown query nope"):
        refresh(services, ["nope"])
    with pytest.raises(CacheError, match="order_lookup: live query"):
        refresh(services, ["order_lookup"])


def _change_orders(emu: object, ids: list[int]) -> None:
    stamp = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    for so_id in ids:
        emu.sql(  # type: ignore[attr-defined]
            "UPDATE transaction SET foreigntotal = foreigntotal + 1, lastmodifieddate = ?"
            " WHERE id = ?",
            [stamp, so_id],
        )


def _copy_order(emu: object, so_id: int, offset: int) -> None:
    """A new sales order (a copy of `so_id` under id + offset), modified now."""
    stamp = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    emu.sql(  # type: ignore[attr-defined]
        "INSERT INTO transaction SELECT * REPLACE (id + ? AS id, tranid || '-NEW' AS tranid,"
        " ? AS lastmodifieddate) FROM transaction WHERE id = ?",
        [offset, stamp, so_id],
    )


def test_incremental_refresh_equals_a_full_refresh(
    services: Services, emu: object, tmp_path: Path
) -> None:
    refresh(services, ["sales_orders"])
    ids = [r[0] for r in emu.sql("SELECT id FROM transaction WHERE type = 'SalesOrd' ORDER BY id")]  # type: ignore[attr-defined]
    _change_orders(emu, ids[::50])
    _copy_order(emu, ids[0], 1_000_000)
    (run,) = refresh(services, ["sales_orders"])
    assert run.mode is RunMode.INCREMENTAL and run.ok, run.error
    assert run.rows == len(ids) + 1
    full_services = open_services(
        settings_for(emu, tmp_path / "full", services.settings.queries_dir)
    )
    (full,) = refresh(full_services, ["sales_orders"])
    order = "SELECT * FROM rows ORDER BY so_id"
    merged = services.cache.read("sales_orders").query(order)  # type: ignore[union-attr]
    fresh = full_services.cache.read("sales_orders").query(order)  # type: ignore[union-attr]
    assert full.mode is RunMode.FULL and merged.equals(fresh)
    full_services.close()


def test_incremental_asks_only_for_rows_changed_since_watermark_minus_overlap(
    services: Services, emu: object
) -> None:
    refresh(services, ["sales_orders"])
    snap = services.cache.read("sales_orders")
    mark = snap.query("SELECT max(last_modified) AS m FROM rows")["m"].iloc[0]  # type: ignore[union-attr]
    (run,) = refresh(services, ["sales_orders"])
    expected = emu.sql(  # type: ignore[attr-defined]
        "SELECT count(*) FROM transaction WHERE type = 'SalesOrd' AND lastmodifieddate >= ?",
        [mark.to_pydatetime() - OVERLAP],
    )[0][0]
    assert run.mode is RunMode.INCREMENTAL and '"modified_after"' in run.params
    assert run.pages == 1 and 0 < expected < run.rows
    assert services.cache.history("sales_orders")["run_id"].nunique() == 2


def test_full_flag_and_changed_params_force_a_full_refresh(services: Services) -> None:
    refresh(services, ["sales_orders"])
    (run,) = refresh(services, ["sales_orders"], full=True)
    assert run.mode is RunMode.FULL
    later = datetime.now(UTC) + timedelta(days=2)
    (run,) = refresh(services, ["sales_orders"], now=later)
    assert run.mode is RunMode.FULL, "the last full refresh is older than a day"


def test_stale_lists_queries_due(services: Services) -> None:
    assert stale(services) == ["order_lines", "sales_orders"]
    refresh(services, ["sales_orders"])
    assert stale(services) == ["order_lines"]
    assert stale(services, datetime.now(UTC) + timedelta(minutes=20)) == [
        "order_lines", "sales_orders",
    ]  # fmt: skip


def test_stale_backs_off_after_a_failed_run(services: Services) -> None:
    refresh(services, ["sales_orders"])
    spec = services.catalog["order_lines"]
    failed = services.cache.record_failure(spec, account="x", error="ServerError: HTTP 500")
    at = failed.finished or failed.started
    assert stale(services, at + timedelta(minutes=1)) == []
    assert stale(services, at + RETRY_AFTER + timedelta(seconds=1)) == ["order_lines"]


def test_second_refresh_is_refused_while_one_holds_the_lock(services: Services) -> None:
    lock = single_flight(services.settings.data_dir, ["order_lines"])
    with lock, pytest.raises(RefreshInProgress) as info:
        refresh(services, ["sales_orders"])
    assert f"pid {os.getpid()}" in str(info.value) and "order_lines" in str(info.value)
    assert refresh(services, ["sales_orders"])[0].ok


def test_failing_pages_publish_nothing_and_record_the_error(
    emulator_factory: Callable[..., object], tmp_path: Path
) -> None:
    emu = emulator_factory(scale="demo")  # order lines fill about 9 pages
    queries = write_queries(tmp_path / "queries")
    settings = settings_for(emu, tmp_path / "data", queries, max_attempts=2, retry_budget=1.0,
                            concurrency=1)  # fmt: skip
    services = open_services(settings)
    (good,) = refresh(services, ["order_lines"])
    assert good.pages > 4

    def break_after_first_page(update: QueryProgress) -> None:
        if update.progress is not None and update.progress.pages_done == 1:
            emu.set_faults(FaultRates(rate_500=1.0))  # type: ignore[attr-defined]

    (bad,) = refresh(services, ["order_lines"], full=True, on_progress=break_after_first_page)
    emu.set_faults(FaultRates())  # type: ignore[attr-defined]
    assert bad.status is RunStatus.FAILED and "500" in (bad.error or "")
    assert bad.snapshot is None
    snap = services.cache.read("order_lines")
    assert snap is not None and snap.meta.run_id == good.run_id
    assert len(snap.frame()) == good.rows
    (status,) = [s for s in services.cache.status(services.catalog, datetime.now(UTC))
                 if s.name == "order_lines"]  # fmt: skip
    assert status.last_status is RunStatus.FAILED and status.rows == good.rows
    services.close()


def test_keyboard_interrupt_marks_the_run_and_releases_the_lock(services: Services) -> None:
    def interrupt(update: QueryProgress) -> None:
        if update.progress is not None:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        refresh(services, ["order_lines"], on_progress=interrupt)
    assert services.cache.read("order_lines") is None
    assert services.cache.runs("order_lines")[0].status is RunStatus.INTERRUPTED
    assert refresh(services, ["order_lines"])[0].ok


KILL_SCRIPT = """
from suiteops.config import load_settings
from suiteops.refresh import refresh
from suiteops.services import open_services
refresh(open_services(load_settings()), ["order_lines"], full=True)
"""


def test_sigkill_midway_keeps_previous_snapshot(
    emulator_factory: Callable[..., object], tmp_path: Path
) -> None:
    emu = emulator_factory(scale="demo")  # order lines fill about 9 pages
    queries = write_queries(tmp_path / "queries")
    settings = settings_for(emu, tmp_path / "data", queries, concurrency=1)
    services = open_services(settings)
    (good,) = refresh(services, ["order_lines"])
    emu.set_latency(300)  # type: ignore[attr-defined]
    env = os.environ | environment(settings)
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT], env=env)
    deadline = time.monotonic() + 30
    while not services.cache.running() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.6)  # a page or so into the run
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    snap = services.cache.read("order_lines")
    assert snap is not None and snap.meta.run_id == good.run_id and len(snap.frame()) == good.rows
    killed = services.cache.runs("order_lines")[0]
    assert killed.status is RunStatus.INTERRUPTED and killed.run_id != good.run_id
    emu.set_latency(0)  # type: ignore[attr-defined]
    assert refresh(services, ["order_lines"])[0].ok, "the kernel released the killed lock"
    services.close()


def test_plan_explains_why_a_refresh_is_full(services: Services) -> None:
    spec = services.catalog["sales_orders"]
    now = datetime.now(UTC)
    assert plan_run(services, spec, full=False, now=now).reason == "no published snapshot yet"
    refresh(services, ["sales_orders"])
    plan = plan_run(services, spec, full=False, now=now)
    assert plan.mode is RunMode.INCREMENTAL and isinstance(plan.params["modified_after"], datetime)
    cases = {
        "the query or account changed since the last snapshot": replace(spec, checksum="new"),
        "the query is not incremental": replace(spec, incremental=None),
    }
    for reason, changed in cases.items():
        assert plan_run(services, changed, full=False, now=now).reason == reason
    assert plan_run(services, spec, full=True, now=now).reason == "full refresh requested"
    assert services.catalog["order_lines"].incremental is None


@pytest.mark.parametrize(
    ("mark", "kind", "expected"),
    [
        (datetime(2026, 12, 3, 10, 30), ColumnType.DATETIME, datetime(2026, 12, 3, 9, 30)),
        (datetime(2026, 12, 3, 0, 30), ColumnType.DATE, date(2026, 12, 2)),
        (date(2026, 12, 3), ColumnType.DATETIME, datetime(2026, 12, 2, 23, 0)),
    ],
)
def test_watermark_minus_overlap(mark: object, kind: ColumnType, expected: object) -> None:
    assert watermark_param(mark, kind) == expected


def test_a_query_that_cannot_be_planned_fails_alone_and_is_recorded(services: Services) -> None:
    broken = replace(
        services.catalog["sales_orders"],
        params=(ParamSpec("so_number", ColumnType.TEXT, False, None),),
    )
    events: list[RunRecord | None] = []
    with services.client() as client:
        record = refresh_one(services, client, broken, full=False, now=datetime.now(UTC),
                             report=lambda mode, p, done: events.append(done))  # fmt: skip
    assert record.status is RunStatus.FAILED and "so_number" in (record.error or "")
    assert services.cache.runs("sales_orders")[0] == record
    assert events == [record]


def _read_continuously(root: str, name: str, ready: Any, stop: Any, out: Any) -> None:
    """Reader process: read the snapshot over and over until `stop`; send (count, meta rows,
    run) triples, or the error text."""
    from suiteops.cache import Cache

    cache, seen = Cache(Path(root)), []
    try:
        while not stop.is_set():
            snap = cache.read(name)
            assert snap is not None
            n = int(snap.query("SELECT count(*) AS n FROM rows")["n"].iloc[0])
            seen.append((n, snap.meta.rows, snap.meta.run_id))
            ready.set()
            time.sleep(0.005)
        out.send(seen)
    except Exception as exc:  # reported to the test process, which fails on it
        out.send(f"{type(exc).__name__}: {exc}")


def test_another_process_reads_consistently_while_incremental_refreshes_publish(
    services: Services, emu: object
) -> None:
    """The reader process holds each snapshot open read-only while the refresher ATTACHes the
    same file read-only to merge: neither blocks the other."""
    (first,) = refresh(services, ["sales_orders"])
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    ready, stop = ctx.Event(), ctx.Event()
    root = str(services.settings.data_dir)
    reader = ctx.Process(target=_read_continuously, args=(root, "sales_orders", ready, stop, send))
    reader.start()
    assert ready.wait(60), "the reader process never read"
    ids = [r[0] for r in emu.sql("SELECT id FROM transaction WHERE type = 'SalesOrd'")]  # type: ignore[attr-defined]
    published = {first.run_id: first.rows}
    for round_ in range(3):
        _change_orders(emu, ids[round_::40])
        _copy_order(emu, ids[round_], 1_000_000 * (round_ + 1))
        (run,) = refresh(services, ["sales_orders"])
        assert run.ok and run.mode is RunMode.INCREMENTAL, run.error
        published[run.run_id] = run.rows
        time.sleep(0.2)
    stop.set()
    seen = receive.recv()
    reader.join(30)
    assert not isinstance(seen, str), seen
    assert seen and all(n == rows == published[run] for n, rows, run in seen)
    assert len({run for *_, run in seen}) >= 2
    assert sorted(published.values()) == [first.rows + i for i in range(4)]


def test_rows_changing_during_paging_are_reread_by_key(
    emulator_factory: Callable[..., object], tmp_path: Path
) -> None:
    """The emulator inserts and deletes orders on every SuiteQL request: offset paging sees the
    shift, and the refresh re-reads by key instead of publishing a torn result."""
    emu = emulator_factory(scale=1000, mutate_during_paging=True)
    services = open_services(settings_for(emu, tmp_path / "data", write_queries(tmp_path / "q")))
    done: list[int] = []
    (run,) = refresh(services, ["order_lines"], on_progress=lambda u: done.append(
        u.progress.pages_done if u.progress else 0))  # fmt: skip
    assert run.ok, run.error
    assert run.pages > 2
    assert any(b < a for a, b in pairwise(done)), "no re-read happened"
    now = emu.sql(  # type: ignore[attr-defined]
        "SELECT count(*) FROM transactionline tl JOIN transaction t ON t.id = tl.transaction"
        " WHERE t.type = 'SalesOrd' AND tl.mainline = 'F'"
    )[0][0]
    assert abs(run.rows - now) < 0.02 * now
    services.close()


def test_a_bad_row_publishes_nothing(emu: object, tmp_path: Path) -> None:
    """A value that does not fit its declared type (tranid declared int) fails the run and
    names the column; the snapshot published before stays."""
    queries = write_queries(tmp_path / "q")
    services = open_services(settings_for(emu, tmp_path / "data", queries))
    (good,) = refresh(services, ["sales_orders"])
    path = queries / "sales_orders.sql"
    text = path.read_text().replace("so_number text", "so_number int")
    path.write_text(text.replace("-- version: 1", "-- version: 2"))
    update_lock(queries)
    broken = open_services(settings_for(emu, tmp_path / "data", queries))
    (bad,) = refresh(broken, ["sales_orders"])
    assert bad.status is RunStatus.FAILED and "so_number" in (bad.error or "")
    snap = broken.cache.read("sales_orders")
    assert snap is not None and snap.meta.run_id == good.run_id
    services.close()
    broken.close()
