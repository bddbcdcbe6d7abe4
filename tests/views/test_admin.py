"""Admin tables over the real query catalog and hand-made run records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from suiteops.cache.records import QueryStatus, RunMode, RunRecord, RunStatus
from suiteops.catalog import load_catalog
from suiteops.config import load_settings
from suiteops.views.admin import QUERY_COLUMNS, RUN_COLUMNS, queries_table, runs_table

START = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def _run(status: RunStatus, seconds: float | None) -> RunRecord:
    return RunRecord(
        run_id="r",
        query="pending_fulfillment",
        version=2,
        checksum="c",
        params="{}",
        account="A",
        mode=RunMode.FULL,
        status=status,
        started=START,
        finished=None if seconds is None else START + timedelta(seconds=seconds),
        rows=5,
        pages=1,
        retries=0,
        error=None if status is RunStatus.OK else "boom",
        snapshot=None,
    )


def test_queries_table_puts_status_beside_each_query() -> None:
    catalog = load_catalog(load_settings({}, toml_path=None).queries_dir, check_lock=False)
    status = QueryStatus(
        name="pending_fulfillment",
        title="t",
        version=1,
        last_ok_run=None,
        age=timedelta(minutes=5),
        rows=42,
        last_status=RunStatus.FAILED,
        last_error="boom",
        stale=True,
        never_refreshed=False,
    )
    table = queries_table(catalog.values(), [status]).set_index("query")
    assert list(table.reset_index().columns) == list(QUERY_COLUMNS)
    assert set(table.index) == set(catalog)
    row = table.loc["pending_fulfillment"]
    assert (row["age"], row["rows"], row["last_status"], row["last_error"]) == (
        "5 min",
        42,
        "failed",
        "boom",
    )
    assert table.loc["order_search", "refresh"] == "live"
    assert table.loc["order_search", "params"] == "term"
    assert table.loc["pending_fulfillment", "file"] == "pending_fulfillment.sql"


def test_runs_table_has_durations() -> None:
    table = runs_table([_run(RunStatus.OK, 1.5), _run(RunStatus.RUNNING, None)])
    assert list(table.columns) == list(RUN_COLUMNS)
    assert table["seconds"].tolist()[0] == 1.5 and table["seconds"].isna().tolist()[1]
    assert table["status"].tolist() == ["ok", "running"]
