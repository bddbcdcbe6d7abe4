"""The seeded account: deterministic, referentially whole, statuses consistent with lines, and
every exception the dashboard exists for present at demo scale. Plain DuckDB, no server.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

import duckdb
import pytest

from suiteops.emulator import schema
from suiteops.emulator.seed import SCALES, SeedSummary, resolve_scale, seed_database

TODAY = datetime.date(2026, 12, 4)


def _seeded(
    seed: int = 7, scale: str | int = "tiny"
) -> tuple[duckdb.DuckDBPyConnection, SeedSummary]:
    con = duckdb.connect()
    return con, seed_database(con, seed=seed, scale=scale, today=TODAY)


@pytest.fixture(scope="module")
def tiny() -> Iterator[duckdb.DuckDBPyConnection]:
    con, _ = _seeded()
    yield con
    con.close()


@pytest.fixture(scope="module")
def demo_run() -> Iterator[tuple[duckdb.DuckDBPyConnection, SeedSummary]]:
    con, summary = _seeded(scale="demo")
    yield con, summary
    con.close()


@pytest.fixture(scope="module")
def demo(demo_run: tuple[duckdb.DuckDBPyConnection, SeedSummary]) -> duckdb.DuckDBPyConnection:
    return demo_run[0]


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


def _table_hashes(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """md5 of every table's rows, sorted by their text form."""
    return {
        name: str(
            _one(con, f"SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM {name} t")
        )
        for name in [*schema.TABLES, "transactionstatus"]
    }


# --- determinism -----------------------------------------------------------------------------


def test_same_seed_same_data(tiny: duckdb.DuckDBPyConnection) -> None:
    again, _ = _seeded()
    assert _table_hashes(again) == _table_hashes(tiny)


def test_different_seed_different_data(tiny: duckdb.DuckDBPyConnection) -> None:
    other, _ = _seeded(seed=8)
    ours, theirs = _table_hashes(tiny), _table_hashes(other)
    for table in (
        "transaction",
        "transactionline",
        "customer",
        "trackingnumber",
        "inventorynumberlocation",
    ):
        assert ours[table] != theirs[table], table


def test_every_table_is_filled(tiny: duckdb.DuckDBPyConnection) -> None:
    empty = [t for t in schema.TABLES if _one(tiny, f"SELECT count(*) FROM {t}") == 0]
    assert empty == []


def test_summary_counts_match_tables(
    demo_run: tuple[duckdb.DuckDBPyConnection, SeedSummary],
) -> None:
    con, summary = demo_run
    assert (summary.seed, summary.scale, summary.today) == (7, "demo", TODAY)
    assert (
        summary.orders
        == SCALES["demo"]
        == _one(con, "SELECT count(*) FROM transaction WHERE type = 'SalesOrd'")
    )
    assert summary.transactions == _one(con, "SELECT count(*) FROM transaction")
    assert summary.lines == _one(con, "SELECT count(*) FROM transactionline")


def test_demo_scale_seeds_in_seconds(
    demo_run: tuple[duckdb.DuckDBPyConnection, SeedSummary],
) -> None:
    assert demo_run[1].seconds < 5.0  # target ~1 s; slack for 2 shared cores


def test_int_scale_is_a_number_of_orders() -> None:
    con, summary = _seeded(scale=25)
    assert (
        summary.orders
        == 25
        == _one(con, "SELECT count(*) FROM transaction WHERE type = 'SalesOrd'")
    )


def test_default_today_is_the_current_date() -> None:
    summary = seed_database(duckdb.connect(), scale=5)
    assert summary.today == datetime.date.today()


@pytest.mark.parametrize(
    ("scale", "message"),
    [
        ("huge", "unknown seed scale 'huge'"),
        (0, "at least 1"),
        (-3, "at least 1"),
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
    con, _ = _seeded(scale=5)
    with pytest.raises(ValueError, match="empty database"):
        seed_database(con, scale=5, today=TODAY)


# --- referential integrity -------------------------------------------------------------------

FOREIGN_KEYS = [
    ("location", "subsidiary", "subsidiary", "id"),
    ("customer", "terms", "term", "id"),
    ("customer", "subsidiary", "subsidiary", "id"),
    ("itemmember", "parentitem", "item", "id"),
    ("itemmember", "item", "item", "id"),
    ("transaction", "entity", "customer", "id"),
    ("transaction", "terms", "term", "id"),
    ("transaction", "shipmethod", "shipitem", "id"),
    ("transaction", "subsidiary", "subsidiary", "id"),
    ("transactionline", "transaction", "transaction", "id"),
    ("transactionline", "item", "item", "id"),
    ("transactionline", "kitmemberof", "item", "id"),
    ("transactionline", "location", "location", "id"),
    ("transactionline", "createdfrom", "transaction", "id"),
    ("transactionline", "entity", "customer", "id"),
    ("nexttransactionlink", "previousdoc", "transaction", "id"),
    ("nexttransactionlink", "nextdoc", "transaction", "id"),
    ("trackingnumbermap", "transaction", "transaction", "id"),
    ("trackingnumbermap", "trackingnumber", "trackingnumber", "id"),
    ("itemfulfillmentpackage", "itemfulfillment", "transaction", "id"),
    ("inventorynumber", "item", "item", "id"),
    ("inventorynumberlocation", "inventorynumber", "inventorynumber", "id"),
    ("inventorynumberlocation", "location", "location", "id"),
    ("inventoryassignment", "inventorynumber", "inventorynumber", "id"),
    ("inventoryitemlocations", "item", "item", "id"),
    ("inventoryitemlocations", "location", "location", "id"),
]


@pytest.mark.parametrize(("table", "column", "parent", "key"), FOREIGN_KEYS)
def test_foreign_key_resolves(
    tiny: duckdb.DuckDBPyConnection, table: str, column: str, parent: str, key: str
) -> None:
    dangling = _one(
        tiny,
        f"SELECT count(*) FROM {table} c WHERE c.{column} IS NOT NULL"
        f" AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.{key} = c.{column})",
    )
    assert dangling == 0


LINE_REFERENCES = [
    ("nexttransactionlinelink", "previousdoc", "previousline"),
    ("nexttransactionlinelink", "nextdoc", "nextline"),
    ("previoustransactionlinelink", "previousdoc", "previousline"),
    ("previoustransactionlinelink", "nextdoc", "nextline"),
    ("inventoryassignment", "transaction", "transactionline"),
]


@pytest.mark.parametrize(("table", "doc", "line"), LINE_REFERENCES)
def test_line_reference_resolves(
    tiny: duckdb.DuckDBPyConnection, table: str, doc: str, line: str
) -> None:
    dangling = _one(
        tiny,
        f"SELECT count(*) FROM {table} c WHERE NOT EXISTS (SELECT 1 FROM transactionline l"
        f" WHERE l.transaction = c.{doc} AND l.id = c.{line})",
    )
    assert _one(tiny, f"SELECT count(*) FROM {table}") > 0
    assert dangling == 0


def test_link_types_match_the_documents(tiny: duckdb.DuckDBPyConnection) -> None:
    wrong = _one(
        tiny,
        "SELECT count(*) FROM nexttransactionlinelink k JOIN transaction p ON p.id = k.previousdoc"
        " JOIN transaction n ON n.id = k.nextdoc"
        " WHERE p.type <> k.previoustype OR n.type <> k.nexttype"
        " OR (k.linktype, p.type, n.type) NOT IN (('ShipRcpt', 'SalesOrd', 'ItemShip'),"
        " ('OrdBill', 'SalesOrd', 'CashSale'), ('OrdBill', 'SalesOrd', 'CustInvc'),"
        " ('Payment', 'CustInvc', 'CustPymt'))",
    )
    assert wrong == 0


def test_next_and_previous_line_links_hold_the_same_rows(tiny: duckdb.DuckDBPyConnection) -> None:
    differ = _one(
        tiny,
        "SELECT count(*) FROM ((SELECT * FROM nexttransactionlinelink EXCEPT ALL"
        " SELECT * FROM previoustransactionlinelink) UNION ALL (SELECT * FROM"
        " previoustransactionlinelink EXCEPT ALL SELECT * FROM nexttransactionlinelink))",
    )
    assert differ == 0


def test_header_links_match_line_links(tiny: duckdb.DuckDBPyConnection) -> None:
    differ = _one(
        tiny,
        "SELECT count(*) FROM ((SELECT DISTINCT previousdoc, nextdoc, linktype FROM"
        " nexttransactionlinelink EXCEPT SELECT previousdoc, nextdoc, linktype FROM"
        " nexttransactionlink) UNION ALL (SELECT previousdoc, nextdoc, linktype FROM"
        " nexttransactionlink EXCEPT SELECT previousdoc, nextdoc, linktype"
        " FROM nexttransactionlinelink))",
    )
    assert differ == 0


def test_createdfrom_names_the_linked_sales_order(tiny: duckdb.DuckDBPyConnection) -> None:
    wrong = _one(
        tiny,
        "SELECT count(*) FROM transaction t JOIN transactionline m ON m.transaction = t.id"
        " AND m.mainline = 'T' WHERE t.type IN ('ItemShip', 'CashSale', 'CustInvc') AND NOT EXISTS"
        " (SELECT 1 FROM nexttransactionlink k"
        " WHERE k.nextdoc = t.id AND k.previousdoc = m.createdfrom)",
    )
    assert wrong == 0


# --- keys, quantities, statuses, amounts -----------------------------------------------------


def test_line_keys_are_unique(tiny: duckdb.DuckDBPyConnection) -> None:
    rows = _one(tiny, "SELECT count(*) FROM transactionline")
    assert _one(tiny, "SELECT count(DISTINCT uniquekey) FROM transactionline") == rows
    assert (
        _one(tiny, "SELECT count(*) FROM (SELECT DISTINCT transaction, id FROM transactionline)")
        == rows
    )


def test_every_transaction_has_exactly_one_mainline_with_id_zero(
    tiny: duckdb.DuckDBPyConnection,
) -> None:
    bad = _one(
        tiny,
        "SELECT count(*) FROM transaction t WHERE (SELECT count(*) FROM transactionline l"
        " WHERE l.transaction = t.id AND l.mainline = 'T' AND l.id = 0) <> 1",
    )
    assert bad == 0
    assert (
        _one(tiny, "SELECT count(*) FROM transactionline WHERE (mainline = 'T') <> (id = 0)") == 0
    )


ITEM_LINES = "l.mainline = 'F' AND l.kitmemberof IS NULL AND l.fulfillable = 'T'"

# Status recomputed from the lines alone (module docstring of suiteops.emulator.seed).
STATUS_FROM_LINES = f"""
SELECT so.tranid, so.status,
       CASE WHEN a.open_qty > 0 AND a.shipped = 0 THEN 'B'
            WHEN a.open_qty > 0 AND a.unbilled > 0 THEN 'E'
            WHEN a.open_qty > 0 THEN 'D'
            WHEN a.unbilled > 0 THEN 'F'
            WHEN a.closed > 0 THEN 'H'
            ELSE 'G' END AS expected,
       a.shipped, a.billed, a.closed, a.lines
FROM transaction so JOIN (
    SELECT l.transaction,
           sum(CASE WHEN l.isclosed = 'F' THEN -l.quantity - l.quantityshiprecv ELSE 0 END)
               AS open_qty,
           sum(l.quantityshiprecv) AS shipped, sum(l.quantitybilled) AS billed,
           sum(l.quantityshiprecv - l.quantitybilled) AS unbilled,
           count(*) FILTER (WHERE l.isclosed = 'T') AS closed, count(*) AS lines
    FROM transactionline l WHERE {ITEM_LINES} GROUP BY l.transaction
) a ON a.transaction = so.id
WHERE so.type = 'SalesOrd'
"""


def test_status_matches_lines_for_every_order(
    tiny: duckdb.DuckDBPyConnection, demo: duckdb.DuckDBPyConnection
) -> None:
    for con in (tiny, demo):
        rows = con.execute(STATUS_FROM_LINES).fetchall()
        assert len(rows) == _one(con, "SELECT count(*) FROM transaction WHERE type = 'SalesOrd'")
        wrong = [
            r
            for r in rows
            if not (
                (r[1] == "A" and r[3] == 0)
                or (r[1] == "C" and r[3] == 0 and r[5] == r[6])
                or r[1] == r[2]
            )
        ]
        assert wrong == []


def test_shipped_quantity_is_the_sum_over_shiprcpt_links(tiny: duckdb.DuckDBPyConnection) -> None:
    wrong = _one(
        tiny,
        f"""SELECT count(*) FROM transactionline l JOIN transaction so ON so.id = l.transaction
        WHERE so.type = 'SalesOrd' AND {ITEM_LINES} AND l.quantityshiprecv <> (
            SELECT coalesce(sum(-f.quantity), 0) FROM nexttransactionlinelink k
            JOIN transactionline f ON f.transaction = k.nextdoc AND f.id = k.nextline
            WHERE k.previousdoc = l.transaction AND k.previousline = l.id
              AND k.linktype = 'ShipRcpt')""",
    )
    assert wrong == 0
    assert _one(tiny, "SELECT sum(quantityshiprecv) FROM transactionline") > 0


def test_billed_quantity_is_the_sum_over_ordbill_links(tiny: duckdb.DuckDBPyConnection) -> None:
    wrong = _one(
        tiny,
        f"""SELECT count(*) FROM transactionline l JOIN transaction so ON so.id = l.transaction
        WHERE so.type = 'SalesOrd' AND {ITEM_LINES} AND l.quantitybilled <> (
            SELECT coalesce(sum(-b.quantity), 0) FROM nexttransactionlinelink k
            JOIN transactionline b ON b.transaction = k.nextdoc AND b.id = k.nextline
            WHERE k.previousdoc = l.transaction AND k.previousline = l.id
              AND k.linktype = 'OrdBill')""",
    )
    assert wrong == 0
    assert _one(tiny, "SELECT sum(quantitybilled) FROM transactionline") > 0


def test_quantities_stay_within_the_ordered_quantity(tiny: duckdb.DuckDBPyConnection) -> None:
    bad = _one(
        tiny,
        f"SELECT count(*) FROM transactionline l JOIN transaction t ON t.id = l.transaction"
        f" WHERE t.type = 'SalesOrd' AND {ITEM_LINES} AND NOT (l.quantity < 0"
        f" AND 0 <= l.quantitybilled AND l.quantitybilled <= l.quantityshiprecv"
        f" AND l.quantityshiprecv <= -l.quantity)",
    )
    assert bad == 0


def test_kit_members_mirror_their_kit_line(tiny: duckdb.DuckDBPyConnection) -> None:
    rows = tiny.execute(
        "SELECT count(*), count(*) FILTER (WHERE m.quantity <> k.quantity * im.quantity"
        " OR m.quantityshiprecv <> k.quantityshiprecv * im.quantity OR m.isclosed <> k.isclosed"
        " OR m.fulfillable <> 'F' OR m.amount <> 0) FROM transactionline m"
        " JOIN transactionline k ON k.transaction = m.transaction AND k.item = m.kitmemberof"
        " JOIN itemmember im ON im.parentitem = m.kitmemberof AND im.item = m.item"
    ).fetchone()
    assert rows is not None and rows[0] > 0 and rows[1] == 0
    members = _one(tiny, "SELECT count(*) FROM transactionline WHERE kitmemberof IS NOT NULL")
    assert members == rows[0]


@pytest.mark.parametrize("kind", ["SalesOrd", "CashSale", "CustInvc"])
def test_mainline_amount_is_the_total_of_its_lines(
    tiny: duckdb.DuckDBPyConnection, kind: str
) -> None:
    wrong = _one(
        tiny,
        f"SELECT count(*) FROM transaction t JOIN transactionline m ON m.transaction = t.id"
        f" AND m.mainline = 'T' WHERE t.type = '{kind}'"
        f" AND (m.amount <> t.total OR t.total <> t.foreigntotal"
        f" OR t.total <> (SELECT -sum(l.amount) FROM transactionline l WHERE l.transaction = t.id"
        f" AND l.mainline = 'F') OR t.total <= 0)",
    )
    assert wrong == 0


def test_paid_invoices_have_one_payment_of_their_total(tiny: duckdb.DuckDBPyConnection) -> None:
    rows = tiny.execute(
        "SELECT i.status, count(p.id), min(p.total = i.total) FROM transaction i"
        " LEFT JOIN nexttransactionlink k ON k.previousdoc = i.id AND k.linktype = 'Payment'"
        " LEFT JOIN transaction p ON p.id = k.nextdoc"
        " WHERE i.type = 'CustInvc' GROUP BY i.id, i.status"
    ).fetchall()
    assert {r[0] for r in rows} == {"A", "B"}
    assert all((r[0] == "B") == (r[1] == 1) and r[1] <= 1 for r in rows)
    assert all(r[2] for r in rows if r[1])


def test_channel_decides_customer_kind_terms_and_bill_type(demo: duckdb.DuckDBPyConnection) -> None:
    rows = demo.execute(
        "SELECT so.custbody_celigo_etail_channel, c.isperson, so.terms IS NOT NULL,"
        " list(DISTINCT b.type) FILTER (WHERE b.type IS NOT NULL), count(*) FROM transaction so"
        " JOIN customer c ON c.id = so.entity"
        " LEFT JOIN nexttransactionlink k ON k.previousdoc = so.id"
        " AND k.linktype = 'OrdBill' LEFT JOIN transaction b ON b.id = k.nextdoc"
        " WHERE so.type = 'SalesOrd' GROUP BY ALL ORDER BY 1"
    ).fetchall()
    assert [r[:4] for r in rows] == [
        ("Shopify", "T", False, ["CashSale"]),
        ("Shopify B2B", "F", True, ["CustInvc"]),
        ("Shopify POS", "T", False, ["CashSale"]),
    ]


def test_shopify_identity_of_every_order(demo: duckdb.DuckDBPyConnection) -> None:
    rows = demo.execute(
        "SELECT tranid, otherrefnum, custbody_celigo_etail_order_id, custbody_celigo_shopify_store"
        " FROM transaction WHERE type = 'SalesOrd' ORDER BY id"
    ).fetchall()
    assert rows[0][:2] == ("SO10001", "#1001")
    assert len({r[1] for r in rows}) == len({r[2] for r in rows}) == len(rows)
    assert all(re.fullmatch(r"SO\d{5,}", r[0]) and re.fullmatch(r"#\d{4,}", r[1]) for r in rows)
    assert all(re.fullmatch(r"\d{13}", r[2]) and r[3].endswith(".myshopify.com") for r in rows)
