"""The SuiteQL dialect: translated SQL run on DuckDB over a small hand-made account."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suiteops.emulator import schema
from suiteops.emulator.dialect import DialectError, Translation, install_functions, translate

D = dt.date
T = dt.datetime

ROWS: dict[str, list[tuple[Any, ...]]] = {
    "subsidiary": [(1, "Parent Co", "F")],
    "location": [
        (1, "Main Warehouse", None, 1, "F", "T"),
        (2, "East DC", None, 1, "F", "T"),
        (3, "West DC", None, 1, "F", "T"),
    ],
    "term": [(1, "Net 30", 30)],
    "shipitem": [(50, "UPS Ground", "UPS Ground", "ups", "F")],
}
# (columns, rows) for the tables where only some columns matter.
PARTIAL: dict[str, tuple[str, list[tuple[Any, ...]]]] = {
    "customer": (
        "id, entityid, altname, isperson, terms",
        [(10, "C10", "Acme Corp", "F", 1), (11, "C11", "Jane Doe", "T", None)],
    ),
    "item": (
        "id, itemid, itemtype, islotitem",
        [(100, "SKU-100", "InvtPart", "F"), (101, "LOT-101", "InvtPart", "T")],
    ),
    "transaction": (
        "id, tranid, type, recordtype, status, trandate, createddate, lastmodifieddate, entity, "
        "otherrefnum, terms, shipmethod, foreigntotal, shipcarrier",
        [
            (
                1,
                "SO1",
                "SalesOrd",
                "salesorder",
                "B",
                D(2026, 1, 10),
                T(2026, 1, 10, 8),
                T(2026, 1, 10, 8),
                10,
                "#1001",
                1,
                50,
                100,
                None,
            ),
            (
                2,
                "SO2",
                "SalesOrd",
                "salesorder",
                "D",
                D(2026, 1, 12),
                T(2026, 1, 12, 9),
                T(2026, 1, 15, 9),
                11,
                "#1002",
                None,
                None,
                50,
                None,
            ),
            (
                3,
                "SO3",
                "SalesOrd",
                "salesorder",
                "F",
                D(2026, 1, 2),
                T(2026, 1, 2, 9),
                T(2026, 1, 3, 9),
                10,
                "#1003",
                None,
                None,
                70,
                None,
            ),
            (
                4,
                "IF1",
                "ItemShip",
                "itemfulfillment",
                "C",
                D(2026, 1, 15),
                T(2026, 1, 15, 9),
                T(2026, 1, 15, 9),
                11,
                None,
                None,
                50,
                None,
                "ups",
            ),
            (
                5,
                "SO4",
                "SalesOrd",
                "salesorder",
                "E",
                D(2026, 1, 3),
                T(2026, 1, 3, 9),
                T(2026, 1, 4, 9),
                10,
                "#1004",
                None,
                None,
                30,
                None,
            ),
            (
                6,
                "INV1",
                "CustInvc",
                "invoice",
                "A",
                D(2026, 1, 5),
                T(2026, 1, 5, 9),
                T(2026, 1, 5, 9),
                10,
                None,
                1,
                None,
                30,
                None,
            ),
            (
                7,
                "SO5",
                "SalesOrd",
                "salesorder",
                "Z",
                D(2026, 1, 6),
                T(2026, 1, 6, 9),
                T(2026, 1, 6, 9),
                None,
                None,
                None,
                None,
                0,
                None,
            ),
        ],
    ),
    "transactionline": (
        "transaction, id, uniquekey, linesequencenumber, mainline, item, quantity, "
        "quantityshiprecv, fulfillable, location, createdfrom",
        [
            (1, 0, 1000, 0, "T", None, None, None, "F", 1, None),
            (1, 1, 1001, 1, "F", 100, -3, 0, "T", 1, None),
            (1, 2, 1002, 2, "F", 101, -2, None, "T", 2, None),
            (2, 0, 2000, 0, "T", None, None, None, "F", 1, None),
            (2, 1, 2001, 1, "F", 100, -5, 2, "T", 1, None),
            (4, 0, 4000, 0, "T", None, None, None, "F", 1, 2),
            (4, 1, 4001, 1, "F", 100, 2, None, "F", 1, 2),
        ],
    ),
    "nexttransactionlinelink": (
        "previousdoc, previousline, nextdoc, nextline, linktype",
        [(2, 1, 4, 1, "ShipRcpt"), (5, 1, 6, 1, "OrdBill")],
    ),
    "trackingnumber": ("id, trackingnumber", [(70, "1Z999")]),
    "trackingnumbermap": ("transaction, trackingnumber", [(4, 70)]),
    "inventorynumber": (
        "id, item, inventorynumber, expirationdate",
        [(80, 101, "LOT-A", D(2026, 6, 1))],
    ),
    "inventorynumberlocation": ("inventorynumber, location, quantityavailable", [(80, 1, 5)]),
}


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory account: the schema, the macros and the rows above."""
    connection = duckdb.connect(":memory:")
    schema.create_schema(connection)
    install_functions(connection)
    for table, rows in ROWS.items():
        marks = ", ".join("?" * len(rows[0]))
        connection.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    for table, (columns, rows) in PARTIAL.items():
        marks = ", ".join("?" * len(rows[0]))
        connection.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
    yield connection
    connection.close()


def run(con: duckdb.DuckDBPyConnection, suiteql: str, params: Sequence[Any] = ()) -> list[tuple]:
    """Translate and execute; every row as a tuple."""
    translation = translate(suiteql, param_count=len(params))
    return con.execute(translation.sql, list(params)).fetchall()


def scalar(con: duckdb.DuckDBPyConnection, expression: str, params: Sequence[Any] = ()) -> Any:
    """The value of one expression selected from dual."""
    (row,) = run(con, f"SELECT {expression} FROM dual", params)
    return row[0]


def refusal(suiteql: str, param_count: int = 0) -> DialectError:
    """The DialectError translating this text raises."""
    with pytest.raises(DialectError) as caught:
        translate(suiteql, param_count=param_count)
    return caught.value


DAY_0305 = "TO_DATE('2024-03-05', 'YYYY-MM-DD')"
TS_0305 = "TO_TIMESTAMP('2024-03-05 14:07:09', 'YYYY-MM-DD HH24:MI:SS')"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("NVL(NULL, 2)", 2),
        ("NVL(1, 2)", 1),
        ("NVL2(NULL, 'a', 'b')", "b"),
        ("NVL2(1, 'a', 'b')", "a"),
        ("DECODE(NULL, NULL, 'null', 'other')", "null"),
        ("DECODE(2, 1, 'one', 2, 'two', 'many')", "two"),
        ("DECODE(9, 1, 'one', 'many')", "many"),
        ("COALESCE(NULL, NULL, 3)", 3),
        ("NULLIF(1, 1)", None),
        ("NULLIF(1, 2)", 1),
        ("CASE WHEN 1 = 1 THEN 'y' ELSE 'n' END", "y"),
        ("CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' END", "two"),
        ("ABS(-3)", 3),
        ("ROUND(2.5)", 3),
        ("ROUND(1.234, 2)", Decimal("1.23")),
        ("TRUNC(1.57)", 1),
        ("TRUNC(1.57, 1)", Decimal("1.5")),
        ("TRUNC(-1.57)", -1),
        ("UPPER('abc')", "ABC"),
        ("LOWER('ABC')", "abc"),
        ("SUBSTR('hello', 2, 3)", "ell"),
        ("SUBSTR('hello', -3)", "llo"),
        ("SUBSTR('hello', 0, 2)", "he"),
        ("SUBSTR('hello', 1 - 1, 2)", "he"),
        ("SUBSTR('hello', 1 + 1)", "ello"),
        ("INSTR('hello', 'l')", 3),
        ("INSTR('hello', 'z')", 0),
        ("LENGTH('hello')", 5),
        ("REPLACE('a-b-c', '-', '+')", "a+b+c"),
        ("REPLACE('a-b-c', '-')", "abc"),
        ("TRIM('  x  ')", "x"),
        ("'a' || 'b'", "ab"),
        ("'a' || NULL || 'b'", "ab"),
        ("'n' || 1", "n1"),
        ("CONCAT('a', 'b')", "ab"),
        ("CONCAT('a', NULL)", "a"),
        ("TO_NUMBER('12.5')", 12.5),
        ("TO_NUMBER('1,234.5', '9,999.9')", 1234.5),
        ("TO_NUMBER('7') + 1", 8.0),
    ],
)
def test_functions(con: duckdb.DuckDBPyConnection, expression: str, expected: Any) -> None:
    assert scalar(con, expression) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (f"TO_CHAR({DAY_0305}, 'YYYY-MM-DD')", "2024-03-05"),
        (f"TO_CHAR({DAY_0305}, 'MM/DD/YYYY')", "03/05/2024"),
        (f"TO_CHAR({DAY_0305}, 'DD-MON-YYYY')", "05-MAR-2024"),
        (f"TO_CHAR({DAY_0305}, 'Mon DD, YYYY')", "Mar 05, 2024"),
        (f"TO_CHAR({DAY_0305}, 'mon')", "mar"),
        (f"TO_CHAR({DAY_0305}, 'Month')", "March    "),
        (f"TO_CHAR({DAY_0305}, 'FMMonth DD')", "March 5"),
        (f"TO_CHAR({DAY_0305}, 'FMMM/DD/YYYY')", "3/5/2024"),
        (f"TO_CHAR({DAY_0305}, 'DY')", "TUE"),
        (f"TO_CHAR({DAY_0305}, 'Dy')", "Tue"),
        (f"TO_CHAR({DAY_0305}, 'DAY')", "TUESDAY  "),
        (f"TO_CHAR({DAY_0305}, 'D')", "3"),
        (f"TO_CHAR({DAY_0305}, 'Q')", "1"),
        (f"TO_CHAR({DAY_0305}, '\"Q\"Q YYYY')", "Q1 2024"),
        (f"TO_CHAR({DAY_0305}, 'DDD')", "065"),
        (f"TO_CHAR({DAY_0305}, 'YY')", "24"),
        (f"TO_CHAR({TS_0305}, 'YYYY-MM-DD HH24:MI:SS')", "2024-03-05 14:07:09"),
        (f"TO_CHAR({TS_0305}, 'HH:MI AM')", "02:07 PM"),
        (f"TO_CHAR({TS_0305}, 'HH12.MI.SS')", "02.07.09"),
        ("TO_CHAR(NULL, 'YYYY-MM-DD')", None),
        ("TO_CHAR(1234.5, '9,999.99')", " 1,234.50"),
        ("TO_CHAR(1234.5, 'FM9,999.99')", "1,234.50"),
        ("TO_CHAR(0.5, 'FM990.00')", "0.50"),
        ("TO_CHAR(7, 'FM000')", "007"),
        ("TO_CHAR(2.5, 'FM9')", "3"),
        ("TO_CHAR(5, '999')", "   5"),
        ("TO_CHAR(12.3, 'FM$999.00')", "$12.30"),
        ("TO_CHAR(42)", "42"),
    ],
)
def test_to_char_masks(con: duckdb.DuckDBPyConnection, expression: str, expected: str) -> None:
    assert scalar(con, expression) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("TO_DATE('2024-03-05', 'YYYY-MM-DD')", D(2024, 3, 5)),
        ("TO_DATE('03/05/2024', 'MM/DD/YYYY')", D(2024, 3, 5)),
        ("TO_DATE('3/5/2024')", D(2024, 3, 5)),
        ("TO_DATE('05-MAR-2024', 'DD-MON-YYYY')", D(2024, 3, 5)),
        ("TO_DATE('5 march 2024', 'FMDD Month YYYY')", D(2024, 3, 5)),
        ("TO_DATE('2024-03-05T14:07', 'YYYY-MM-DD\"T\"HH24:MI')", T(2024, 3, 5, 14, 7)),
        ("TO_TIMESTAMP('2024-03-05', 'YYYY-MM-DD')", T(2024, 3, 5)),
        ("TO_DATE('2024-03-05 14:07:09', 'YYYY-MM-DD HH24:MI:SS')", T(2024, 3, 5, 14, 7, 9)),
        (TS_0305, T(2024, 3, 5, 14, 7, 9)),
        ("TO_TIMESTAMP('2024-03-05 14:07:09')", T(2024, 3, 5, 14, 7, 9)),
        (f"TRUNC({TS_0305})", D(2024, 3, 5)),
        (f"TRUNC({DAY_0305})", D(2024, 3, 5)),
        (f"TRUNC({DAY_0305}, 'MM')", D(2024, 3, 1)),
        (f"TRUNC({DAY_0305}, 'YYYY')", D(2024, 1, 1)),
        (f"TRUNC({DAY_0305}, 'Q')", D(2024, 1, 1)),
        (f"TRUNC({DAY_0305}, 'IW')", D(2024, 3, 4)),
        (f"TRUNC({TS_0305}, 'HH24')", T(2024, 3, 5, 14)),
        ("ADD_MONTHS(TO_DATE('2024-01-31', 'YYYY-MM-DD'), 1)", D(2024, 2, 29)),
        ("ADD_MONTHS(TO_DATE('2024-02-29', 'YYYY-MM-DD'), 1)", D(2024, 3, 31)),
        ("ADD_MONTHS(TO_DATE('2024-01-15', 'YYYY-MM-DD'), -2)", D(2023, 11, 15)),
        ("LAST_DAY(TO_DATE('2024-02-10', 'YYYY-MM-DD'))", D(2024, 2, 29)),
        (
            "MONTHS_BETWEEN(TO_DATE('2024-03-15', 'YYYY-MM-DD'), "
            "TO_DATE('2024-01-15', 'YYYY-MM-DD'))",
            2,
        ),
        (
            "MONTHS_BETWEEN(TO_DATE('2024-03-31', 'YYYY-MM-DD'), "
            "TO_DATE('2024-02-29', 'YYYY-MM-DD'))",
            1,
        ),
    ],
)
def test_dates(con: duckdb.DuckDBPyConnection, expression: str, expected: Any) -> None:
    value = scalar(con, expression)
    assert value == expected
    assert type(value) is type(expected) or isinstance(expected, int)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (f"{DAY_0305} - TO_DATE('2024-03-01', 'YYYY-MM-DD')", 4),
        (f"TO_TIMESTAMP('2024-03-05 12:00:00', 'YYYY-MM-DD HH24:MI:SS') - {DAY_0305}", 0.5),
        (f"{DAY_0305} - TO_TIMESTAMP('2024-03-04 18:00:00', 'YYYY-MM-DD HH24:MI:SS')", 0.25),
        (f"{DAY_0305} + 1", D(2024, 3, 6)),
        (f"1 + {DAY_0305}", D(2024, 3, 6)),
        (f"{DAY_0305} - 5", D(2024, 2, 29)),
        (f"{DAY_0305} + 0.25", T(2024, 3, 5, 6)),
        (f"{TS_0305} + 1", T(2024, 3, 6, 14, 7, 9)),
        ("TO_TIMESTAMP('2024-03-05 12:00:00', 'YYYY-MM-DD HH24:MI:SS') + 0.5", T(2024, 3, 6)),
        (f"{TS_0305} - 2", T(2024, 3, 3, 14, 7, 9)),
        (f"TRUNC({TS_0305}) - 2", D(2024, 3, 3)),
        (f"CASE WHEN {DAY_0305} < {TS_0305} THEN 'lt' END", "lt"),
        (f"CASE WHEN {DAY_0305} = TRUNC({TS_0305}) THEN 'eq' END", "eq"),
        (f"ADD_MONTHS({DAY_0305}, 1) - {DAY_0305}", 31),
    ],
)
def test_date_arithmetic(con: duckdb.DuckDBPyConnection, expression: str, expected: Any) -> None:
    value = scalar(con, expression)
    assert value == expected
    assert type(value) is type(expected) or isinstance(expected, (int, float))


def test_date_minus_placeholder_counts_days(con: duckdb.DuckDBPyConnection) -> None:
    assert scalar(con, f"{DAY_0305} - ?", ["2"]) == T(2024, 3, 3)


def test_sysdate_is_a_timestamp_of_now_and_current_date_a_date(
    con: duckdb.DuckDBPyConnection,
) -> None:
    before = dt.datetime.now()
    sysdate, today = run(con, "SELECT SYSDATE, CURRENT_DATE FROM dual")[0]
    assert isinstance(sysdate, dt.datetime)
    assert abs((sysdate - before).total_seconds()) < 60
    assert type(today) is dt.date and today == sysdate.date()


def test_sysdate_minus_a_date_is_a_fraction_of_days(con: duckdb.DuckDBPyConnection) -> None:
    age = scalar(con, "SYSDATE - TRUNC(SYSDATE)")
    assert isinstance(age, float) and 0 <= age < 1
    ages = run(con, "SELECT id, SYSDATE - trandate AS age FROM transaction WHERE id = 1")
    expected = (dt.datetime.now() - dt.datetime(2026, 1, 10)).total_seconds() / 86400
    assert ages[0][1] == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize(
    ("suiteql", "expected"),
    [
        (
            "SELECT id FROM transaction WHERE trandate > TO_DATE('2026-01-10', 'YYYY-MM-DD') - 1 "
            "AND type = 'SalesOrd' ORDER BY id",
            [(1,), (2,)],
        ),
        (
            "SELECT id FROM transaction WHERE lastmodifieddate < SYSDATE - 2 AND id < 3 "
            "ORDER BY id",
            [(1,), (2,)],
        ),
        (
            "SELECT id FROM transaction WHERE trandate >= TRUNC(lastmodifieddate) - 1 "
            "AND id IN (2, 3) ORDER BY id",
            [(3,)],
        ),
        ("SELECT id FROM transaction WHERE lastmodifieddate - trandate > 2.5 ORDER BY id", [(2,)]),
    ],
)
def test_date_arithmetic_on_columns(
    con: duckdb.DuckDBPyConnection, suiteql: str, expected: list[tuple]
) -> None:
    assert run(con, suiteql) == expected


@pytest.mark.parametrize(
    ("suiteql", "expected"),
    [
        ("SELECT BUILTIN.DF(entity) FROM transaction WHERE id = 1", "Acme Corp"),
        ("SELECT BUILTIN.DF(t.terms) FROM transaction t WHERE t.id = 1", "Net 30"),
        ("SELECT BUILTIN.DF(t.shipmethod) FROM transaction t WHERE t.id = 1", "UPS Ground"),
        ("SELECT BUILTIN.DF(t.subsidiary) FROM transaction t WHERE t.id = 1", "Parent Co"),
        ("SELECT BUILTIN.DF(tl.item) FROM transactionline tl WHERE tl.uniquekey = 1002", "LOT-101"),
        (
            "SELECT BUILTIN.DF(tl.location) FROM transactionline tl WHERE tl.uniquekey = 1002",
            "East DC",
        ),
        (
            "SELECT BUILTIN.DF(tl.createdfrom) FROM transactionline tl WHERE tl.uniquekey = 4000",
            "SO2",
        ),
        ("SELECT BUILTIN.DF(c.terms) FROM customer c WHERE c.id = 10", "Net 30"),
        ("SELECT BUILTIN.DF(n.item) FROM inventorynumber n", "LOT-101"),
        ("SELECT BUILTIN.DF(nl.inventorynumber) FROM inventorynumberlocation nl", "LOT-A"),
        (
            "SELECT BUILTIN.DF(l.nextdoc) FROM nexttransactionlinelink l WHERE l.previousdoc = 5",
            "INV1",
        ),
        (
            "SELECT BUILTIN.DF(t.status) FROM transaction t WHERE t.id = 1",
            "Sales Order : Pending Fulfillment",
        ),
        (
            "SELECT BUILTIN.DF(t.status) FROM transaction t WHERE t.id = 5",
            "Sales Order : Pending Billing / Partially Fulfilled",
        ),
        (
            "SELECT BUILTIN.DF(t.status) FROM transaction t WHERE t.id = 4",
            "Item Fulfillment : Shipped",
        ),
        ("SELECT BUILTIN.DF(t.status) FROM transaction t WHERE t.id = 7", "Sales Order : Z"),
        ("SELECT BUILTIN.DF(t.type) FROM transaction t WHERE t.id = 6", "Invoice"),
        ("SELECT BUILTIN.CF(t.status) FROM transaction t WHERE t.id = 1", "SalesOrd:B"),
        ("SELECT BUILTIN.CF(t.status) FROM transaction t WHERE t.id = 4", "ItemShip:C"),
        ("SELECT BUILTIN.DF(t.tranid) FROM transaction t WHERE t.id = 1", "SO1"),
        ("SELECT BUILTIN.DF(t.id) FROM transaction t WHERE t.id = 1", "1"),
        ("SELECT BUILTIN.DF(t.entity) FROM transaction t WHERE t.id = 7", None),
        ("SELECT builtin.df(T.Entity) FROM Transaction T WHERE T.ID = 2", "Jane Doe"),
        (
            "SELECT BUILTIN.DF(x.location) FROM (SELECT tl.location FROM transactionline tl "
            "WHERE tl.uniquekey = 1002) x",
            "East DC",
        ),
        (
            "SELECT BUILTIN.DF(x.status) FROM (SELECT t.type, t.status FROM transaction t "
            "WHERE t.id = 2) x",
            "Sales Order : Partially Fulfilled",
        ),
        (
            "SELECT BUILTIN.DF(x.st) FROM (SELECT t.type, t.status AS st FROM transaction t "
            "WHERE t.id = 3) x",
            "Sales Order : Pending Billing",
        ),
        (
            "SELECT (SELECT BUILTIN.DF(t.entity) FROM dual) FROM transaction t WHERE t.id = 1",
            "Acme Corp",
        ),
    ],
)
def test_builtin_display_and_criteria_values(
    con: duckdb.DuckDBPyConnection, suiteql: str, expected: str | None
) -> None:
    assert run(con, suiteql) == [(expected,)]


def test_df_status_matches_schema_status_label_for_every_row(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = run(con, "SELECT type, status, BUILTIN.DF(status) FROM transaction ORDER BY id")
    assert len(rows) == len(PARTIAL["transaction"][1])
    assert all(label == schema.status_label(kind, letter) for kind, letter, label in rows)


def test_df_grouped_by_and_selected_uses_one_join(con: duckdb.DuckDBPyConnection) -> None:
    suiteql = (
        "SELECT BUILTIN.DF(tl.location) AS loc, COUNT(*) AS n FROM transactionline tl "
        "WHERE tl.mainline = 'F' GROUP BY BUILTIN.DF(tl.location) ORDER BY loc"
    )
    assert translate(suiteql).sql.count("LEFT JOIN location") == 1
    assert run(con, suiteql) == [("East DC", 1), ("Main Warehouse", 3)]


@pytest.mark.parametrize(
    ("suiteql", "detail"),
    [
        ("SELECT BUILTIN.CF(t.entity) FROM transaction t", "BUILTIN.CF is supported only"),
        ("SELECT BUILTIN.DF(1) FROM dual", "BUILTIN.DF expects a field"),
        ("SELECT BUILTIN.DF(t.id, t.tranid) FROM transaction t", "takes exactly one field"),
        ("SELECT BUILTIN.CONSOLIDATE(t.total) FROM transaction t", "BUILTIN.CONSOLIDATE is not"),
        (
            "SELECT BUILTIN.DF(x.status) FROM (SELECT t.status FROM transaction t) x",
            "needs the transaction type",
        ),
    ],
)
def test_builtin_refusals(suiteql: str, detail: str) -> None:
    assert detail in refusal(suiteql).detail


@pytest.mark.parametrize(
    ("suiteql", "params", "expected"),
    [
        ("SELECT id FROM location WHERE ROWNUM <= 2 ORDER BY id DESC", [], [(2,), (1,)]),
        ("SELECT id FROM location WHERE ROWNUM < 3 ORDER BY id DESC", [], [(2,), (1,)]),
        ("SELECT id FROM location WHERE 2 >= ROWNUM ORDER BY id DESC", [], [(2,), (1,)]),
        ("SELECT id FROM location WHERE ROWNUM = 1", [], [(1,)]),
        ("SELECT id FROM location WHERE ROWNUM < 2.5", [], [(1,), (2,)]),
        ("SELECT id FROM location WHERE ROWNUM <= 1.5", [], [(1,)]),
        ("SELECT id FROM location WHERE ROWNUM < 1", [], []),
        ("SELECT id FROM location WHERE ROWNUM <= ? ORDER BY id DESC", [2], [(2,), (1,)]),
        ("SELECT id FROM location WHERE id > 1 AND ROWNUM <= 1 ORDER BY id DESC", [], [(2,)]),
        ("SELECT COUNT(*) FROM location WHERE ROWNUM <= 2", [], [(2,)]),
        ("SELECT ROWNUM, id FROM location ORDER BY id DESC", [], [(3, 3), (2, 2), (1, 1)]),
        (
            "SELECT ROWNUM AS rn, name FROM location WHERE ROWNUM <= 2 ORDER BY name",
            [],
            [(2, "East DC"), (1, "Main Warehouse")],
        ),
        (
            "SELECT * FROM (SELECT id FROM location ORDER BY id DESC) WHERE ROWNUM <= 2",
            [],
            [(3,), (2,)],
        ),
        (
            "SELECT l.id FROM location l WHERE ROWNUM <= 2 AND EXISTS (SELECT 1 FROM "
            "transactionline tl WHERE tl.location = l.id) ORDER BY l.id DESC",
            [],
            [(2,), (1,)],
        ),
        ("SELECT TOP 2 id FROM location ORDER BY id DESC", [], [(3,), (2,)]),
        ("SELECT TOP 1 name FROM location ORDER BY name", [], [("East DC",)]),
    ],
)
def test_rownum_and_top(
    con: duckdb.DuckDBPyConnection, suiteql: str, params: list[Any], expected: list[tuple]
) -> None:
    assert run(con, suiteql, params) == expected


@pytest.mark.parametrize(
    "suiteql",
    [
        "SELECT id FROM location WHERE ROWNUM > 1",
        "SELECT id FROM location WHERE ROWNUM <= 2 OR id = 3",
        "SELECT id FROM location WHERE ROWNUM = 2",
        "SELECT id FROM location WHERE ROWNUM <= id",
        "SELECT l.id FROM location l JOIN location m ON ROWNUM <= 1 AND m.id = l.id",
    ],
)
def test_rownum_forms_oracle_would_not_limit_are_refused(suiteql: str) -> None:
    assert "ROWNUM" in refusal(suiteql).detail


@pytest.mark.parametrize(
    ("suiteql", "expected"),
    [
        (
            "SELECT t.id FROM transaction t WHERE EXISTS (SELECT 1 FROM trackingnumbermap m "
            "WHERE m.transaction = t.id)",
            [(4,)],
        ),
        (
            "SELECT t.id FROM transaction t WHERE t.type = 'SalesOrd' AND NOT EXISTS "
            "(SELECT 1 FROM nexttransactionlinelink l WHERE l.previousdoc = t.id) ORDER BY t.id",
            [(1,), (3,), (7,)],
        ),
        (
            "SELECT id FROM transaction WHERE id IN (SELECT transaction FROM trackingnumbermap)",
            [(4,)],
        ),
        (
            "SELECT id FROM transaction WHERE entity NOT IN (SELECT id FROM customer WHERE "
            "isperson = 'T') ORDER BY id",
            [(1,), (3,), (5,), (6,)],
        ),
        ("SELECT x.n FROM (SELECT COUNT(*) AS n FROM location) x", [(3,)]),
        (
            "SELECT type, COUNT(*) FROM transaction GROUP BY type HAVING COUNT(*) > 1",
            [("SalesOrd", 5)],
        ),
        ("SELECT COUNT(DISTINCT entity) FROM transaction", [(2,)]),
        (
            "SELECT id, ROW_NUMBER() OVER (PARTITION BY entity ORDER BY id DESC) AS rn "
            "FROM transaction WHERE entity = 11 ORDER BY id",
            [(2, 2), (4, 1)],
        ),
        (
            "SELECT id FROM location WHERE id = 1 UNION SELECT id FROM customer WHERE id = 10 "
            "ORDER BY id",
            [(1,), (10,)],
        ),
        (
            "SELECT id FROM location WHERE id < 3 UNION ALL SELECT id FROM location WHERE id < 2 "
            "ORDER BY id",
            [(1,), (1,), (2,)],
        ),
        ("SELECT SUM(ABS(quantity)) FROM transactionline WHERE transaction = 1", [(5,)]),
        ("SELECT MIN(trandate), MAX(trandate) FROM transaction", [(D(2026, 1, 2), D(2026, 1, 15))]),
        (
            "SELECT l.name FROM location l, transactionline tl WHERE tl.location = l.id AND "
            "tl.uniquekey = 1002",
            [("East DC",)],
        ),
        ("SELECT ID, Name FROM LOCATION WHERE Id = 1", [(1, "Main Warehouse")]),
        ("SELECT id FROM transaction WHERE id = ? OR tranid = ?", [(1,)]),
    ],
)
def test_queries(con: duckdb.DuckDBPyConnection, suiteql: str, expected: list[tuple]) -> None:
    params = [1, "SO1"] if "?" in suiteql else []
    assert run(con, suiteql, params) == expected


@pytest.mark.parametrize(
    ("suiteql", "columns"),
    [
        ("SELECT id, tranid AS Number FROM transaction", ("id", "number")),
        ("SELECT ID, T.TRANID FROM TRANSACTION T", ("id", "tranid")),
        ("SELECT COUNT(*), MAX(id) AS top, SUM(id) FROM transaction", ("expr1", "top", "expr2")),
        ("SELECT BUILTIN.DF(t.entity), t.entity FROM transaction t", ("expr1", "entity")),
        (
            "SELECT * FROM location",
            ("id", "name", "fullname", "subsidiary", "isinactive", "makeinventoryavailable"),
        ),
        (
            "SELECT t.id, l.* FROM transaction t JOIN location l ON l.id = t.id",
            ("id", "id", "name", "fullname", "subsidiary", "isinactive", "makeinventoryavailable"),
        ),
        ('SELECT id AS "MyId" FROM location', ("myid",)),
        ("SELECT id AS a FROM location UNION SELECT id FROM item", ("a",)),
        ("SELECT ROWNUM, id, ROWNUM + 1 FROM location", ("rownum", "id", "expr1")),
    ],
)
def test_output_columns(suiteql: str, columns: tuple[str, ...]) -> None:
    assert translate(suiteql).columns == columns


@pytest.mark.parametrize(
    ("suiteql", "detail"),
    [
        ("SELECT id FROM nosuch", "Record 'nosuch' was not found."),
        ("SELECT id FROM NoSuch n", "Record 'NoSuch' was not found."),
        (
            "SELECT t.id FROM transaction t JOIN widgets w ON w.id = t.id",
            "Record 'widgets' was not found.",
        ),
        (
            "SELECT id FROM transaction WHERE id IN (SELECT id FROM ghost)",
            "Record 'ghost' was not found.",
        ),
        ("SELECT foo FROM location", "Unknown identifier 'foo'"),
        ("SELECT Foo FROM location", "Unknown identifier 'Foo'"),
        ("SELECT l.foo FROM location l", "Unknown identifier 'foo'"),
        ("SELECT a.id FROM location l", "Unknown identifier 'a.id'"),
        ("SELECT id FROM location WHERE bogus = 1", "Unknown identifier 'bogus'"),
        (
            "SELECT t.id FROM transaction t WHERE NOT EXISTS (SELECT 1 FROM transactionline tl "
            "WHERE tl.transaction = t.id AND tl.bogus = 1)",
            "Unknown identifier 'bogus'",
        ),
        ("SELECT x.nope FROM (SELECT id FROM location) x", "Unknown identifier 'nope'"),
        ("SELECT trackingnumbers FROM transaction", "Unknown identifier 'trackingnumbers'"),
    ],
)
def test_unknown_records_and_fields(suiteql: str, detail: str) -> None:
    error = refusal(suiteql)
    assert (error.code, error.detail) == ("INVALID_PARAMETER", detail)


@pytest.mark.parametrize(
    "suiteql",
    [
        "INSERT INTO location (id, name) VALUES (9, 'x')",
        "UPDATE location SET name = 'x'",
        "DELETE FROM location",
        "CREATE TABLE x (a INT)",
        "DROP TABLE location",
        "SELECT 1 FROM dual; SELECT 2 FROM dual",
        "SELECT 1 FROM dual; DELETE FROM location",
    ],
)
def test_only_select_is_accepted(suiteql: str) -> None:
    error = refusal(suiteql)
    assert error.code == "USER_ERROR"
    assert error.detail.startswith("Only SELECT")


@pytest.mark.parametrize(
    ("suiteql", "detail"),
    [
        ("WITH a AS (SELECT id FROM location) SELECT id FROM a", "WITH"),
        ("SELECT id FROM location LIMIT 2", "LIMIT is not supported"),
        ("SELECT id FROM location FETCH FIRST 2 ROWS ONLY", "FETCH FIRST is not supported"),
        ("SELECT id FROM transaction WHERE trandate > DATE '2024-01-01'", "Date literals"),
        (
            "SELECT id FROM transaction WHERE createddate > TIMESTAMP '2024-01-01 00:00:00'",
            "Date literals",
        ),
        ("SELECT l.id FROM location l, subsidiary s WHERE l.subsidiary = s.id(+)", "(+)"),
        ("SELECT LISTAGG(name, ', ') WITHIN GROUP (ORDER BY name) FROM location", "LISTAGG"),
    ],
)
def test_refused_constructs(suiteql: str, detail: str) -> None:
    error = refusal(suiteql)
    assert error.code == "USER_ERROR"
    assert detail in error.detail


def test_parse_errors_carry_line_and_column() -> None:
    error = refusal("SELECT id,\n  (1 FROM location")
    assert error.code == "INVALID_PARAMETER"
    assert "line 2, column" in error.detail


def test_named_parameters_are_refused() -> None:
    assert "use ? placeholders" in refusal("SELECT id FROM location WHERE id = :id").detail


@pytest.mark.parametrize(
    ("suiteql", "param_count", "detail"),
    [
        ("SELECT id FROM location WHERE id = ?", 0, "expected 1 parameters, got 0"),
        ("SELECT id FROM location WHERE id BETWEEN ? AND ?", 1, "expected 2 parameters, got 1"),
        ("SELECT id FROM location", 2, "expected 0 parameters, got 2"),
    ],
)
def test_placeholder_count_must_match(suiteql: str, param_count: int, detail: str) -> None:
    assert refusal(suiteql, param_count).detail == detail


def test_placeholders_stay_in_order(con: duckdb.DuckDBPyConnection) -> None:
    suiteql = "SELECT id FROM location WHERE id BETWEEN ? AND ? AND name <> ? ORDER BY id"
    assert translate(suiteql, param_count=3).sql.count("?") == 3
    assert run(con, suiteql, [1, 3, "East DC"]) == [(1,), (3,)]


def test_translate_is_cached_per_text() -> None:
    suiteql = "SELECT id FROM location"
    first = translate(suiteql)
    assert isinstance(first, Translation)
    assert translate(suiteql) is first


def test_macros_are_visible_to_cursors_and_reinstallable(con: duckdb.DuckDBPyConnection) -> None:
    install_functions(con)
    cursor = con.cursor()
    try:
        days = f"{DAY_0305} - TO_TIMESTAMP('2024-03-04 12:00:00', 'YYYY-MM-DD HH24:MI:SS')"
        assert cursor.execute(translate(f"SELECT {days} FROM dual").sql).fetchone() == (0.5,)
    finally:
        cursor.close()


# The five example queries of reference/netsuite.md §4.8 (one comment shortened).
PENDING_BY_LOCATION = """
SELECT tl.location                               AS location_id,
       loc.name                                  AS location_name,
       COUNT(DISTINCT so.id)                     AS open_orders,
       SUM(ABS(tl.quantity) - NVL(tl.quantityshiprecv, 0)) AS open_units
FROM transaction so
JOIN transactionline tl ON tl.transaction = so.id
LEFT JOIN location loc  ON loc.id = tl.location
WHERE so.type = 'SalesOrd'
  AND so.status IN ('B', 'D', 'E')  -- pending fulfillment / partially fulfilled / billing+partial
  AND tl.mainline = 'F' AND tl.taxline = 'F'
  AND tl.isclosed = 'F' AND tl.fulfillable = 'T'
  AND ABS(tl.quantity) - NVL(tl.quantityshiprecv, 0) > 0
GROUP BY tl.location, loc.name
ORDER BY open_units DESC
"""
PARTIALLY_FULFILLED = """
SELECT so.id, so.tranid, so.otherrefnum,
       TO_CHAR(so.trandate, 'YYYY-MM-DD') AS trandate,
       BUILTIN.DF(so.status)              AS status_label,
       i.itemid                           AS sku,
       BUILTIN.DF(tl.location)            AS location_name,
       ABS(tl.quantity)                   AS ordered,
       NVL(tl.quantityshiprecv, 0)        AS fulfilled,
       ABS(tl.quantity) - NVL(tl.quantityshiprecv, 0) AS remaining
FROM transaction so
JOIN transactionline tl ON tl.transaction = so.id
JOIN item i ON i.id = tl.item
WHERE so.type = 'SalesOrd'
  AND so.status IN ('D', 'E')
  AND tl.mainline = 'F' AND tl.taxline = 'F' AND tl.isclosed = 'F'
  AND ABS(tl.quantity) - NVL(tl.quantityshiprecv, 0) > 0
ORDER BY so.id, tl.id
"""
FULFILLMENTS_WITH_TRACKING = """
SELECT f.id                                AS if_id,
       f.tranid                            AS if_number,
       TO_CHAR(f.trandate, 'YYYY-MM-DD')   AS ship_date,
       f.status                            AS if_status,      -- A picked, B packed, C shipped
       f.shipcarrier,
       BUILTIN.DF(f.shipmethod)            AS ship_method,
       so.id AS so_id, so.tranid AS so_number, so.otherrefnum,
       tn.trackingnumber
FROM transaction f
JOIN transactionline fm ON fm.transaction = f.id AND fm.mainline = 'T'
JOIN transaction so      ON so.id = fm.createdfrom AND so.type = 'SalesOrd'
LEFT JOIN trackingnumbermap m ON m.transaction = f.id
LEFT JOIN trackingnumber tn   ON tn.id = m.trackingnumber
WHERE f.type = 'ItemShip'
  AND f.trandate >= TO_DATE('2026-01-01', 'YYYY-MM-DD')
ORDER BY f.id
"""
FAILED_BILLING = """
SELECT so.id, so.tranid, so.otherrefnum,
       TO_CHAR(so.trandate, 'YYYY-MM-DD')  AS trandate,
       BUILTIN.DF(so.status)               AS status_label,
       so.foreigntotal
FROM transaction so
WHERE so.type = 'SalesOrd'
  AND so.status IN ('E', 'F')                       -- something shipped, not fully billed
  AND so.lastmodifieddate < SYSDATE - 2             -- N days; better: last fulfillment date (below)
  AND NOT EXISTS (
        SELECT 1
        FROM NextTransactionLineLink l
        JOIN transaction b ON b.id = l.nextdoc
        WHERE l.previousdoc = so.id
          AND l.linktype = 'OrdBill'
          AND b.type IN ('CustInvc', 'CashSale'))
  -- optional, Celigo accounts:  AND so.custbody_celigo_etail_auto_bill_exp = 'T'
ORDER BY so.id
"""
LOT_GAPS = """
SELECT i.id AS item_id, i.itemid AS sku,
       tl.location AS location_id, BUILTIN.DF(tl.location) AS location_name,
       COUNT(DISTINCT so.id) AS orders_waiting,
       SUM(ABS(tl.quantity) - NVL(tl.quantityshiprecv, 0)) AS units_waiting
FROM transaction so
JOIN transactionline tl ON tl.transaction = so.id
JOIN item i ON i.id = tl.item
WHERE so.type = 'SalesOrd'
  AND so.status IN ('B', 'D', 'E')
  AND tl.mainline = 'F' AND tl.taxline = 'F' AND tl.isclosed = 'F'
  AND i.islotitem = 'T'
  AND ABS(tl.quantity) - NVL(tl.quantityshiprecv, 0) > 0
  AND NOT EXISTS (
        SELECT 1
        FROM inventorynumber n
        JOIN inventorynumberlocation nl ON nl.inventorynumber = n.id
        WHERE n.item = tl.item
          AND nl.location = tl.location
          AND nl.quantityavailable > 0)
GROUP BY i.id, i.itemid, tl.location, BUILTIN.DF(tl.location)
ORDER BY units_waiting DESC
"""


@pytest.mark.parametrize(
    ("suiteql", "expected"),
    [
        (PENDING_BY_LOCATION, [(1, "Main Warehouse", 2, 6), (2, "East DC", 1, 2)]),
        (
            PARTIALLY_FULFILLED,
            [
                (
                    2,
                    "SO2",
                    "#1002",
                    "2026-01-12",
                    "Sales Order : Partially Fulfilled",
                    "SKU-100",
                    "Main Warehouse",
                    5,
                    2,
                    3,
                )
            ],
        ),
        (
            FULFILLMENTS_WITH_TRACKING,
            [(4, "IF1", "2026-01-15", "C", "ups", "UPS Ground", 2, "SO2", "#1002", "1Z999")],
        ),
        (FAILED_BILLING, [(3, "SO3", "#1003", "2026-01-02", "Sales Order : Pending Billing", 70)]),
        (LOT_GAPS, [(101, "LOT-101", 2, "East DC", 1, 2)]),
    ],
    ids=["pending-by-location", "partially-fulfilled", "tracking", "failed-billing", "lot-gaps"],
)
def test_reference_example_queries_translate_and_run(
    con: duckdb.DuckDBPyConnection, suiteql: str, expected: list[tuple]
) -> None:
    assert run(con, suiteql) == expected


@pytest.mark.parametrize(
    ("suiteql", "expected"),
    [
        # sql.keyset_query's shape: an unaliased derived table, filtered and ordered outside.
        (
            "SELECT * FROM (SELECT t.id, BUILTIN.DF(t.status) AS st FROM transaction t "
            "WHERE t.type = 'SalesOrd') WHERE id > 3 ORDER BY id",
            [(5, "Sales Order : Pending Billing / Partially Fulfilled"), (7, "Sales Order : Z")],
        ),
        (
            "SELECT COUNT(*) AS n, SUM(id) AS s FROM (SELECT t.id FROM transaction t) "
            "WHERE id <= 3",
            [(3, 6)],
        ),
        (
            "SELECT t.id FROM transaction t WHERE BUILTIN.DF(t.status) = "
            "'Sales Order : Pending Fulfillment'",
            [(1,)],
        ),
        (
            "SELECT t.id FROM transaction t WHERE t.id < 3 ORDER BY BUILTIN.DF(t.entity)",
            [(1,), (2,)],
        ),
        (
            "SELECT BUILTIN.DF(t.entity) AS who FROM transaction t WHERE t.id = 1 UNION "
            "SELECT BUILTIN.DF(l.subsidiary) FROM location l WHERE l.id = 1 ORDER BY who",
            [("Acme Corp",), ("Parent Co",)],
        ),
        (
            "SELECT DISTINCT BUILTIN.DF(tl.location) AS loc FROM transactionline tl ORDER BY loc",
            [("East DC",), ("Main Warehouse",)],
        ),
        ('SELECT "ID" FROM "LOCATION" WHERE "Name" = \'West DC\'', [(3,)]),
        ("SELECT 5 / 2 FROM dual", [(2.5,)]),
        ("SELECT id FROM location WHERE id = 1;", [(1,)]),
        ("SELECT id FROM location /* a */ WHERE id = 1 -- ends */ here", [(1,)]),
        ("SELECT TOP 1 id FROM location WHERE ROWNUM <= 2 ORDER BY id DESC", [(2,)]),
        (
            "SELECT id FROM transaction WHERE trandate BETWEEN TO_DATE('2026-01-10', 'YYYY-MM-DD') "
            "AND TO_DATE('2026-01-12', 'YYYY-MM-DD') ORDER BY id",
            [(1,), (2,)],
        ),
        ("SELECT TO_CHAR(MAX(trandate), 'YYYY-MM-DD') FROM transaction", [("2026-01-15",)]),
        (
            "SELECT TO_CHAR(NVL(shipdate, trandate) + 1, 'MM/DD') FROM transaction WHERE id = 1",
            [("01/11",)],
        ),
    ],
)
def test_more_shapes(con: duckdb.DuckDBPyConnection, suiteql: str, expected: list[tuple]) -> None:
    assert run(con, suiteql) == expected


@pytest.mark.parametrize(
    ("suiteql", "detail"),
    [
        ("", "the query text is empty"),
        ("-- only a comment", "the query text is empty"),
        ("SELECT TO_CHAR(trandate, 'YYYY-XX') FROM transaction", "Unsupported format element"),
        ("SELECT TO_CHAR(trandate, memo) FROM transaction", "must be a string literal"),
        ("SELECT TRUNC(trandate, 'ZZ') FROM transaction", "Unsupported TRUNC date format"),
        ("SELECT TRUNC(trandate, 'WW') FROM transaction", "Unsupported TRUNC date format"),
        ("SELECT TO_DATE(memo, 'YYYY-WW') FROM transaction", "Unsupported format element"),
        ("SELECT TO_DATE(memo, 'YYYY-Q') FROM transaction", "cannot be parsed"),
        (
            "SELECT TO_DATE(memo, 'DD-MON-YYYY', 'NLS_DATE_LANGUAGE = American') FROM transaction",
            "NLS parameter",
        ),
        ("SELECT INSTR(memo, 'a', 1, 2) FROM transaction", "Not supported by the emulator"),
        ("SELECT TO_NUMBER(memo) FROM transaction WHERE id = 'x", "Invalid search query"),
    ],
)
def test_malformed_input_is_named(suiteql: str, detail: str) -> None:
    error = refusal(suiteql)
    assert detail in error.detail


@pytest.mark.parametrize(
    ("table", "column"), sorted(schema.DISPLAY_FIELDS), ids=lambda part: str(part)
)
def test_every_display_mapping_joins_its_target(
    con: duckdb.DuckDBPyConnection, table: str, column: str
) -> None:
    target, field = schema.DISPLAY_FIELDS[(table, column)]
    translation = translate(f"SELECT BUILTIN.DF(x.{column}) AS shown FROM {table} x")
    assert f"LEFT JOIN {target} AS ns_df_1 ON ns_df_1.id = x.{column}" in translation.sql
    assert f"ns_df_1.{field.split('.')[1]} AS shown" in translation.sql
    expected = con.execute(
        f"SELECT d.{field.split('.')[1]} FROM {table} x LEFT JOIN {target} d ON d.id = x.{column}"
    ).fetchall()
    assert con.execute(translation.sql).fetchall() == expected


def test_df_status_matches_status_label_for_every_known_pair() -> None:
    pairs = [*sorted(schema.STATUS_LABELS), ("SalesOrd", "Q"), ("Journal", "A")]
    with duckdb.connect(":memory:") as account:
        schema.create_schema(account)
        install_functions(account)
        account.executemany(
            "INSERT INTO transaction (id, tranid, type, recordtype, status, trandate, "
            "createddate, lastmodifieddate) VALUES (?, ?, ?, 'x', ?, DATE '2026-01-01', "
            "TIMESTAMP '2026-01-01', TIMESTAMP '2026-01-01')",
            [(n, f"T{n}", kind, letter) for n, (kind, letter) in enumerate(pairs)],
        )
        sql = translate(
            "SELECT type, status, BUILTIN.DF(status), BUILTIN.CF(status) FROM transaction "
            "ORDER BY id"
        ).sql
        rows = account.execute(sql).fetchall()
    assert [(kind, letter) for kind, letter, _, _ in rows] == pairs
    for kind, letter, label, criteria in rows:
        assert (label, criteria) == (schema.status_label(kind, letter), f"{kind}:{letter}")


def test_df_follows_the_first_branch_of_a_union(con: duckdb.DuckDBPyConnection) -> None:
    suiteql = (
        "SELECT BUILTIN.DF(x.location) AS loc FROM (SELECT tl.location FROM transactionline tl "
        "WHERE tl.uniquekey = 1002 UNION SELECT nl.location FROM inventorynumberlocation nl) x "
        "ORDER BY loc"
    )
    assert run(con, suiteql) == [("East DC",), ("Main Warehouse",)]


@pytest.mark.parametrize(
    "suiteql",
    [
        "SELECT BUILTIN.DF(tl.item), BUILTIN.DF(tl.location) FROM transactionline tl",
        "SELECT t.id FROM transaction t WHERE NOT EXISTS (SELECT 1 FROM "
        "nexttransactionlinelink l WHERE l.previousdoc = t.id AND l.linktype = 'OrdBill')",
    ],
)
def test_display_values_and_missing_links_plan_as_hash_joins(
    con: duckdb.DuckDBPyConnection, suiteql: str
) -> None:
    # Over a million lines a nested loop per row would be unusable; DuckDB must hash-join.
    rows = con.execute("EXPLAIN " + translate(suiteql).sql).fetchall()
    plan = "\n".join(row[1] for row in rows).lower()
    assert "hash join" in plan
    assert "nested loop" not in plan
    assert "nl join" not in plan


@settings(max_examples=40, deadline=None)
@given(
    first=st.dates(min_value=D(1990, 1, 1), max_value=D(2060, 12, 31)),
    second=st.dates(min_value=D(1990, 1, 1), max_value=D(2060, 12, 31)),
    shift=st.integers(min_value=-4000, max_value=4000),
)
def test_date_arithmetic_agrees_with_python(
    con: duckdb.DuckDBPyConnection, first: dt.date, second: dt.date, shift: int
) -> None:
    a, b = (f"TO_DATE('{day:%Y-%m-%d}', 'YYYY-MM-DD')" for day in (first, second))
    shown = "TO_CHAR(?1, 'YYYY-MM-DD Dy Mon DDD D Q')"
    suiteql = f"SELECT {a} - {b}, {a} + ?, {shown.replace('?1', a)} FROM dual"
    days, shifted, text = run(con, suiteql, [shift])[0]
    assert days == (first - second).days
    assert shifted == dt.datetime.combine(first, dt.time()) + dt.timedelta(days=shift)
    weekday = (first.isoweekday() % 7) + 1  # Oracle D: Sunday = 1
    quarter = (first.month - 1) // 3 + 1
    assert text == f"{first:%Y-%m-%d %a %b %j} {weekday} {quarter}"
