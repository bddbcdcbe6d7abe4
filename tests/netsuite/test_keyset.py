"""Past NetSuite's 100,000-row window: keyset paging by key ranges, refusal without a key."""

from __future__ import annotations

import pytest
from nshelpers import BULK_BASE, BULK_COLUMNS, BULK_SQL, bulk_params, make_client

from suiteops.emulator.faults import FaultRates
from suiteops.emulator.server import Emulator
from suiteops.errors import TruncationError
from suiteops.models import ColumnSpec, ColumnType
from suiteops.netsuite import Progress
from suiteops.netsuite.keyset import KeyRange, split_ranges
from suiteops.netsuite.paging import InconsistentResult


def test_past_100k_without_key_refuses(bulk: Emulator) -> None:
    with make_client(bulk) as client, pytest.raises(TruncationError) as info:
        client.fetch(BULK_SQL, bulk_params(100_001), name="all_customers")
    assert "all_customers" in str(info.value) and "key" in str(info.value)
    assert "100,001" in str(info.value)


def test_past_100k_by_key_ranges_complete_in_order_despite_faults(bulk: Emulator) -> None:
    bulk.set_faults(FaultRates(rate_429=0.05, rate_500=0.05, rate_drop=0.03, rate_truncate=0.05))
    bulk.reset_stats()
    seen: list[Progress] = []
    with make_client(bulk) as client:
        result = client.fetch(
            BULK_SQL, bulk_params(100_500), key="id", columns=BULK_COLUMNS, on_progress=seen.append
        )
    bulk.set_faults(FaultRates())
    ids = [r["id"] for r in result.rows]
    assert len(ids) == len(set(ids)) == 100_500
    truth = bulk.sql(f"SELECT id FROM customer WHERE id > {BULK_BASE} ORDER BY id LIMIT 100500")
    assert ids == [row[0] for row in truth]
    assert bulk.stats.max_in_flight > 1  # key ranges are read concurrently
    assert result.retries > 0
    assert [p.pages_done for p in seen] == list(range(1, result.pages + 1))
    assert (seen[-1].pages_total, seen[-1].rows_done, seen[-1].rows_total) == (
        result.pages,
        100_500,
        100_500,
    )


@pytest.mark.parametrize(
    ("low", "high", "rows", "expected"),
    [
        (1, 10, 5, [KeyRange(None, None)]),
        (1, 8000, 8000, [KeyRange(None, 4000), KeyRange(4000, None)]),
        (101, 12_100, 12_000, [KeyRange(None, 4100), KeyRange(4100, 8100), KeyRange(8100, None)]),
        (5, 6, 10_000, [KeyRange(None, 5), KeyRange(5, None)]),
    ],
)
def test_split_ranges(low: int, high: int, rows: int, expected: list[KeyRange]) -> None:
    assert split_ranges(low, high, rows) == expected


def test_text_key_reads_by_key_sequentially(bulk: Emulator) -> None:
    sql = "SELECT c.entityid AS name FROM customer c WHERE c.id > :lo AND c.id <= :hi"
    with make_client(bulk) as client:
        text_key = [ColumnSpec("name", ColumnType.TEXT)]
        run = client._run(sql, bulk_params(5_500), "name", text_key, None, "q", force_keyset=True)
        names = [r["name"] for page in run.pages(None) for r in page.rows]
    assert run.requester.requests == 1 + 6  # key check, then one range: text cannot be split
    assert len(names) == len(set(names)) == 5_500
    assert set(names) == {f"BULK-{i}" for i in range(1, 5_501)}


def test_non_unique_key_past_100k_is_refused_before_reading(bulk: Emulator) -> None:
    sql = "SELECT c.isperson AS flag, c.id AS id FROM customer c WHERE c.id > :lo AND c.id <= :hi"
    bulk.reset_stats()
    with make_client(bulk) as client, pytest.raises(InconsistentResult, match="not unique"):
        client.fetch(sql, bulk_params(100_001), key="flag", name="flags")
    assert bulk.stats.requests == 2  # the first offset page, then the key check


def test_stopping_early_past_100k_stops_fetching(bulk: Emulator) -> None:
    bulk.reset_stats()
    with make_client(bulk, concurrency=2) as client:
        pages = client.pages(BULK_SQL, bulk_params(100_500), key="id", columns=BULK_COLUMNS)
        first = next(pages)
        pages.close()
        requested = bulk.stats.requests
    assert first.rows[0]["id"] == BULK_BASE + 1
    # first offset page + key check + at most 2 x concurrency ranges of 4 pages, not ~100 pages
    assert requested <= 2 + 2 * 2 * 4 + 1
