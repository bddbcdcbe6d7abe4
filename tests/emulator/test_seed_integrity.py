"""The seeded account is whole: every reference resolves, links agree with each other, keys are
unique, status letters and quantities agree with the lines, amounts add up. Plain DuckDB.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from seedhelpers import (
    FOREIGN_KEYS,
    ITEM_LINES,
    LINE_REFERENCES,
    count,
    dangling_key,
    dangling_keys,
    dangling_line,
    link_quantity_mismatches,
    one,
    seeded,
    stamped_after_midnight,
    status_mismatches,
)

from suiteops.emulator import schema


@pytest.fixture(scope="module")
def tiny() -> Iterator[duckdb.DuckDBPyConnection]:
    con, _ = seeded()
    yield con
    con.close()


@pytest.fixture(scope="module")
def demo() -> Iterator[duckdb.DuckDBPyConnection]:
    con, _ = seeded(scale="demo")
    yield con
    con.close()


@pytest.mark.parametrize(("table", "column", "parent", "key"), FOREIGN_KEYS)
def test_foreign_key_resolves(
    tiny: duckdb.DuckDBPyConnection, table: str, column: str, parent: str, key: str
) -> None:
    assert count(tiny, f"SELECT count({column}) FROM {table}") > 0
    assert dangling_key(tiny, table, column, parent, key) == 0


@pytest.mark.parametrize(("table", "doc", "line"), LINE_REFERENCES)
def test_line_reference_resolves(
    tiny: duckdb.DuckDBPyConnection, table: str, doc: str, line: str
) -> None:
    assert count(tiny, f"SELECT count(*) FROM {table}") > 0
    assert dangling_line(tiny, table, doc, line) == 0


def test_link_types_match_the_documents(tiny: duckdb.DuckDBPyConnection) -> None:
    wrong = one(
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
    differ = one(
        tiny,
        "SELECT count(*) FROM ((SELECT * FROM nexttransactionlinelink EXCEPT ALL"
        " SELECT * FROM previoustransactionlinelink) UNION ALL (SELECT * FROM"
        " previoustransactionlinelink EXCEPT ALL SELECT * FROM nexttransactionlinelink))",
    )
    assert differ == 0


def test_header_links_match_line_links(tiny: duckdb.DuckDBPyConnection) -> None:
    differ = one(
        tiny,
        "SELECT count(*) FROM ((SELECT DISTINCT previousdoc, nextdoc, linktype FROM"
        " nexttransactionlinelink EXCEPT SELECT previousdoc, nextdoc, linktype FROM"
        " nexttransactionlink) UNION ALL (SELECT previousdoc, nextdoc, linktype FROM"
        " nexttransactionlink EXCEPT SELECT previousdoc, nextdoc, linktype"
        " FROM nexttransactionlinelink))",
    )
    assert differ == 0


def test_createdfrom_names_the_linked_sales_order(tiny: duckdb.DuckDBPyConnection) -> None:
    wrong = one(
        tiny,
        "SELECT count(*) FROM transaction t JOIN transactionline m ON m.transaction = t.id"
        " AND m.mainline = 'T' WHERE t.type IN ('ItemShip', 'CashSale', 'CustInvc') AND NOT EXISTS"
        " (SELECT 1 FROM nexttransactionlink k"
        " WHERE k.nextdoc = t.id AND k.previousdoc = m.createdfrom)",
    )
    assert wrong == 0


def test_line_keys_are_unique(tiny: duckdb.DuckDBPyConnection) -> None:
    rows = one(tiny, "SELECT count(*) FROM transactionline")
    assert one(tiny, "SELECT count(DISTINCT uniquekey) FROM transactionline") == rows
    assert (
        one(tiny, "SELECT count(*) FROM (SELECT DISTINCT transaction, id FROM transactionline)")
        == rows
    )


def test_every_transaction_has_exactly_one_mainline_with_id_zero(
    tiny: duckdb.DuckDBPyConnection,
) -> None:
    bad = one(
        tiny,
        "SELECT count(*) FROM transaction t WHERE (SELECT count(*) FROM transactionline l"
        " WHERE l.transaction = t.id AND l.mainline = 'T' AND l.id = 0) <> 1",
    )
    assert bad == 0
    assert one(tiny, "SELECT count(*) FROM transactionline WHERE (mainline = 'T') <> (id = 0)") == 0


def test_status_matches_lines_for_every_order(
    tiny: duckdb.DuckDBPyConnection, demo: duckdb.DuckDBPyConnection
) -> None:
    assert status_mismatches(tiny) == []
    assert status_mismatches(demo) == []
    letters = {
        r[0]
        for r in demo.execute(
            "SELECT DISTINCT status FROM transaction WHERE type = 'SalesOrd'"
        ).fetchall()
    }
    assert letters == set("ABCDEFGH")


def test_shipped_quantity_is_the_sum_over_shiprcpt_links(tiny: duckdb.DuckDBPyConnection) -> None:
    assert link_quantity_mismatches(tiny, "quantityshiprecv", "ShipRcpt") == 0
    assert one(tiny, "SELECT sum(quantityshiprecv) FROM transactionline") > 0  # type: ignore[operator]


def test_billed_quantity_is_the_sum_over_ordbill_links(tiny: duckdb.DuckDBPyConnection) -> None:
    assert link_quantity_mismatches(tiny, "quantitybilled", "OrdBill") == 0
    assert one(tiny, "SELECT sum(quantitybilled) FROM transactionline") > 0  # type: ignore[operator]


def test_quantities_stay_within_the_ordered_quantity(tiny: duckdb.DuckDBPyConnection) -> None:
    bad = one(
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
    members = one(tiny, "SELECT count(*) FROM transactionline WHERE kitmemberof IS NOT NULL")
    assert members == rows[0]


@pytest.mark.parametrize("kind", ["SalesOrd", "CashSale", "CustInvc"])
def test_mainline_amount_is_the_total_of_its_lines(
    tiny: duckdb.DuckDBPyConnection, kind: str
) -> None:
    wrong = one(
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


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), orders=st.integers(1, 80))
def test_invariants_hold_for_any_seed_and_small_scale(seed: int, orders: int) -> None:
    con, summary = seeded(seed=seed, scale=orders)
    assert summary.orders == orders
    assert status_mismatches(con) == []
    assert link_quantity_mismatches(con, "quantityshiprecv", "ShipRcpt") == 0
    assert link_quantity_mismatches(con, "quantitybilled", "OrdBill") == 0
    assert dangling_keys(con) == []
    assert [ref for ref in LINE_REFERENCES if dangling_line(con, *ref)] == []
    lines = count(con, "SELECT count(*) FROM transactionline")
    assert count(con, "SELECT count(DISTINCT uniquekey) FROM transactionline") == lines
    assert stamped_after_midnight(con) == {}
    con.close()


def test_types_and_statuses_are_the_ones_builtin_df_knows(demo: duckdb.DuckDBPyConnection) -> None:
    rows = demo.execute("SELECT DISTINCT type, recordtype, status FROM transaction").fetchall()
    assert {r[0] for r in rows} == {"SalesOrd", "ItemShip", "CashSale", "CustInvc", "CustPymt"}
    assert all(schema.TRANSACTION_TYPES[t][0] == record for t, record, _ in rows)
    assert all((t, letter) in schema.STATUS_LABELS for t, _, letter in rows)


def test_invoices_fall_due_after_their_terms(tiny: duckdb.DuckDBPyConnection) -> None:
    rows = tiny.execute(
        "SELECT i.duedate - i.trandate, t.daysuntilnetdue, so.terms = i.terms FROM transaction i"
        " JOIN term t ON t.id = i.terms JOIN transactionline m ON m.transaction = i.id"
        " AND m.mainline = 'T' JOIN transaction so ON so.id = m.createdfrom"
        " WHERE i.type = 'CustInvc'"
    ).fetchall()
    assert rows and all(days == net and same for days, net, same in rows)
    assert (
        count(
            tiny,
            "SELECT count(*) FROM transaction WHERE type <> 'CustInvc' AND duedate IS NOT NULL",
        )
        == 0
    )


def test_customers_are_unique_people_and_companies(demo: duckdb.DuckDBPyConnection) -> None:
    row = demo.execute(
        "SELECT count(*), count(DISTINCT entityid), count(DISTINCT email), count(DISTINCT altname)"
        " FILTER (WHERE isperson = 'F'), count(*) FILTER (WHERE isperson = 'F'),"
        " count(*) FILTER (WHERE (isperson = 'T') = (terms IS NOT NULL)),"
        " count(*) FILTER (WHERE (isperson = 'T') = (companyname IS NOT NULL)) FROM customer"
    ).fetchone()
    assert row is not None
    total, entityids, emails, company_names, companies, wrong_terms, wrong_names = row
    assert total == entityids == emails and company_names == companies > 0
    assert wrong_terms == wrong_names == 0
    reserved = r"@([a-z]+\.)?example\.(com|net|org)$"  # RFC 2606 domains: nobody's real address
    assert (
        count(demo, f"SELECT count(*) FROM customer WHERE NOT regexp_matches(email, '{reserved}')")
        == 0
    )


def test_catalog_has_parts_lots_kits_and_discounts(tiny: duckdb.DuckDBPyConnection) -> None:
    kinds = dict(tiny.execute("SELECT itemtype, count(*) FROM item GROUP BY 1").fetchall())
    assert 150 <= sum(kinds.values()) <= 300 and kinds["Kit"] >= 5 and kinds["Discount"] >= 1
    lot = count(tiny, "SELECT count(*) FROM item WHERE islotitem = 'T'")
    with_lots = count(tiny, "SELECT count(DISTINCT item) FROM inventorynumber")
    assert 0 < lot == with_lots < kinds["InvtPart"]
    assert count(tiny, "SELECT count(*) FROM inventorynumber WHERE expirationdate IS NULL") == 0
    empty_kits = count(
        tiny,
        "SELECT count(*) FROM item k WHERE k.itemtype = 'Kit'"
        " AND NOT EXISTS (SELECT 1 FROM itemmember m WHERE m.parentitem = k.id)",
    )
    assert empty_kits == 0
    assert count(tiny, "SELECT count(DISTINCT itemid) FROM item") == sum(kinds.values())


def test_open_quantity_is_committed_or_backordered(demo: duckdb.DuckDBPyConnection) -> None:
    wrong = count(
        demo,
        f"""SELECT count(*) FROM transactionline l JOIN transaction so ON so.id = l.transaction
        WHERE so.type = 'SalesOrd' AND {ITEM_LINES}
          AND l.quantitycommitted + l.quantitybackordered <> CASE
              WHEN so.status IN ('B', 'D', 'E') AND l.isclosed = 'F'
              THEN -l.quantity - l.quantityshiprecv ELSE 0 END""",
    )
    assert wrong == 0
    assert count(demo, "SELECT count(*) FROM transactionline WHERE quantitycommitted > 0") > 100
