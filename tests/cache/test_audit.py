"""The audit log: append, filters, idempotency-key lookup, many writers."""

from __future__ import annotations

import json
import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from suiteops.cache import AuditEntry, Cache
from suiteops.errors import CacheError

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def entry(**changes: object) -> AuditEntry:
    base = dict(
        actor="ops@example.com", at=T0, action="close_lines", target="101",
        plan=json.dumps({"calls": []}), result="done", record_ids=("101",), error=None,
        idempotency_key="k1",
    )  # fmt: skip
    base.update(changes)
    return AuditEntry(**base)  # type: ignore[arg-type]


@pytest.fixture
def cache(tmp_path: Path) -> Cache:
    return Cache(tmp_path)


@pytest.fixture
def filled(cache: Cache) -> Cache:
    rows = [
        entry(),
        entry(actor="fin@example.com", action="bill_order", target="102", result="failed",
              error="HTTP 500", idempotency_key="k2", at=T0 + timedelta(hours=1)),
        entry(target="103", result="refused", idempotency_key="k3", at=T0 + timedelta(days=1)),
        entry(result="noop", at=T0 + timedelta(days=2)),
    ]  # fmt: skip
    for row in rows:
        cache.audit.append(row)
    return cache


def test_append_assigns_id_and_round_trips(cache: Cache) -> None:
    stored = cache.audit.append(entry(record_ids=("9001", "9002")))
    assert stored.entry_id is not None
    assert cache.audit.find_by_key("k1") == stored
    assert stored.record_ids == ("9001", "9002")


@pytest.mark.parametrize(
    ("filters", "targets"),
    [
        ({}, ["101", "103", "102", "101"]),
        ({"actor": "fin@example.com"}, ["102"]),
        ({"action": "close_lines"}, ["101", "103", "101"]),
        ({"target": "101"}, ["101", "101"]),
        ({"result": "refused"}, ["103"]),
        ({"since": T0 + timedelta(hours=1)}, ["101", "103", "102"]),
        ({"until": T0 + timedelta(hours=1)}, ["101"]),
        ({"since": T0, "until": T0 + timedelta(days=1, seconds=1), "action": "close_lines"},
         ["103", "101"]),
    ],
)  # fmt: skip
def test_entries_filters(filled: Cache, filters: dict[str, object], targets: list[str]) -> None:
    frame = filled.audit.entries(**filters)  # type: ignore[arg-type]
    assert list(frame["target"]) == targets


def test_entries_frame_types(filled: Cache) -> None:
    frame = filled.audit.entries(result="failed")
    assert str(frame["at"].dtype).startswith("datetime64")
    assert frame["at"].iloc[0] == T0 + timedelta(hours=1)
    assert frame["error"].iloc[0] == "HTTP 500"
    assert frame["record_ids"].iloc[0] == ("101",)


def test_since_with_other_timezone_compares_in_utc(filled: Cache) -> None:
    plus2 = timezone(timedelta(hours=2))
    since = (T0 + timedelta(minutes=30)).astimezone(plus2)
    assert len(filled.audit.entries(since=since)) == 3


def test_find_by_key_newest_and_by_result(filled: Cache) -> None:
    newest = filled.audit.find_by_key("k1")
    assert newest is not None and newest.result == "noop"
    done = filled.audit.find_by_key("k1", result="done")
    assert done is not None and done.at == T0
    assert filled.audit.find_by_key("missing") is None


def test_bad_entries_are_refused(cache: Cache) -> None:
    with pytest.raises(CacheError, match="plan is not JSON"):
        cache.audit.append(entry(plan="{not json"))
    with pytest.raises(CacheError, match="actor must be"):
        cache.audit.append(entry(actor=""))


def test_many_threads_append(cache: Cache) -> None:
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: cache.audit.append(entry(target=str(i))), range(80)))
    assert len(cache.audit.entries()) == 80


def _append_many(root: str, worker: int) -> None:
    log = Cache(Path(root)).audit
    for i in range(25):
        log.append(entry(target=f"{worker}-{i}", idempotency_key=f"{worker}-{i}"))


def test_many_processes_append(tmp_path: Path) -> None:
    Cache(tmp_path)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_append_many, args=(str(tmp_path), w)) for w in range(2)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(30)
        assert proc.exitcode == 0
    assert len(Cache(tmp_path).audit.entries()) == 50


def test_entries_limit_keeps_the_newest(filled: Cache) -> None:
    frame = filled.audit.entries(limit=2)
    assert list(frame["result"]) == ["noop", "refused"]


def test_empty_log_gives_an_empty_frame_with_columns(cache: Cache) -> None:
    frame = cache.audit.entries(actor="nobody")
    assert frame.empty and "idempotency_key" in frame.columns
