"""Incremental merges inside DuckDB, and the status of cached queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from suiteops.cache import Cache, RunMode, RunStatus
from suiteops.errors import CacheError

from .helpers import make_row, make_spec, pages


@pytest.fixture
def cache(tmp_path: Path) -> Cache:
    c = Cache(tmp_path)
    yield c
    c.close()


def write(cache: Cache, rows: list[dict], mode: RunMode = RunMode.FULL, **spec: object) -> None:
    with cache.writer(make_spec(**spec), mode=mode) as writer:
        for i in range(0, len(rows), 100):
            writer.append(rows[i : i + 100])
        writer.commit()


def test_incremental_merge_replaces_changed_and_adds_new_rows(cache: Cache) -> None:
    base = [make_row(i) for i in range(500)]
    write(cache, base)
    delta = [make_row(i, amount="99.00") for i in (3, 250)] + [make_row(900)]
    write(cache, delta, RunMode.INCREMENTAL)
    snap = cache.read("orders")
    assert snap is not None and snap.meta.mode is RunMode.INCREMENTAL
    assert snap.meta.rows == 501 and snap.meta.pages == 1
    frame = snap.frame().set_index("line_key")
    assert frame.loc["k000003", "amount"] == 99 and frame.loc["k000004", "amount"] == 10.5
    assert "k000900" in frame.index
    assert list(frame.index) == sorted(frame.index)


def test_incremental_equals_full_of_the_same_final_state(cache: Cache, tmp_path: Path) -> None:
    write(cache, [make_row(i) for i in range(300)])
    final = [make_row(i, amount="1.25" if i % 7 == 0 else "10.50") for i in range(320)]
    changed = [r for r in final if r["so_id"] % 7 == 0 or r["so_id"] >= 300]
    write(cache, changed, RunMode.INCREMENTAL)
    other = Cache(tmp_path / "full")
    write(other, final)
    merged, full = cache.read("orders"), other.read("orders")
    assert merged is not None and full is not None
    order = "SELECT * FROM rows ORDER BY line_key"
    assert merged.query(order).equals(full.query(order))
    other.close()


def test_incremental_needs_a_previous_snapshot_and_a_key(cache: Cache) -> None:
    with pytest.raises(CacheError, match="needs a published snapshot"):
        write(cache, [make_row(1)], RunMode.INCREMENTAL)
    write(cache, [make_row(1)])
    with pytest.raises(CacheError, match="needs a declared key"):
        write(cache, [make_row(1)], RunMode.INCREMENTAL, key=None)


def test_failed_incremental_keeps_previous(cache: Cache) -> None:
    write(cache, [make_row(i) for i in range(50)])
    with pytest.raises(CacheError), cache.writer(make_spec(), mode="incremental") as writer:
        writer.append([make_row(1), make_row(1)])
        writer.commit()
    snap = cache.read("orders")
    assert snap is not None and snap.meta.rows == 50 and snap.meta.mode is RunMode.FULL


def test_status_fresh_stale_never_and_failed(cache: Cache) -> None:
    fresh, stale, never = (make_spec(n) for n in ("fresh_q", "stale_q", "never_q"))
    live = make_spec("live_q", refresh=None)
    for spec in (fresh, stale):
        with cache.writer(spec) as writer:
            writer.append(pages(5)[0])
            writer.commit()
    with pytest.raises(RuntimeError), cache.writer(stale) as writer:
        raise RuntimeError("HTTP 500 after 6 attempts")
    now = datetime.now(UTC) + timedelta(minutes=20)
    status = {s.name: s for s in cache.status([fresh, stale, never, live], now)}
    assert set(status) == {"fresh_q", "stale_q", "never_q"}
    assert not status["fresh_q"].stale and status["fresh_q"].rows == 5
    assert status["fresh_q"].age is not None and status["fresh_q"].age >= timedelta(minutes=20)
    assert status["never_q"].never_refreshed and status["never_q"].stale
    assert status["never_q"].last_status is None
    assert status["stale_q"].last_status is RunStatus.FAILED
    assert status["stale_q"].last_error == "RuntimeError: HTTP 500 after 6 attempts"
    assert status["stale_q"].last_ok_run is not None and status["stale_q"].rows == 5
    later = {s.name: s for s in cache.status([fresh], now + timedelta(minutes=11))}
    assert later["fresh_q"].stale


def test_status_flags_a_version_change(cache: Cache) -> None:
    write(cache, [make_row(1)])
    (status,) = cache.status([make_spec(version=2, checksum="c2")], datetime.now(UTC))
    assert status.version_changed and status.version == 2
    assert status.last_ok_run is not None and status.last_ok_run.version == 1


def test_status_accepts_a_catalog_mapping_and_naive_now(cache: Cache) -> None:
    write(cache, [make_row(1)])
    spec = make_spec()
    (status,) = cache.status({spec.name: spec}, datetime.now(UTC).replace(tzinfo=None))
    assert status.age is not None and abs(status.age) < timedelta(minutes=1)
