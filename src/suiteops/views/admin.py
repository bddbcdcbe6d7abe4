"""Admin tables: the query catalog with each query's cache status, and the refresh runs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from suiteops.cache.records import QueryStatus, RunRecord
from suiteops.catalog import QuerySpec
from suiteops.views.freshness import human_age

QUERY_COLUMNS = (
    "query", "title", "version", "refresh", "key", "params", "age", "rows", "last_status",
    "stale", "last_error", "checksum", "file",
)  # fmt: skip
RUN_COLUMNS = (
    "run_id", "query", "status", "mode", "version", "started", "finished", "seconds", "rows",
    "pages", "retries", "error",
)  # fmt: skip


def queries_table(specs: Iterable[QuerySpec], statuses: Sequence[QueryStatus]) -> pd.DataFrame:
    """One row per query file: its header facts beside its cache status (live ones: no cache)."""
    by_name = {s.name: s for s in statuses}
    rows = [_query_row(spec, by_name.get(spec.name)) for spec in specs]
    return pd.DataFrame(rows, columns=list(QUERY_COLUMNS))


def _query_row(spec: QuerySpec, status: QueryStatus | None) -> dict[str, object]:
    return {
        "query": spec.name,
        "title": spec.title,
        "version": spec.version,
        "refresh": "live" if spec.refresh is None else human_age(spec.refresh),
        "key": spec.key,
        "params": ", ".join(p.name for p in spec.params),
        "age": None if status is None or status.age is None else human_age(status.age),
        "rows": None if status is None else status.rows,
        "last_status": None
        if status is None or status.last_status is None
        else status.last_status.value,
        "stale": None if status is None else status.stale,
        "last_error": None if status is None else status.last_error,
        "checksum": spec.checksum[:12],
        "file": spec.path.name,
    }


def runs_table(runs: Iterable[RunRecord]) -> pd.DataFrame:
    """The refresh runs, newest first as given, with their duration in seconds."""
    rows = [
        {
            "run_id": r.run_id,
            "query": r.query,
            "status": r.status.value,
            "mode": r.mode.value,
            "version": r.version,
            "started": r.started,
            "finished": r.finished,
            "seconds": None if r.duration is None else round(r.duration.total_seconds(), 3),
            "rows": r.rows,
            "pages": r.pages,
            "retries": r.retries,
            "error": r.error,
        }
        for r in runs
    ]
    return pd.DataFrame(rows, columns=list(RUN_COLUMNS))
