"""Each knob over real HTTP: injected 429/500, dropped connections, truncated bodies, latency,
the concurrency limit (every endpoint counts), statistics and seeded determinism."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from emuhelpers import SUITEQL, error_code, error_detail, request, sign, start_small, suiteql

from suiteops.emulator.faults import Fault, FaultInjector, FaultRates
from suiteops.emulator.oauth2 import TOKEN_PATH
from suiteops.emulator.server import Emulator

Q = "SELECT id, itemid FROM item WHERE id <= 50 ORDER BY id"


@pytest.fixture(scope="module")
def shared() -> Iterator[Emulator]:
    with start_small() as emu:
        yield emu


@pytest.fixture
def emu(shared: Emulator) -> Iterator[Emulator]:
    """The module's emulator with knobs and stats reset around each test."""
    shared.reset_stats()
    yield shared
    shared.set_faults(FaultRates())
    shared.set_latency(0.0, 0.0)
    shared.set_concurrency_limit(15)


def test_rate_429_answers_concurrency_errors(emu: Emulator) -> None:
    emu.set_faults(FaultRates(rate_429=1.0))
    response = suiteql(emu, Q)
    assert response.status_code == 429 and error_code(response) == "CONCURRENCY_LIMIT_EXCEEDED"
    assert emu.stats.rejected_429 == 1 and emu.stats.statuses[429] == 1


def test_rate_500_answers_unexpected_error_with_an_error_id(emu: Emulator) -> None:
    emu.set_faults(FaultRates(rate_500=1.0))
    response = suiteql(emu, Q)
    assert response.status_code == 500 and error_code(response) == "UNEXPECTED_ERROR"
    assert error_detail(response).endswith(f"Error ID: {response.headers['X-N-OperationId']}")


def test_drop_closes_the_connection_without_a_response(emu: Emulator) -> None:
    emu.set_faults(FaultRates(rate_drop=1.0))
    with pytest.raises(httpx.RemoteProtocolError):
        suiteql(emu, Q)
    assert emu.stats.dropped == 1 and sum(emu.stats.statuses.values()) == 0
    emu.set_faults(FaultRates())
    assert suiteql(emu, Q).status_code == 200  # the server keeps serving


def test_dropped_write_has_still_committed(emu: Emulator) -> None:
    emu.set_faults(FaultRates(rate_drop=1.0))
    with pytest.raises(httpx.RemoteProtocolError):
        request(emu, "PATCH", "/services/rest/record/v1/salesOrder/103", json_body={"memo": "lost"})
    assert emu.sql("SELECT memo FROM transaction WHERE id = 103") == [("lost",)]


def test_truncate_sends_a_well_framed_but_cut_body(emu: Emulator) -> None:
    full = suiteql(emu, Q).content
    emu.set_faults(FaultRates(rate_truncate=1.0))
    response = suiteql(emu, Q)
    assert response.status_code == 200
    assert int(response.headers["content-length"]) == len(response.content) == len(full) // 2
    assert full.startswith(response.content)
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)
    assert emu.stats.truncated == 1


def test_partial_rates_follow_the_seed(shared: Emulator) -> None:
    rates = FaultRates(rate_429=0.2, rate_500=0.2)
    draws = [FaultInjector(rates, seed=7) for _ in range(2)]
    first, second = ([d.draw() for _ in range(500)] for d in draws)
    assert first == second
    counts = Counter(first)
    assert 60 <= counts[Fault.RATE_429] <= 140 and 60 <= counts[Fault.RATE_500] <= 140
    assert set(counts) == {Fault.NONE, Fault.RATE_429, Fault.RATE_500}


def test_partial_rate_over_http(emu: Emulator) -> None:
    emu.set_faults(FaultRates(rate_500=0.5))
    statuses = Counter(suiteql(emu, "SELECT id FROM item WHERE id = 1").status_code
                       for _ in range(40))  # fmt: skip
    assert set(statuses) == {200, 500} and 8 <= statuses[500] <= 32


@pytest.mark.parametrize("rates", [
    {"rate_429": -0.1}, {"rate_500": 1.5}, {"rate_drop": 0.6, "rate_truncate": 0.6}])  # fmt: skip
def test_fault_rates_are_validated(rates: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="FaultRates"):
        FaultRates(**rates)


def test_latency_delays_every_request(emu: Emulator) -> None:
    emu.set_latency(150.0)
    started = time.perf_counter()
    assert suiteql(emu, Q).status_code == 200
    assert time.perf_counter() - started >= 0.15


def test_jitter_adds_up_to_its_bound(emu: Emulator) -> None:
    emu.set_latency(20.0, jitter=60.0)
    times = []
    for _ in range(8):
        started = time.perf_counter()
        suiteql(emu, "SELECT id FROM item WHERE id = 1")
        times.append(time.perf_counter() - started)
    assert min(times) >= 0.02 and max(times) - min(times) > 0.005


def concurrent_queries(emu: Emulator, n: int) -> list[int]:
    """Send `n` signed queries at the same instant (clients and signatures made beforehand)."""
    url = emu.base_url + SUITEQL
    body = {"q": "SELECT id FROM item WHERE id = 1"}
    prepared = [(httpx.Client(), {"Prefer": "transient", **sign(emu, "POST", url)})
                for _ in range(n)]  # fmt: skip
    barrier = threading.Barrier(n)

    def send(client: httpx.Client, headers: dict[str, str]) -> int:
        barrier.wait()
        with client:
            return client.post(url, json=body, headers=headers, timeout=30).status_code

    with ThreadPoolExecutor(max_workers=n) as pool:
        futures = [pool.submit(send, client, headers) for client, headers in prepared]
        return sorted(f.result() for f in futures)


def test_requests_over_the_concurrency_limit_get_429(emu: Emulator) -> None:
    emu.set_latency(600.0)
    emu.set_concurrency_limit(2)
    assert concurrent_queries(emu, 6) == [200, 200, 429, 429, 429, 429]
    stats = emu.stats
    assert stats.rejected_429 == 4 and stats.requests == 6 and stats.max_in_flight >= 3


def test_in_flight_requests_overlap_up_to_the_limit(emu: Emulator) -> None:
    emu.set_latency(400.0)
    started = time.perf_counter()
    assert concurrent_queries(emu, 6) == [200] * 6
    assert time.perf_counter() - started < 6 * 0.4  # overlapped, not one after another
    assert emu.stats.max_in_flight >= 4


def test_token_endpoint_counts_toward_the_limit(emu: Emulator) -> None:
    emu.set_latency(500.0)
    emu.set_concurrency_limit(1)
    with ThreadPoolExecutor(max_workers=1) as pool:
        slow = pool.submit(suiteql, emu, "SELECT id FROM item WHERE id = 1")
        time.sleep(0.15)
        token = httpx.post(emu.base_url + TOKEN_PATH, data={"grant_type": "client_credentials"})
        assert slow.result().status_code == 200
    assert token.status_code == 429 and error_code(token) == "CONCURRENCY_LIMIT_EXCEEDED"


def test_stats_count_statuses_and_reset(emu: Emulator) -> None:
    suiteql(emu, Q)
    suiteql(emu, Q, limit=5000)
    httpx.post(emu.base_url + SUITEQL, json={"q": Q})
    stats = emu.stats
    assert (stats.requests, dict(stats.statuses)) == (3, {200: 1, 400: 1, 401: 1})
    assert stats.in_flight == 0  # released before the client could read its response
    emu.reset_stats()
    assert emu.stats.requests == 0 and dict(emu.stats.statuses) == {}


def test_health_bypasses_faults_and_stats(emu: Emulator) -> None:
    emu.set_faults(FaultRates(rate_500=1.0))
    assert httpx.get(emu.base_url + "/health").status_code == 200
    assert emu.stats.requests == 0
