"""Paging against the real emulator: sizes, order, concurrency, the 100k window, faults, 429s."""

from __future__ import annotations

import math
import threading
import time

import pytest
from nshelpers import BULK_BASE, BULK_COLUMNS, BULK_SQL, bulk_params, make_client

from suiteops.emulator.faults import FaultRates
from suiteops.emulator.server import Emulator
from suiteops.errors import ParameterError, RateLimitError
from suiteops.models import ColumnSpec
from suiteops.models import ColumnType as C
from suiteops.netsuite import Progress, RetryPolicy


def _expected(emu: Emulator, n: int, start: int = 0) -> list[tuple]:
    lo, hi = BULK_BASE + start, BULK_BASE + start + n
    return emu.sql(
        "SELECT id, entityid, email FROM customer WHERE id > ? AND id <= ? ORDER BY id", [lo, hi]
    )


def _as_tuples(rows: list[dict]) -> list[tuple]:
    return [(r["id"], r["name"], r["email"]) for r in rows]


@pytest.mark.parametrize("n", [0, 1, 999, 1000, 1001, 2000, 3000, 4321])
def test_sizes_complete_and_in_order(bulk: Emulator, n: int) -> None:
    with make_client(bulk) as client:
        result = client.fetch(BULK_SQL, bulk_params(n), key="id", columns=BULK_COLUMNS, name="b")
    assert _as_tuples(result.rows) == _expected(bulk, n)
    assert result.total == n
    assert result.pages == max(1, math.ceil(n / 1000))
    assert result.columns == ("id", "name", "email")
    assert result.retries == 0


def test_omitted_null_column_is_present_as_none(bulk: Emulator) -> None:
    with make_client(bulk) as client:
        rows = client.fetch(BULK_SQL, bulk_params(14), columns=BULK_COLUMNS).rows
    assert [r["email"] is None for r in rows].count(True) == 2
    assert all(list(r) == ["id", "name", "email"] for r in rows)


def test_pages_in_order_under_jittered_latency_with_progress(bulk: Emulator) -> None:
    bulk.set_latency(5.0, 40.0)
    seen: list[Progress] = []
    with make_client(bulk, concurrency=5) as client:
        pages = list(
            client.pages(
                BULK_SQL, bulk_params(12_345), columns=BULK_COLUMNS, on_progress=seen.append
            )
        )
    assert [p.number for p in pages] == list(range(1, 14))
    assert [p.offset for p in pages] == [1000 * i for i in range(13)]
    ids = [r["id"] for p in pages for r in p.rows]
    assert ids == [row[0] for row in _expected(bulk, 12_345)]
    assert [s.pages_done for s in seen] == list(range(1, 14))
    assert seen[-1] == Progress(13, 13, 12_345, 12_345, 0)


def test_concurrency_never_above_the_limit(bulk: Emulator) -> None:
    bulk.set_concurrency_limit(3)
    bulk.set_latency(30.0)
    bulk.reset_stats()
    with make_client(bulk, concurrency=3) as client:
        result = client.fetch(BULK_SQL, bulk_params(20_000), columns=BULK_COLUMNS)
    stats = bulk.stats
    assert result.total == 20_000
    assert stats.max_in_flight == 3
    assert stats.rejected_429 == 0
    assert client.limit.max_in_flight == 3


def test_concurrent_is_faster_than_sequential(bulk: Emulator) -> None:
    bulk.set_latency(200.0)
    timings = {}
    for concurrency in (1, 5):
        with make_client(bulk, concurrency=concurrency) as client:
            started = time.monotonic()
            client.fetch(BULK_SQL, bulk_params(10_000))
            timings[concurrency] = time.monotonic() - started
    assert timings[5] < timings[1] * 0.6  # ideally ~0.3: 3 rounds of 200 ms vs 10


def test_consumer_pace_bounds_fetch_ahead(bulk: Emulator) -> None:
    bulk.reset_stats()
    with make_client(bulk, concurrency=2) as client:
        pages = client.pages(BULK_SQL, bulk_params(30_000))
        next(pages)
        next(pages)
        time.sleep(0.5)
        requested = bulk.stats.requests
        pages.close()
    # first page + at most 2 × concurrency ahead of the consumer (+1 refilled on the 2nd page)
    assert requested <= 1 + 2 * 2 + 1


def test_key_must_be_an_output_column(bulk: Emulator) -> None:
    with make_client(bulk) as client, pytest.raises(ParameterError, match="key"):
        client.fetch(BULK_SQL, bulk_params(5), key="entityid")


def test_non_unique_key_fails_loudly(bulk: Emulator) -> None:
    sql = "SELECT c.isperson AS flag, c.id AS id FROM customer c WHERE c.id > :lo AND c.id <= :hi"
    with make_client(bulk) as client, pytest.raises(Exception, match="not unique"):
        client.fetch(sql, bulk_params(10), key="flag")


@pytest.mark.parametrize(
    "faults",
    [
        FaultRates(rate_429=0.3),
        FaultRates(rate_500=0.3),
        FaultRates(rate_drop=0.2),
        FaultRates(rate_truncate=0.2),
        FaultRates(rate_429=0.1, rate_500=0.1, rate_drop=0.05, rate_truncate=0.05),
    ],
    ids=["429", "500", "drop", "truncate", "mixed"],
)
def test_injected_faults_recovered_with_identical_rows(bulk: Emulator, faults: FaultRates) -> None:
    bulk.set_faults(faults)
    with make_client(bulk) as client:
        result = client.fetch(BULK_SQL, bulk_params(15_000), key="id", columns=BULK_COLUMNS)
    bulk.set_faults(FaultRates())
    assert _as_tuples(result.rows) == _expected(bulk, 15_000)
    assert result.retries > 0
    assert result.requests == result.retries + 15 + 1  # 15 pages + the key checksum query


def test_429_shrinks_in_flight_and_cuts_rejections(bulk: Emulator) -> None:
    bulk.set_concurrency_limit(2)
    bulk.set_latency(20.0)
    rejected = {}
    # Patient retries for both runs: this test counts rejections; neither run may give up (the
    # non-adaptive baseline can see one request refused a dozen times in a row on a busy machine).
    patient = RetryPolicy(max_attempts=500, base=0.005, cap=0.05, budget=120.0)
    for adaptive in (True, False):
        bulk.reset_stats()
        with make_client(bulk, concurrency=8, retry=patient) as client:
            if not adaptive:  # the baseline: the same client with the halving switched off
                client.limit.throttled = lambda epoch=None: None  # type: ignore[method-assign]
            result = client.fetch(BULK_SQL, bulk_params(30_000), columns=BULK_COLUMNS)
            caps = client.limit.cap
        assert result.total == 30_000 and result.retries == bulk.stats.rejected_429
        rejected[adaptive] = bulk.stats.rejected_429
        if adaptive:
            assert caps < 8
    assert 0 < rejected[True] * 3 < rejected[False]


def test_429_retries_exhausted_raise_rate_limit(bulk: Emulator) -> None:
    bulk.set_faults(FaultRates(rate_429=1.0))
    policy = RetryPolicy(max_attempts=3, base=0.001, cap=0.002)
    with make_client(bulk, retry=policy) as client, pytest.raises(RateLimitError) as info:
        client.fetch(BULK_SQL, bulk_params(5), name="q429")
    assert info.value.status == 429 and info.value.code == "CONCURRENCY_LIMIT_EXCEEDED"
    assert info.value.query == "q429" and info.value.request_id


def test_retry_budget_bounds_time(bulk: Emulator) -> None:
    bulk.set_faults(FaultRates(rate_500=1.0))
    policy = RetryPolicy(
        max_attempts=100, base=0.05, cap=0.05, budget=0.3, jitter=lambda ceiling: ceiling
    )
    with make_client(bulk, retry=policy) as client:
        started = time.monotonic()
        with pytest.raises(Exception, match="HTTP 500"):
            client.fetch(BULK_SQL, bulk_params(5))
    assert time.monotonic() - started < 1.5


def test_client_is_thread_safe_across_fetches(bulk: Emulator) -> None:
    results: dict[int, list] = {}

    def run(i: int) -> None:
        results[i] = _as_tuples(
            client.fetch(BULK_SQL, bulk_params(2500, i * 3000), columns=BULK_COLUMNS).rows
        )

    with make_client(bulk) as client:
        threads = [threading.Thread(target=run, args=(i,)) for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    for i in range(3):
        assert results[i] == _expected(bulk, 2500, i * 3000)


def test_bad_parameter_names_param_and_query(bulk: Emulator) -> None:
    with make_client(bulk) as client, pytest.raises(ParameterError) as info:
        client.fetch(BULK_SQL, {"lo": "ten", "hi": 5}, param_types={"lo": C.INT}, name="bulk")
    assert info.value.name == "lo" and info.value.query == "bulk"
    assert "'bulk'" in str(info.value) and "'lo'" in str(info.value)
    assert bulk.stats.requests == 0  # refused before anything was sent


def test_select_star_columns_come_from_the_rows(bulk: Emulator) -> None:
    sql = "SELECT * FROM customer c WHERE c.id > :lo AND c.id <= :hi ORDER BY c.id"
    with make_client(bulk) as client:
        result = client.fetch(sql, bulk_params(3), key="id", columns=[ColumnSpec("id", C.INT)])
    assert [r["id"] for r in result.rows] == [BULK_BASE + 1, BULK_BASE + 2, BULK_BASE + 3]
    assert {"id", "entityid", "email", "isperson"} <= set(result.columns)
    assert all(set(r) == set(result.rows[0]) for r in result.rows)


@pytest.mark.parametrize(("n", "expect"), [(1, 50_000), (2_500, 5_000), (12_345, 60_000)])
def test_expected_size_requests_first_pages_together(bulk: Emulator, n: int, expect: int) -> None:
    bulk.reset_stats()
    with make_client(bulk, concurrency=5) as client:
        result = client.fetch(BULK_SQL, bulk_params(n), columns=BULK_COLUMNS, expect_rows=expect)
    assert _as_tuples(result.rows) == _expected(bulk, n)
    assert result.pages == max(1, math.ceil(n / 1000))
    # the first 5 pages go out at once; pages past the end come back empty and are dropped
    assert bulk.stats.requests == max(5, result.pages)
