"""The seeded account depicts real operations: dates in the last 120 days in a sensible order, and
every exception the dashboard exists for, at a realistic rate (demo scale, seed 7). Plain DuckDB.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

import duckdb
import pytest
from seedhelpers import TODAY, one, seeded, stamped_after_midnight

from suiteops.emulator.seed import SCALES


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


def test_every_timestamp_is_before_todays_midnight(demo: duckdb.DuckDBPyConnection) -> None:
    assert stamped_after_midnight(demo) == {}


def test_documents_follow_the_documents_they_come_from(demo: duckdb.DuckDBPyConnection) -> None:
    earlier = one(
        demo,
        "SELECT count(*) FROM nexttransactionlink k JOIN transaction p ON p.id = k.previousdoc"
        " JOIN transaction n ON n.id = k.nextdoc WHERE n.createddate <= p.createddate"
        " OR n.id <= p.id OR p.lastmodifieddate < n.createddate AND p.type = 'SalesOrd'",
    )
    assert earlier == 0


def test_bills_come_after_every_fulfillment_of_the_order(demo: duckdb.DuckDBPyConnection) -> None:
    early = one(
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
    rate = float(one(demo, sql)) / SCALES["demo"]  # type: ignore[arg-type]
    assert low <= rate <= high


SHIPPED = "FROM transaction f WHERE f.type = 'ItemShip' AND f.status = 'C'"

NO_TRACKING = (
    " AND NOT EXISTS (SELECT 1 FROM trackingnumbermap m WHERE m.transaction = f.id)"
    " AND NOT EXISTS (SELECT 1 FROM itemfulfillmentpackage p WHERE p.itemfulfillment = f.id"
    " AND p.packagetrackingnumber IS NOT NULL)"
)


def test_some_shipped_fulfillments_have_no_tracking(demo: duckdb.DuckDBPyConnection) -> None:
    shipped = float(one(demo, f"SELECT count(*) {SHIPPED}"))  # type: ignore[arg-type]
    missing = float(one(demo, f"SELECT count(*) {SHIPPED} {NO_TRACKING}"))  # type: ignore[arg-type]
    assert 0.025 <= missing / shipped <= 0.06
    not_exported = one(
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
    multi_box = one(
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
    wrong_item = one(
        demo,
        "SELECT count(*) FROM inventoryassignment a JOIN transactionline l"
        " ON l.transaction = a.transaction AND l.id = a.transactionline"
        " JOIN inventorynumber n ON n.id = a.inventorynumber"
        " WHERE n.item <> l.item OR a.quantity <> l.quantity",
    )
    assert wrong_item == 0


def test_item_locations_add_up(demo: duckdb.DuckDBPyConnection) -> None:
    wrong = one(
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
    split = one(
        demo,
        "SELECT count(*) FROM (SELECT previousdoc FROM nexttransactionlink"
        " WHERE linktype = 'ShipRcpt' GROUP BY 1 HAVING count(*) > 1)",
    )
    assert split > 50  # type: ignore[operator]
