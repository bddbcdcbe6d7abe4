"""NetSuite value formatting done by DuckDB (`page_shape`) against the expected strings and
against the Python rules (`format_value`), one line per case."""

from __future__ import annotations

import json
from collections.abc import Iterator

import duckdb
import pytest

from suiteops.emulator.formatting import PageShape, format_value, page_json, page_shape


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as connection:
        yield connection


def fetch_items(con: duckdb.DuckDBPyConnection, select: str, keys: list[str]) -> list[dict]:
    """Items of `select` through the emulator's page path: describe, shape, fetch, JSON."""
    described = con.execute(f"SELECT * FROM ({select}) AS q LIMIT 0").description or ()
    shape = page_shape(keys, [str(d[1]) for d in described])
    aliases = ", ".join(f"c{i}" for i in range(len(keys)))
    rows = con.execute(f"SELECT {shape.select} FROM ({select}) AS q({aliases})").fetchall()
    return json.loads(page_json({"count": len(rows)}, shape, rows))["items"]


@pytest.mark.parametrize(
    ("literal", "text"),
    [
        ("CAST(12.500 AS DECIMAL(18,3))", "12.5"),
        ("CAST(3 AS DECIMAL(18,4))", "3"),
        ("CAST(-0.25 AS DECIMAL(18,4))", "-0.25"),
        ("CAST(-0.00 AS DECIMAL(18,2))", "0"),
        ("CAST(100 AS DECIMAL(18,2))", "100"),
        ("CAST(100 AS DECIMAL(18,0))", "100"),
        ("CAST(0.0000001 AS DECIMAL(38,10))", "0.0000001"),
        ("CAST(12345678901234567.89 AS DECIMAL(38,2))", "12345678901234567.89"),
        ("42", "42"),
        ("CAST(-7 AS BIGINT)", "-7"),
        ("CAST(255 AS UTINYINT)", "255"),
        ("CAST(170141183460469231731687303715884105727 AS HUGEINT)", str(2**127 - 1)),
        ("true", "T"),
        ("false", "F"),
        ("DATE '2026-01-05'", "1/5/2026"),
        ("DATE '0099-03-04'", "3/4/99"),
        ("CAST('infinity' AS DATE)", "12/31/9999"),
        ("CAST('-infinity' AS DATE)", "1/1/1"),
        ("TIMESTAMP '2026-12-31 23:59:01'", "12/31/2026"),
        ("CAST(TIMESTAMP '2026-02-03 04:05:06' AS TIMESTAMP_S)", "2/3/2026"),
        ("CAST(TIMESTAMP '2026-02-03 04:05:06' AS TIMESTAMP_MS)", "2/3/2026"),
        ("CAST(TIMESTAMP '2026-02-03 04:05:06.123' AS TIMESTAMP_NS)", "2/3/2026"),
        ("'It''s \"q\" \\ é\t/'", 'It\'s "q" \\ é\t/'),
        ("CAST(1e20 AS DOUBLE)", "100000000000000000000"),  # DOUBLE: formatted in Python
        ("CAST(3.0 AS DOUBLE)", "3"),
        ("CAST(1e-7 AS DOUBLE)", "0.0000001"),
    ],
)
def test_sql_and_python_paths_give_netsuite_text(
    con: duckdb.DuckDBPyConnection, literal: str, text: str
) -> None:
    assert fetch_items(con, f"SELECT {literal} AS v", ["v"]) == [{"links": [], "v": text}]
    assert format_value(con.execute(f"SELECT {literal}").fetchone()[0]) == text  # type: ignore[index]


@pytest.mark.parametrize(
    "literal",
    ["CAST(NULL AS DATE)", "CAST(NULL AS BOOLEAN)", "CAST(NULL AS DECIMAL(18,2))", "NULL"],
)
def test_null_values_are_left_out(con: duckdb.DuckDBPyConnection, literal: str) -> None:
    assert fetch_items(con, f"SELECT 1 AS id, {literal} AS v", ["id", "v"]) == [
        {"links": [], "id": "1"}]  # fmt: skip


def test_json_items_match_python_items(con: duckdb.DuckDBPyConnection) -> None:
    select = ("SELECT * FROM (VALUES (1, 'a\"b', DATE '2026-01-02', NULL), "
              "(2, NULL, NULL, 'x')) AS t(id, memo, placed, flag)")  # fmt: skip
    keys = ["id", "memo", "placed", "flag"]
    assert fetch_items(con, select, keys) == [
        {"links": [], "id": "1", "memo": 'a"b', "placed": "1/2/2026"},
        {"links": [], "id": "2", "flag": "x"},
    ]
    with_double = f"SELECT *, CAST(id AS DOUBLE) / 4 AS q FROM ({select}) AS s"
    assert fetch_items(con, with_double, [*keys, "q"]) == [
        {"links": [], "id": "1", "memo": 'a"b', "placed": "1/2/2026", "q": "0.25"},
        {"links": [], "id": "2", "flag": "x", "q": "0.5"},
    ]


def test_shape_writes_json_only_when_sql_formats_every_column() -> None:
    assert page_shape(["a", "b"], ["BIGINT", "VARCHAR"]).as_json
    assert page_shape(["a", "b"], ["BIGINT", "DOUBLE"]) == PageShape(
        ("a", "b"), "CAST(c0 AS VARCHAR), c1", False, (1,))  # fmt: skip


def test_ascii_page_is_byte_identical_to_json_dumps(con: duckdb.DuckDBPyConnection) -> None:
    select = "SELECT 7 AS id, 'x' AS memo, CAST(NULL AS VARCHAR) AS gone"
    described = con.execute(select).description or ()
    shape = page_shape(["id", "memo", "gone"], [str(d[1]) for d in described])
    rows = con.execute(f"SELECT {shape.select} FROM ({select}) AS q(c0, c1, c2)").fetchall()
    fields = {"count": 1, "hasMore": False}
    expected = {**fields, "items": [{"links": [], "id": "7", "memo": "x"}]}
    assert page_json(fields, shape, rows) == json.dumps(expected)


def test_duplicate_keys_merge_as_the_python_path_does(con: duckdb.DuckDBPyConnection) -> None:
    select = "SELECT 1 AS id, 2 AS id2, CAST(NULL AS INTEGER) AS id3"
    assert not page_shape(["id", "id", "id"], ["INTEGER"] * 3).as_json
    assert fetch_items(con, select, ["id", "id", "id"]) == [{"links": [], "id": "2"}]
