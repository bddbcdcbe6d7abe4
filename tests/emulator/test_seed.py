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


# --- time ------------------------------------------------------------------------------------


def test_every_date_lies_in_the_120_days_before_today(demo: duckdb.DuckDBPyConnection) -> None:
    row = demo.execute(
        "SELECT min(trandate), max(trandate), max(createddate), max(lastmodifieddate),"
        " min(lastmodifieddate >= createddate), min(CAST(createddate AS DATE) = trandate)"
        " FROM transaction"
    ).fetchone()
    assert row is not None
    first, last, created, modified, modified_after, same_day = row
    assert TODAY - datetime.timedelta(days=120) <= first < TODAY - datetime.timedelta(days=110)
    assert TODAY - datetime.timedelta(days=2) <= last < TODAY
    assert created < datetime.datetime(2026, 12, 4) and modified < datetime.datetime(2026, 12, 4)
    assert modified_after and same_day


def test_documents_follow_the_documents_they_come_from(demo: duckdb.DuckDBPyConnection) -> None:
    earlier = _one(
        demo,
        "SELECT count(*) FROM nexttransactionlink k JOIN transaction p ON p.id = k.previousdoc"
        " JOIN transaction n ON n.id = k.nextdoc WHERE n.createddate <= p.createddate"
        " OR n.id <= p.id OR p.lastmodifieddate < n.createddate AND p.type = 'SalesOrd'",
    )
    assert earlier == 0


def test_bills_come_after_every_fulfillment_of_the_order(demo: duckdb.DuckDBPyConnection) -> None:
    early = _one(
        demo,
        "SELECT count(*) FROM nexttransactionlink b JOIN transaction bill ON bill.id = b.nextdoc"
        " JOIN nexttransactionlink s ON s.previousdoc = b.previousdoc AND s.linktype = 'ShipRcpt'"
        " JOIN transaction f ON f.id = s.nextdoc WHERE b.linktype = 'OrdBill'"
        " AND f.createddate >= bill.createddate",
    )
    assert early == 0


def test_document_numbers_follow_creation_order(demo: duckdb.DuckDBPyConnection) -> None:
    for prefix, kind in [
        ("SO", "SalesOrd"),
        ("IF", "ItemShip"),
        ("CS", "CashSale"),
        ("INV", "CustInvc"),
    ]:
        rows = demo.execute(
            f"SELECT CAST(substr(tranid, {len(prefix) + 1}) AS INT) FROM transaction"
            f" WHERE type = '{kind}' ORDER BY createddate, id"
        ).fetchall()
        numbers = [r[0] for r in rows]
        assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers), kind


# --- the exceptions the dashboard exists for (demo scale, seed 7) ----------------------------

DAYS_AGO = "DATE '2026-12-04' - {days}"
EXCEPTIONS = {
    "stuck pending fulfillment > 7 days": (
        "SELECT count(*) FROM transaction WHERE type = 'SalesOrd' AND status = 'B'"
        f" AND trandate < {DAYS_AGO.format(days=7)}",
        0.06,
        0.10,
    ),
    "partially fulfilled": (
        "SELECT count(*) FROM transaction WHERE type = 'SalesOrd' AND status IN ('D', 'E')",
        0.045,
        0.08,
    ),
    "failed billing": (
        "SELECT count(*) FROM transaction so WHERE type = 'SalesOrd' AND status IN ('E', 'F')"
        " AND custbody_celigo_etail_auto_bill_exp = 'T' AND NOT EXISTS (SELECT 1"
        " FROM nexttransactionlinelink l WHERE l.previousdoc = so.id AND l.linktype = 'OrdBill')"
        " AND (SELECT max(f.trandate) FROM nexttransactionlink s JOIN transaction f"
        " ON f.id = s.nextdoc WHERE s.previousdoc = so.id AND s.linktype = 'ShipRcpt')"
        f" < {DAYS_AGO.format(days=2)}",
        0.02,
        0.045,
    ),
    "edited after import": (
        "SELECT count(*) FROM transaction WHERE type = 'SalesOrd'"
        " AND lastmodifieddate > createddate + INTERVAL 5 DAY AND status NOT IN ('C', 'H')",
        0.01,
        0.035,
    ),
    "pending approval": (
        "SELECT count(*) FROM transaction WHERE status = 'A' AND type = 'SalesOrd'",
        0.004,
        0.02,
    ),
    "cancelled": (
        "SELECT count(*) FROM transaction WHERE status = 'C' AND type = 'SalesOrd'",
        0.004,
        0.02,
    ),
    "closed": (
        "SELECT count(*) FROM transaction WHERE status = 'H' AND type = 'SalesOrd'",
        0.01,
        0.03,
    ),
    "pending billing": (
        "SELECT count(*) FROM transaction WHERE status = 'F' AND type = 'SalesOrd'",
        0.02,
        0.06,
    ),
}


@pytest.mark.parametrize("name", list(EXCEPTIONS))
def test_order_exception_rate(demo: duckdb.DuckDBPyConnection, name: str) -> None:
    sql, low, high = EXCEPTIONS[name]
    rate = float(_one(demo, sql)) / SCALES["demo"]  # type: ignore[arg-type]
    assert low <= rate <= high


SHIPPED = "FROM transaction f WHERE f.type = 'ItemShip' AND f.status = 'C'"
NO_TRACKING = (
    " AND NOT EXISTS (SELECT 1 FROM trackingnumbermap m WHERE m.transaction = f.id)"
    " AND NOT EXISTS (SELECT 1 FROM itemfulfillmentpackage p WHERE p.itemfulfillment = f.id"
    " AND p.packagetrackingnumber IS NOT NULL)"
)


def test_some_shipped_fulfillments_have_no_tracking(demo: duckdb.DuckDBPyConnection) -> None:
    shipped = float(_one(demo, f"SELECT count(*) {SHIPPED}"))  # type: ignore[arg-type]
    missing = float(_one(demo, f"SELECT count(*) {SHIPPED} {NO_TRACKING}"))  # type: ignore[arg-type]
    assert 0.025 <= missing / shipped <= 0.06
    not_exported = _one(
        demo, f"SELECT count(*) {SHIPPED} AND custbody_celigo_etail_fulfill_exported = 'F'"
    )
    assert missing < not_exported < shipped / 5  # type: ignore[operator]


def test_tracking_comes_from_the_map_or_packages_never_both(
    demo: duckdb.DuckDBPyConnection,
) -> None:
    row = demo.execute(
        "SELECT count(*) FILTER (WHERE m AND NOT p), count(*) FILTER (WHERE p AND NOT m),"
        " count(*) FILTER (WHERE m AND p) FROM (SELECT EXISTS (SELECT 1 FROM trackingnumbermap x"
        " WHERE x.transaction = f.id) AS m, EXISTS (SELECT 1 FROM itemfulfillmentpackage y"
        " WHERE y.itemfulfillment = f.id AND y.packagetrackingnumber IS NOT NULL) AS p"
        f" {SHIPPED})"
    ).fetchone()
    assert row is not None and row[0] > 2 * row[1] > 0 and row[2] == 0
    multi_box = _one(
        demo,
        "SELECT count(*) FROM (SELECT transaction FROM trackingnumbermap"
        " GROUP BY 1 HAVING count(*) > 1)",
    )
    assert multi_box > 0  # type: ignore[operator]


CARRIER_FORMATS = {"ups": r"1Z[0-9A-Z]{16}", "fedex": r"\d{12}", "usps": r"9400\d{18}"}


def test_tracking_numbers_are_unique_and_carrier_shaped(demo: duckdb.DuckDBPyConnection) -> None:
    rows = demo.execute(
        "SELECT f.shipcarrier, t.trackingnumber FROM trackingnumbermap m"
        " JOIN trackingnumber t ON t.id = m.trackingnumber"
        " JOIN transaction f ON f.id = m.transaction"
        " UNION ALL SELECT f.shipcarrier, p.packagetrackingnumber FROM itemfulfillmentpackage p"
        " JOIN transaction f ON f.id = p.itemfulfillment WHERE p.packagetrackingnumber IS NOT NULL"
    ).fetchall()
    assert {r[0] for r in rows} == set(CARRIER_FORMATS)
    assert all(re.fullmatch(CARRIER_FORMATS[c], n) for c, n in rows)
    assert len({n for _, n in rows}) == len(rows)


LOT_GAPS = """
SELECT DISTINCT tl.item, tl.location FROM transaction so
JOIN transactionline tl ON tl.transaction = so.id JOIN item i ON i.id = tl.item
WHERE so.type = 'SalesOrd' AND so.status IN ('B', 'D', 'E') AND tl.mainline = 'F'
  AND tl.isclosed = 'F' AND i.islotitem = 'T' AND -tl.quantity - tl.quantityshiprecv > 0
  AND NOT EXISTS (SELECT 1 FROM inventorynumber n JOIN inventorynumberlocation nl
                  ON nl.inventorynumber = n.id WHERE n.item = tl.item
                  AND nl.location = tl.location AND nl.quantityavailable > 0)
"""


@pytest.mark.parametrize("scale", ["tiny", "demo"])
def test_a_handful_of_lot_pairs_have_no_available_lot(
    tiny: duckdb.DuckDBPyConnection, demo: duckdb.DuckDBPyConnection, scale: str
) -> None:
    con = tiny if scale == "tiny" else demo
    gaps = con.execute(LOT_GAPS).fetchall()
    assert len(gaps) == 6
    backordered = con.execute(
        "SELECT DISTINCT item, location FROM transactionline WHERE quantitybackordered > 0"
    ).fetchall()
    assert sorted(backordered) == sorted(gaps)


def test_some_lot_fulfillment_lines_lack_a_lot_assignment(demo: duckdb.DuckDBPyConnection) -> None:
    row = demo.execute(
        "SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM inventoryassignment a"
        " WHERE a.transaction = l.transaction AND a.transactionline = l.id)) FROM transactionline l"
        " JOIN transaction t ON t.id = l.transaction JOIN item i ON i.id = l.item"
        " WHERE t.type = 'ItemShip' AND i.islotitem = 'T'"
    ).fetchone()
    assert row is not None and 0.03 <= row[1] / row[0] <= 0.1
    wrong_item = _one(
        demo,
        "SELECT count(*) FROM inventoryassignment a JOIN transactionline l"
        " ON l.transaction = a.transaction AND l.id = a.transactionline"
        " JOIN inventorynumber n ON n.id = a.inventorynumber"
        " WHERE n.item <> l.item OR a.quantity <> l.quantity",
    )
    assert wrong_item == 0


def test_item_locations_add_up(demo: duckdb.DuckDBPyConnection) -> None:
    wrong = _one(
        demo,
        """SELECT count(*) FROM inventoryitemlocations il
        LEFT JOIN (SELECT item, location, sum(quantitycommitted) AS c, sum(quantitybackordered) AS b
                   FROM transactionline WHERE quantitycommitted IS NOT NULL GROUP BY ALL) s
          ON s.item = il.item AND s.location = il.location
        LEFT JOIN (SELECT n.item, nl.location, sum(nl.quantityonhand) AS h
                   FROM inventorynumber n JOIN inventorynumberlocation nl
                   ON nl.inventorynumber = n.id GROUP BY ALL) lots
          ON lots.item = il.item AND lots.location = il.location
        WHERE il.quantitycommitted <> coalesce(s.c, 0) OR il.quantitybackordered <> coalesce(s.b, 0)
           OR (lots.h IS NOT NULL AND lots.h <> il.quantityonhand)""",
    )
    assert wrong == 0


def test_orders_use_kits_discounts_and_several_warehouses(demo: duckdb.DuckDBPyConnection) -> None:
    row = demo.execute(
        "SELECT count(DISTINCT transaction) FILTER (WHERE itemtype = 'Kit'),"
        " count(DISTINCT transaction) FILTER (WHERE itemtype = 'Discount'),"
        " count(DISTINCT location) FROM transactionline l"
        " JOIN transaction t ON t.id = l.transaction"
        " WHERE t.type = 'SalesOrd'"
    ).fetchone()
    assert row is not None and row[0] > 100 and row[1] > 100 and row[2] == 5
    split = _one(
        demo,
        "SELECT count(*) FROM (SELECT previousdoc FROM nexttransactionlink"
        " WHERE linktype = 'ShipRcpt' GROUP BY 1 HAVING count(*) > 1)",
    )
    assert split > 50  # type: ignore[operator]


# --- the large scale (run with `pytest -m slow`) ---------------------------------------------


@pytest.mark.slow
def test_large_scale_has_a_million_lines_in_minutes(request: pytest.FixtureRequest) -> None:
    if "slow" not in (request.config.option.markexpr or ""):
        pytest.skip("large scale runs only when selected with -m slow")
    con, summary = _seeded(scale="large")
    assert summary.lines >= 1_000_000
    assert summary.seconds < 180
    assert (
        con.execute(
            STATUS_FROM_LINES + " AND so.status NOT IN ('A', 'C') AND so.status <> expected"
        ).fetchall()
        == []
    )


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
    assert _table_hashes(con)["transaction"] == _table_hashes(tiny)["transaction"]


def test_a_failed_seed_leaves_no_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    import suiteops.emulator.seed as seed_module

    def broken(*_: object) -> int:
        raise RuntimeError("disk full")  # a fault DuckDB will not produce on demand

    monkeypatch.setattr(seed_module, "write_tracking", broken)
    con = duckdb.connect()
    with pytest.raises(RuntimeError, match="disk full"):
        seed_database(con, scale=5, today=TODAY)
    assert _one(con, "SELECT count(*) FROM transaction") == 0
    assert _one(con, "SELECT count(*) FROM item") == 0
