"""Snapshots: typed writes, atomic publish, nothing published on failure, pruning, reading."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
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


def publish(cache: Cache, n_rows: int, name: str = "orders", **spec_changes: object) -> None:
    spec = make_spec(name, **spec_changes)
    with cache.writer(spec, params={"since": date(2026, 1, 1)}, account="123_SB1") as writer:
        for page in pages(n_rows):
            writer.append(page)
        writer.commit()


def test_nothing_published_reads_none(cache: Cache) -> None:
    assert cache.read("orders") is None


def test_publish_then_read_typed_rows_and_provenance(cache: Cache) -> None:
    publish(cache, 2500)
    snap = cache.read("orders")
    assert snap is not None
    meta = snap.meta
    assert (meta.status, meta.rows, meta.pages, meta.mode) == (RunStatus.OK, 2500, 3, RunMode.FULL)
    assert (meta.version, meta.checksum, meta.account) == (1, "c1", "123_SB1")
    assert meta.params == '{"since": "2026-01-01"}'
    frame = snap.frame()
    assert len(frame) == 2500
    first = frame.iloc[0].to_dict()
    expected = make_row(0)
    assert first["line_key"] == "k000000" and first["so_id"] == 0
    assert first["amount"] == Decimal("10.5000")
    assert first["trandate"].date() == expected["trandate"]
    assert first["modified"].to_pydatetime() == expected["modified"]
    assert bool(first["is_open"]) is True
    assert snap.age < timedelta(minutes=1)


def test_query_runs_sql_with_params_over_rows(cache: Cache) -> None:
    publish(cache, 300)
    snap = cache.read("orders")
    assert snap is not None
    out = snap.query("SELECT count(*) AS n FROM rows WHERE location = ?", ["West"])
    assert int(out["n"].iloc[0]) == 100


def test_snapshot_is_read_only(cache: Cache) -> None:
    publish(cache, 10)
    snap = cache.read("orders")
    assert snap is not None
    with pytest.raises(CacheError, match="read-only"):
        snap.query("DELETE FROM rows")


def test_aware_datetimes_are_stored_as_utc(cache: Cache) -> None:
    spec = make_spec()
    row = make_row(1) | {"modified": datetime(2026, 11, 1, 14, 0, tzinfo=UTC).astimezone()}
    with cache.writer(spec) as writer:
        writer.append([row])
        writer.commit()
    snap = cache.read("orders")
    assert snap is not None
    assert snap.frame()["modified"].iloc[0].to_pydatetime() == datetime(2026, 11, 1, 14, 0)


def test_exception_midway_publishes_nothing_and_records_failure(cache: Cache) -> None:
    publish(cache, 1500)
    before = cache.read("orders")
    with pytest.raises(RuntimeError), cache.writer(make_spec()) as writer:
        writer.append(pages(1000)[0])
        raise RuntimeError("page 2 failed: HTTP 500")
    snap = cache.read("orders")
    assert snap is not None and before is not None
    assert snap.meta.run_id == before.meta.run_id and len(snap.frame()) == 1500
    last = cache.runs("orders")[0]
    assert last.status is RunStatus.FAILED
    assert last.error == "RuntimeError: page 2 failed: HTTP 500"
    assert (last.pages, last.rows, last.snapshot) == (1, 1000, None)
    assert not list((cache.root / "snapshots" / "orders").glob("*.partial.duckdb*"))


def test_keyboard_interrupt_is_recorded_as_interrupted(cache: Cache) -> None:
    with pytest.raises(KeyboardInterrupt), cache.writer(make_spec()) as writer:
        writer.append(pages(10)[0])
        raise KeyboardInterrupt
    assert cache.read("orders") is None
    assert cache.runs("orders")[0].status is RunStatus.INTERRUPTED


def test_closing_without_commit_publishes_nothing(cache: Cache) -> None:
    with cache.writer(make_spec()) as writer:
        writer.append(pages(10)[0])
    assert cache.read("orders") is None
    assert cache.runs("orders")[0].error == "the writer was closed without commit()"


@pytest.mark.parametrize(
    ("column", "value", "kind"),
    [("so_id", "12x", "int"), ("trandate", "2026-13-45", "date"), ("is_open", 3.5, "bool")],
)
def test_bad_value_names_page_row_and_column(
    cache: Cache, column: str, value: object, kind: str
) -> None:
    rows = [make_row(i) for i in range(5)]
    rows[3] = rows[3] | {column: value}
    with pytest.raises(CacheError) as info, cache.writer(make_spec()) as writer:
        writer.append(rows)
    assert str(info.value) == (
        f"orders: page 1, row 4, column {column!r}: {value!r} is not a valid {kind}"
    )
    assert cache.read("orders") is None
    assert cache.runs("orders")[0].status is RunStatus.FAILED


def test_decimal_text_that_is_not_a_number_fails_the_run(cache: Cache) -> None:
    with pytest.raises(CacheError, match="page 1 rejected"), cache.writer(make_spec()) as w:
        w.append([make_row(1) | {"amount": "twelve"}])
    assert cache.read("orders") is None


def test_duplicate_keys_refuse_to_publish(cache: Cache) -> None:
    dupes = [make_row(1), make_row(2), make_row(1)]
    with (
        pytest.raises(CacheError, match="key 'line_key' is not unique"),
        cache.writer(make_spec()) as writer,
    ):
        writer.append(dupes)
        writer.commit()
    assert cache.read("orders") is None


def test_missing_columns_are_null_and_extra_keys_ignored(cache: Cache) -> None:
    row = {"line_key": "a", "unexpected": 1}
    with cache.writer(make_spec()) as writer:
        writer.append([row])
        writer.commit()
    snap = cache.read("orders")
    assert snap is not None
    frame = snap.frame()
    assert list(frame.columns) == [c.name for c in make_spec().columns]
    assert frame["so_id"].isna().all()


def test_empty_result_publishes_an_empty_table(cache: Cache) -> None:
    with cache.writer(make_spec()) as writer:
        writer.commit()
    snap = cache.read("orders")
    assert snap is not None and snap.meta.rows == 0 and snap.frame().empty


def test_reader_switches_to_new_snapshot_and_prunes_beyond_keep(cache: Cache) -> None:
    counts = [10, 20, 30, 40, 50]
    seen = []
    for n in counts:
        publish(cache, n)
        snap = cache.read("orders")
        assert snap is not None
        seen.append(len(snap.frame()))
    assert seen == counts
    files = sorted(p.name for p in (cache.root / "snapshots" / "orders").glob("*.duckdb"))
    ok_runs = [r.snapshot for r in cache.runs("orders") if r.ok]
    assert files == sorted(ok_runs[:3])


def test_old_snapshot_object_keeps_working_after_prune(cache: Cache) -> None:
    publish(cache, 7)
    old = cache.read("orders")
    for n in (8, 9, 10):
        publish(cache, n)
    assert old is not None and not old.path.exists()
    assert len(old.frame()) == 7


def test_second_cache_in_process_sees_publishes(cache: Cache) -> None:
    other = Cache(cache.root)
    publish(cache, 5)
    snap = other.read("orders")
    assert snap is not None and snap.meta.rows == 5
    other.close()


def test_bad_query_name_is_refused(cache: Cache) -> None:
    with pytest.raises(CacheError, match="not a valid query name"):
        cache.read("../etc")


def test_history_appended_per_publish_grouped(cache: Cache) -> None:
    publish(cache, 30)
    publish(cache, 60)
    hist = cache.history("orders")
    assert list(hist.columns) == ["run_id", "query", "at", "group", "rows", "amount"]
    assert len(hist) == 4 and hist["run_id"].nunique() == 2
    last = hist[hist["run_id"] == hist["run_id"].iloc[-1]].set_index("group")
    assert last.loc["East", "rows"] == 40 and last.loc["West", "rows"] == 20
    assert last.loc["East", "amount"] == pytest.approx(40 * 10.5)


def test_history_without_group_or_amount(cache: Cache) -> None:
    publish(cache, 12, kpi_group=None, kpi_amount=None)
    hist = cache.history("orders")
    assert hist[["group", "rows"]].values.tolist() == [[None, 12]]
    assert hist["amount"].isna().all()


def test_history_since_filters(cache: Cache) -> None:
    publish(cache, 3, name="a_query")
    cut = datetime.now(UTC)
    publish(cache, 4, name="b_query")
    assert set(cache.history(since=cut)["query"]) == {"b_query"}
    assert set(cache.history()["query"]) == {"a_query", "b_query"}


def test_corrupt_pointer_is_a_clear_error(cache: Cache) -> None:
    publish(cache, 3)
    (cache.root / "snapshots" / "orders" / "current").write_text("../../etc/passwd")
    with pytest.raises(CacheError, match=re.escape("corrupt snapshot pointer '../../etc/passwd'")):
        Cache(cache.root).read("orders")


def test_missing_published_file_is_a_clear_error(cache: Cache) -> None:
    publish(cache, 3)
    snap = cache.read("orders")
    assert snap is not None
    cache.close()  # DuckDB would otherwise reuse this process's open instance of the file
    snap.path.unlink()
    other = Cache(cache.root)
    with pytest.raises(CacheError, match=r"orders: the published snapshot .* is missing"):
        other.read("orders")
