"""Freshness and health of every cached query: what `suiteops status` and the pages show.

A query is stale when its published snapshot is older than twice its refresh interval (one
missed refresh is normal jitter; two means the schedule is not keeping up), or when it was never
refreshed. Live queries (no refresh interval) are never cached and are left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from suiteops.cache.reader import Snapshot
from suiteops.cache.records import QueryStatus, RunRecord, utc

if TYPE_CHECKING:
    from suiteops.catalog import QuerySpec

STALE_FACTOR = 2


def query_status(
    spec: QuerySpec, snapshot: Snapshot | None, last: RunRecord | None, now: datetime
) -> QueryStatus:
    """The status of one cached query from its published snapshot and its latest run."""
    ok = snapshot.meta if snapshot is not None else None
    age = snapshot.age_at(now) if snapshot is not None else None
    interval = spec.refresh or timedelta(0)
    return QueryStatus(
        name=spec.name,
        title=spec.title,
        version=spec.version,
        last_ok_run=ok,
        age=age,
        rows=ok.rows if ok is not None else None,
        last_status=last.status if last is not None else None,
        last_error=last.error if last is not None else None,
        stale=age is None or age > STALE_FACTOR * interval,
        never_refreshed=ok is None,
        version_changed=ok is not None
        and (ok.version, ok.checksum) != (spec.version, spec.checksum),
    )


def catalog_status(
    specs: Iterable[QuerySpec],
    read: Callable[[str], Snapshot | None],
    last_run: Callable[[str], RunRecord | None],
    now: datetime,
) -> list[QueryStatus]:
    """Statuses of every cached (non-live) query, in catalog order."""
    now = utc(now)
    return [query_status(s, read(s.name), last_run(s.name), now) for s in specs if not s.live]
