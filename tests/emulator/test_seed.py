"""The seeder's API: deterministic output, scales, validation of its arguments, all-or-nothing
loading, and the large scale (run with `pytest -m slow`). Plain DuckDB, no server.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

import duckdb
import pytest
from seedhelpers import TODAY, one, seeded, status_mismatches, table_hashes

from suiteops.emulator import schema
from suiteops.emulator.seed import SCALES, SeedSummary, resolve_scale, seed_database


@pytest.fixture(scope="module")
def tiny() -> Iterator[duckdb.DuckDBPyConnection]:
    con, _ = seeded()
    yield con
    con.close()


@pytest.fixture(scope="module")
def demo_run() -> Iterator[tuple[duckdb.DuckDBPyConnection, SeedSummary]]:
    con, summary = seeded(scale="demo")
    yield con, summary
    con.close()


def test_same_seed_same_data(tiny: duckdb.DuckDBPyConnection) -> None:
    again, _ = seeded()
    assert table_hashes(again) == table_hashes(tiny)


def test_different_seed_different_data(tiny: duckdb.DuckDBPyConnection) -> None:
    other, _ = seeded(seed=8)
    ours, theirs = table_hashes(tiny), table_hashes(other)
    for table in (
        "transaction",
        "transactionline",
        "customer",
        "trackingnumber",
        "inventorynumberlocation",
    ):
        assert ours[table] != theirs[table], table


def test_every_table_is_filled(tiny: duckdb.DuckDBPyConnection) -> None:
    empty = [t for t in schema.TABLES if one(tiny, f"SELECT count(*) FROM {t}") == 0]
    assert empty == []


def test_summary_counts_match_tables(
    demo_run: tuple[duckdb.DuckDBPyConnection, SeedSummary],
) -> None:
    con, summary = demo_run
    assert (summary.seed, summary.scale, summary.today) == (7, "demo", TODAY)
    assert (
        summary.orders
        == SCALES["demo"]
        == one(con, "SELECT count(*) FROM transaction WHERE type = 'SalesOrd'")
    )
    assert summary.transactions == one(con, "SELECT count(*) FROM transaction")
    assert summary.lines == one(con, "SELECT count(*) FROM transactionline")


def test_demo_scale_seeds_in_seconds(
    demo_run: tuple[duckdb.DuckDBPyConnection, SeedSummary],
) -> None:
    assert demo_run[1].seconds < 5.0  # target ~1 s; slack for 2 shared cores


def test_int_scale_is_a_number_of_orders() -> None:
    con, summary = seeded(scale=25)
    assert (
        summary.orders == 25 == one(con, "SELECT count(*) FROM transaction WHERE type = 'SalesOrd'")
    )


def test_default_today_is_the_current_date() -> None:
    summary = seed_database(duckdb.connect(), scale=5)
    assert summary.today == datetime.date.today()


@pytest.mark.parametrize(
    ("scale", "message"),
    [
        ("huge", "unknown seed scale 'huge'"),
        (0, "1 to 5,000,000 sales orders, got 0"),
        (-3, "got -3"),
        (5_000_001, "got 5000001"),
        (2.5, "not 2.5"),
        (True, "not True"),
    ],
)
def test_bad_scale_is_refused_by_name(scale: object, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        resolve_scale(scale)  # type: ignore[arg-type]


def test_numeric_text_scale_is_accepted() -> None:
    assert resolve_scale("40") == 40


def test_seeding_twice_into_one_database_is_refused(tiny: duckdb.DuckDBPyConnection) -> None:
    con, _ = seeded(scale=5)
    with pytest.raises(ValueError, match="empty database"):
        seed_database(con, scale=5, today=TODAY)


@pytest.mark.slow
def test_large_scale_has_a_million_lines_in_minutes(request: pytest.FixtureRequest) -> None:
    if "slow" not in (request.config.option.markexpr or ""):
        pytest.skip("large scale runs only when selected with -m slow")
    con, summary = seeded(scale="large")
    assert summary.lines >= 1_000_000
    assert summary.seconds < 180
    assert status_mismatches(con) == []


@pytest.mark.parametrize("seed", [-1, 1.5, "7", True])
def test_bad_seed_is_refused_by_name(seed: object) -> None:
    with pytest.raises(ValueError, match=re.escape(f"not {seed!r}")):
        seed_database(duckdb.connect(), seed=seed, scale=5, today=TODAY)  # type: ignore[arg-type]


def test_seeding_inside_an_open_transaction_is_refused() -> None:
    con = duckdb.connect()
    con.execute("BEGIN TRANSACTION")
    with pytest.raises(ValueError, match="outside one"):
        seed_database(con, scale=5, today=TODAY)


def test_a_datetime_today_means_its_date(tiny: duckdb.DuckDBPyConnection) -> None:
    con = duckdb.connect()
    summary = seed_database(con, scale="tiny", today=datetime.datetime(2026, 12, 4, 15, 30))
    assert summary.today == TODAY
    assert table_hashes(con)["transaction"] == table_hashes(tiny)["transaction"]


def test_a_failed_seed_leaves_no_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    import suiteops.emulator.seed as seed_module

    def broken(*_: object) -> int:
        raise RuntimeError("disk full")  # a fault DuckDB will not produce on demand

    monkeypatch.setattr(seed_module, "write_tracking", broken)
    con = duckdb.connect()
    with pytest.raises(RuntimeError, match="disk full"):
        seed_database(con, scale=5, today=TODAY)
    assert one(con, "SELECT count(*) FROM transaction") == 0
    assert one(con, "SELECT count(*) FROM item") == 0


def _shifted(con: duckdb.DuckDBPyConnection, table: str, days: int) -> str:
    """md5 of `table` with every DATE/TIMESTAMP column moved `days` days later."""
    columns = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns"
        " WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    shift = {"DATE": f" + {days}", "TIMESTAMP": f" + INTERVAL {days} DAY"}
    select = ", ".join(f"{name}{shift.get(kind, '')} AS {name}" for name, kind in columns)
    return str(
        one(
            con,
            f"SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR))"
            f" FROM (SELECT {select} FROM {table}) t",
        )
    )


def test_a_week_later_today_shifts_every_date_by_a_week(tiny: duckdb.DuckDBPyConnection) -> None:
    later = duckdb.connect()
    seed_database(later, scale="tiny", today=TODAY + datetime.timedelta(days=7))
    tables = ("transaction", "transactionline", "customer", "item", "inventoryitemlocations")
    for table in tables:  # (lot numbers embed their production date, so that table differs)
        assert _shifted(tiny, table, 7) == _shifted(later, table, 0), table
