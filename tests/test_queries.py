"""Every query file, run on the emulator through the real client, against an independent answer.

Each query is sent over HTTP with TBA signing (the `emulator` fixture, demo scale, seed 7) and
its typed result is compared row for row with an answer computed here from the emulator's own
tables with plain DuckDB SQL and Python: not the same SQL translated. The expected side takes
other paths on purpose: fulfillments and bills through their mainline `createdfrom` instead of
the link tables, display names through joins instead of BUILTIN.DF, status labels through
`schema.status_label`, ages through DuckDB date arithmetic, the latest shipment through
`arg_max`. The demo data must also contain every exception the views exist for.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from suiteops.catalog import Catalog, QuerySpec, load_catalog
from suiteops.config import ConnectorFields
from suiteops.emulator.schema import status_label
from suiteops.netsuite.auth import TokenAuth
from suiteops.netsuite.client import SuiteQLClient

QUERIES = Path(__file__).resolve().parents[1] / "queries"
FIELDS = ConnectorFields()
CACHED = [
    "pending_fulfillment", "partially_fulfilled", "fulfillment_tracking", "billing_failures",
    "lot_inventory_gaps", "lot_assignment_missing", "reconciliation",
]  # fmt: skip
Row = tuple[Any, ...]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(QUERIES, FIELDS, check_lock=False)  # the lock is test_catalog's


def make_client(emulator: Any, *, bound: bool) -> SuiteQLClient:
    config = emulator.config
    auth = TokenAuth(
        emulator.account,
        config.consumer_key,
        config.consumer_secret,
        config.token_id,
        config.token_secret,
    )
    return SuiteQLClient(
        account=emulator.account, auth=auth, base_url=emulator.base_url, bound_params=bound
    )


@pytest.fixture(scope="module")
def client(emulator: Any) -> Iterator[SuiteQLClient]:
    with make_client(emulator, bound=False) as c:
        yield c


@pytest.fixture(scope="module")
def today(emulator: Any) -> date:
    """The emulator's SYSDATE day (DuckDB's current_date on its own connection)."""
    return emulator.sql("SELECT current_date")[0][0]


def runner(client: SuiteQLClient, catalog: Catalog, today: date, *, memo: bool) -> Any:
    """`run(name, **params) -> rows as tuples in declared column order`, fetched through the
    client; with `memo`, each (query, params) is fetched once (for a read-only emulator)."""
    seen: dict[tuple[str, tuple[tuple[str, object], ...]], list[Row]] = {}

    def fetch(name: str, params: dict[str, object]) -> list[Row]:
        spec = catalog[name]
        result = client.fetch(
            spec.sql(FIELDS),
            spec.bind(params, today),
            key=spec.key,
            columns=spec.columns,
            param_types=spec.param_types,
            name=name,
        )
        assert result.columns == tuple(c.name for c in spec.columns)
        return [tuple(row[c.name] for c in spec.columns) for row in result.rows]

    def run(name: str, **params: object) -> list[Row]:
        key = (name, tuple(sorted(params.items())))
        if key not in seen or not memo:
            seen[key] = fetch(name, params)
        return seen[key]

    return run


@pytest.fixture(scope="module")
def run(client: SuiteQLClient, catalog: Catalog, today: date) -> Any:
    """The runner on the shared, read-only demo emulator."""
    return runner(client, catalog, today, memo=True)


def _same(actual: object, expected: object) -> bool:
    """Equal, with money compared to the cent (the two sides round in different places)."""
    if isinstance(actual, Decimal) and isinstance(expected, Decimal | int | float):
        return abs(actual - Decimal(str(expected))) <= Decimal("0.01")
    return actual == expected


def assert_rows(spec: QuerySpec, actual: Sequence[Row], expected: Sequence[Row]) -> None:
    """Row for row, in order, naming the first differing column."""
    names = [c.name for c in spec.columns]
    assert len(actual) == len(expected), (
        f"{spec.name}: {len(actual)} rows, expected {len(expected)}"
    )
    for got, want in zip(actual, expected, strict=True):
        for name, a, b in zip(names, got, want, strict=True):
            assert _same(a, b), f"{spec.name} row {got[0]!r}: {name} = {a!r}, expected {b!r}"


def sorted_by_key(spec: QuerySpec, rows: list[Row]) -> list[Row]:
    """SuiteQL orders by the key; sort the expected rows the same way (text keys as text)."""
    index = [c.name for c in spec.columns].index(spec.key or "")
    return sorted(rows, key=lambda r: r[index])


def age_bucket(days: int) -> str:
    for limit, label in ((2, "0-2 days"), (7, "3-7 days"), (14, "8-14 days"), (30, "15-30 days")):
        if days <= limit:
            return label
    return "31+ days"


def days_ago(today: date, days: int) -> date:
    return date.fromordinal(today.toordinal() - days)


def tf(flag: str | None) -> bool:
    return flag == "T"


# --- pending fulfillment ----------------------------------------------------------------------

OPEN_LINES = """
    SELECT so.id, tl.id, so.tranid, so.otherrefnum, so.custbody_celigo_etail_order_id, so.entity,
           cu.altname, cu.isperson, so.custbody_celigo_etail_channel, tl.item, it.itemid,
           tl.location, lo.name, -tl.quantity, coalesce(tl.quantityshiprecv, 0), tl.rate,
           so.trandate, current_date - so.trandate, so.status
    FROM transaction so
    JOIN transactionline tl ON tl.transaction = so.id AND tl.mainline = 'F'
    JOIN customer cu ON cu.id = so.entity
    JOIN item it ON it.id = tl.item
    LEFT JOIN location lo ON lo.id = tl.location
    WHERE so.type = 'SalesOrd' AND so.status IN ('B', 'D', 'E')
      AND tl.fulfillable = 'T' AND tl.isclosed = 'F' AND tl.taxline = 'F'
      AND -tl.quantity > coalesce(tl.quantityshiprecv, 0)
"""


def expected_pending(emulator: Any, where: str = "") -> list[Row]:
    rows = []
    for r in emulator.sql(OPEN_LINES + where):
        so, line, tranid, name, shop_id, cust, cname, person, channel, item, sku = r[:11]
        loc, lname, ordered, shipped, rate, trandate, age, status = r[11:]
        open_qty = ordered - shipped
        rows.append((
            f"{so}-{line}", so, line, tranid, name, shop_id, cust, cname,
            "DTC" if person == "T" else "B2B", channel, item, sku, loc, lname, ordered, shipped,
            open_qty, round(open_qty * rate, 2), trandate, age, age_bucket(age), status,
            status_label("SalesOrd", status),
        ))  # fmt: skip
    return rows


def test_pending_fulfillment(run: Any, catalog: Catalog, emulator: Any) -> None:
    spec = catalog["pending_fulfillment"]
    expected = sorted_by_key(spec, expected_pending(emulator))
    assert_rows(spec, run("pending_fulfillment"), expected)
    assert {r[21] for r in expected} == {"B", "D", "E"}
    assert any(r[19] > 7 and r[21] == "B" for r in expected), "no order stuck > 7 days"


def test_pending_fulfillment_filters_by_location_and_date(
    run: Any, catalog: Catalog, emulator: Any, today: date
) -> None:
    spec = catalog["pending_fulfillment"]
    since = today.toordinal() - 30
    expected = [
        r
        for r in sorted_by_key(spec, expected_pending(emulator))
        if r[12] == 2 and r[18].toordinal() >= since
    ]
    assert expected, "the demo has recent open lines at location 2"
    assert_rows(spec, run("pending_fulfillment", location_id="2", placed_after="-30d"), expected)


# --- partially fulfilled ----------------------------------------------------------------------

PARTIAL = """
    WITH ship AS (
        SELECT l.previousdoc AS so, l.previousline AS line, count(DISTINCT l.nextdoc) AS n,
               arg_max(fl.location, l.nextdoc) AS last_location
        FROM previoustransactionlinelink l
        JOIN transactionline fl ON fl.transaction = l.nextdoc AND fl.id = l.nextline
        WHERE l.linktype = 'ShipRcpt'
        GROUP BY ALL),
    last_ship AS (
        SELECT fm.createdfrom AS so, max(f.trandate) AS day
        FROM transaction f JOIN transactionline fm ON fm.transaction = f.id AND fm.mainline = 'T'
        WHERE f.type = 'ItemShip' GROUP BY ALL)
    SELECT so.id, tl.id, so.tranid, so.otherrefnum, so.custbody_celigo_etail_order_id, cu.altname,
           so.custbody_celigo_etail_channel, tl.item, it.itemid, tl.location, lo.name,
           -tl.quantity, coalesce(tl.quantityshiprecv, 0), tl.rate, tl.isclosed,
           coalesce(ship.n, 0), ship.last_location, sl.name, ls.day, current_date - ls.day,
           so.trandate, so.status
    FROM transaction so
    JOIN transactionline tl ON tl.transaction = so.id AND tl.mainline = 'F'
    JOIN customer cu ON cu.id = so.entity
    JOIN item it ON it.id = tl.item
    LEFT JOIN location lo ON lo.id = tl.location
    LEFT JOIN ship ON ship.so = so.id AND ship.line = tl.id
    LEFT JOIN location sl ON sl.id = ship.last_location
    LEFT JOIN last_ship ls ON ls.so = so.id
    WHERE so.type = 'SalesOrd' AND so.status IN ('D', 'E') AND tl.fulfillable = 'T'
"""


def expected_partial(emulator: Any) -> list[Row]:
    expected = []
    for r in emulator.sql(PARTIAL):
        so, line, tranid, name, shop_id, cname, channel, item, sku, loc, lname = r[:11]
        ordered, shipped, rate, closed, n, last_loc, last_name, day, days, trandate, status = r[11:]
        remaining = Decimal(0) if closed == "T" else ordered - shipped
        expected.append((
            f"{so}-{line}", so, line, tranid, name, shop_id, cname, channel, item, sku, loc, lname,
            ordered, shipped, remaining, round(remaining * rate, 2), tf(closed), n, last_loc,
            last_name, day, days, trandate, status, status_label("SalesOrd", status),
        ))  # fmt: skip
    return expected


def test_partially_fulfilled(run: Any, catalog: Catalog, emulator: Any) -> None:
    spec = catalog["partially_fulfilled"]
    expected = expected_partial(emulator)
    rows = run("partially_fulfilled")
    assert_rows(spec, rows, sorted_by_key(spec, expected))
    assert any(r[14] > 0 for r in rows) and any(r[13] > 0 for r in rows)
    several = {}
    for r in rows:
        if r[18] is not None:
            several.setdefault(r[1], set()).add(r[18])
    assert any(len(locations) > 1 for locations in several.values()), "no multi-location order"


# --- fulfillments and tracking ------------------------------------------------------------------


def expected_tracking(emulator: Any, since: date) -> list[Row]:
    heads = emulator.sql(
        """SELECT f.id, f.tranid, f.status, f.trandate, current_date - f.trandate, f.shipcarrier,
                  sh.itemid, so.id, so.tranid, so.otherrefnum, so.custbody_celigo_etail_order_id,
                  fm.location, lo.name, f.custbody_celigo_etail_fulfill_exported
           FROM transaction f
           JOIN transactionline fm ON fm.transaction = f.id AND fm.mainline = 'T'
           JOIN transaction so ON so.id = fm.createdfrom
           LEFT JOIN shipitem sh ON sh.id = f.shipmethod
           LEFT JOIN location lo ON lo.id = fm.location
           WHERE f.type = 'ItemShip' AND f.trandate >= ?""",
        (since,),
    )
    numbers: dict[int, list[tuple[str, str, str]]] = {}
    mapped = (
        "SELECT m.transaction, tn.id, tn.trackingnumber FROM trackingnumbermap m "
        "JOIN trackingnumber tn ON tn.id = m.trackingnumber"
    )
    for fid, tid, number in set(emulator.sql(mapped)):
        numbers.setdefault(fid, []).append((f"{fid}-M{tid}", number, "map"))
    packages = (
        "SELECT itemfulfillment, id, packagetrackingnumber FROM itemfulfillmentpackage "
        "WHERE packagetrackingnumber IS NOT NULL"
    )
    for fid, pid, number in emulator.sql(packages):
        numbers.setdefault(fid, []).append((f"{fid}-P{pid}", number, "package"))
    rows = []
    for r in heads:
        fid, status, exported = r[0], r[2], r[13]
        head = (*r[:3], status_label("ItemShip", status), *r[3:13])
        found = numbers.get(fid) or ([(f"{fid}-N", None, None)] if status == "C" else [])
        for key, number, source in found:
            rows.append((key, *head, number, source, number is not None, tf(exported)))
    return rows


def test_fulfillment_tracking(run: Any, catalog: Catalog, emulator: Any, today: date) -> None:
    spec = catalog["fulfillment_tracking"]
    expected = sorted_by_key(spec, expected_tracking(emulator, days_ago(today, 120)))
    rows = run("fulfillment_tracking")
    assert_rows(spec, rows, expected)
    sources = {r[16] for r in rows}
    assert sources == {"map", "package", None}
    without = [r for r in rows if not r[17]]
    assert without, "no shipped fulfillment without tracking in the demo"
    assert all(r[3] == "C" for r in without), "only shipped fulfillments lack tracking"
    assert any(not r[18] for r in rows if r[3] == "C"), "no shipped fulfillment left unexported"


# --- billing failures ---------------------------------------------------------------------------

BILLING = """
    WITH unbilled AS (
        SELECT tl.transaction AS so,
               sum(tl.quantityshiprecv - coalesce(tl.quantitybilled, 0)) AS qty,
               sum((tl.quantityshiprecv - coalesce(tl.quantitybilled, 0)) * tl.rate) AS amount
        FROM transactionline tl
        WHERE tl.mainline = 'F' AND tl.kitmemberof IS NULL
          AND tl.quantityshiprecv > coalesce(tl.quantitybilled, 0)
        GROUP BY ALL),
    shipped AS (
        SELECT fm.createdfrom AS so, max(f.trandate) AS day, count(*) AS n
        FROM transaction f JOIN transactionline fm ON fm.transaction = f.id AND fm.mainline = 'T'
        WHERE f.type = 'ItemShip' GROUP BY ALL),
    bills AS (
        SELECT bm.createdfrom AS so, count(*) AS n
        FROM transaction b JOIN transactionline bm ON bm.transaction = b.id AND bm.mainline = 'T'
        WHERE b.type IN ('CustInvc', 'CashSale') GROUP BY ALL)
    SELECT so.id, so.tranid, so.otherrefnum, so.custbody_celigo_etail_order_id, so.entity,
           cu.altname, cu.isperson, so.custbody_celigo_etail_channel, so.trandate,
           current_date - so.trandate, shipped.day, current_date - shipped.day, shipped.n,
           coalesce(bills.n, 0), so.terms, so.custbody_celigo_etail_auto_bill_exp, unbilled.qty,
           unbilled.amount, so.foreigntotal, so.status
    FROM transaction so
    JOIN customer cu ON cu.id = so.entity
    JOIN unbilled ON unbilled.so = so.id
    JOIN shipped ON shipped.so = so.id
    LEFT JOIN bills ON bills.so = so.id
    WHERE so.type = 'SalesOrd' AND so.status IN ('E', 'F') AND current_date - shipped.day > ?
    ORDER BY so.id
"""


def expected_billing(emulator: Any, min_days: int) -> list[Row]:
    rows = []
    for r in emulator.sql(BILLING, (min_days,)):
        so, tranid, name, shop, cust, cname, person, channel, day, age, last, since, n = r[:13]
        bills, terms, auto, qty, amount, total, status = r[13:]
        rows.append((
            so, tranid, name, shop, cust, cname, "DTC" if person == "T" else "B2B", channel, day,
            age, last, since, n, bills, "Invoice" if terms is not None else "Cash Sale", tf(auto),
            qty, round(amount, 2), total,
            "No bill" if bills == 0 else "Shipped quantity not billed", status,
            status_label("SalesOrd", status),
        ))  # fmt: skip
    return rows


def test_billing_failures(run: Any, catalog: Catalog, emulator: Any) -> None:
    spec = catalog["billing_failures"]
    rows = run("billing_failures")
    assert_rows(spec, rows, expected_billing(emulator, 2))
    assert any(r[15] and r[19] == "No bill" for r in rows), "no failed auto-billing in the demo"
    assert {r[14] for r in rows} == {"Invoice", "Cash Sale"}
    assert all(r[11] > 2 for r in rows)


def test_billing_failures_threshold_is_a_parameter(
    run: Any, catalog: Catalog, emulator: Any
) -> None:
    spec = catalog["billing_failures"]
    strict = run("billing_failures", min_days="30")
    assert_rows(spec, strict, expected_billing(emulator, 30))
    assert 0 < len(strict) < len(run("billing_failures"))


# --- lots -----------------------------------------------------------------------------------------

LOT_GAPS = """
    WITH available AS (
        SELECT n.item, nl.location, sum(nl.quantityavailable) AS qty,
               count(*) FILTER (WHERE nl.quantityavailable > 0) AS lots
        FROM inventorynumberlocation nl JOIN inventorynumber n ON n.id = nl.inventorynumber
        GROUP BY ALL)
    SELECT so.id, tl.id, so.tranid, so.otherrefnum, cu.altname, tl.item, it.itemid,
           it.displayname, tl.location, lo.name,
           -tl.quantity - coalesce(tl.quantityshiprecv, 0), coalesce(a.qty, 0), coalesce(a.lots, 0),
           so.trandate, current_date - so.trandate, so.status
    FROM transaction so
    JOIN transactionline tl ON tl.transaction = so.id AND tl.mainline = 'F'
    JOIN customer cu ON cu.id = so.entity
    JOIN item it ON it.id = tl.item AND it.islotitem = 'T'
    LEFT JOIN location lo ON lo.id = tl.location
    LEFT JOIN available a ON a.item = tl.item AND a.location = tl.location
    WHERE so.type = 'SalesOrd' AND so.status IN ('B', 'D', 'E') AND tl.fulfillable = 'T'
      AND tl.isclosed = 'F'
      AND -tl.quantity - coalesce(tl.quantityshiprecv, 0) > coalesce(a.qty, 0)
"""


def test_lot_inventory_gaps(run: Any, catalog: Catalog, emulator: Any) -> None:
    spec = catalog["lot_inventory_gaps"]
    expected = []
    for (
        so,
        line,
        tranid,
        name,
        cname,
        item,
        sku,
        iname,
        loc,
        lname,
        need,
        avail,
        lots,
        day,
        age,
        status,
    ) in emulator.sql(LOT_GAPS):
        expected.append((f"{so}-{line}", so, line, tranid, name, cname, item, sku, iname, loc,
                         lname, need, avail, need - avail, lots, day, age, status,
                         status_label("SalesOrd", status)))  # fmt: skip
    rows = run("lot_inventory_gaps")
    assert_rows(spec, rows, sorted_by_key(spec, expected))
    assert rows and all(r[13] > 0 for r in rows)


def test_lot_assignment_missing(run: Any, catalog: Catalog, emulator: Any, today: date) -> None:
    spec = catalog["lot_assignment_missing"]
    found = emulator.sql(
        """SELECT f.id, fl.id, f.tranid, f.status, f.trandate, current_date - f.trandate, so.id,
                  so.tranid, so.otherrefnum, fl.item, it.itemid, fl.location, lo.name, -fl.quantity
           FROM transaction f
           JOIN transactionline fl ON fl.transaction = f.id AND fl.mainline = 'F'
           JOIN transactionline fm ON fm.transaction = f.id AND fm.mainline = 'T'
           JOIN transaction so ON so.id = fm.createdfrom
           JOIN item it ON it.id = fl.item AND it.islotitem = 'T'
           LEFT JOIN location lo ON lo.id = fl.location
           LEFT JOIN inventoryassignment ia ON ia.transaction = fl.transaction
                                           AND ia.transactionline = fl.id
           WHERE f.type = 'ItemShip' AND ia.id IS NULL AND f.trandate >= ?""",
        (days_ago(today, 120),),
    )
    expected = [
        (f"{r[0]}-{r[1]}", r[0], r[1], r[2], r[3], status_label("ItemShip", r[3]), *r[4:])
        for r in found
    ]
    rows = run("lot_assignment_missing")
    assert_rows(spec, rows, sorted_by_key(spec, expected))
    assert rows, "no fulfillment of a lot item without lot assignment in the demo"


# --- support lookups ----------------------------------------------------------------------------


def _one(emulator: Any, sql: str) -> Any:
    return emulator.sql(sql)[0]


def search_cases(emulator: Any) -> list[tuple[str, set[int], str]]:
    """(term, expected sales order ids, how it matched), each found from the raw tables."""
    so, name, shop, tranid = _one(
        emulator,
        "SELECT id, otherrefnum, custbody_celigo_etail_order_id, tranid FROM transaction "
        "WHERE type = 'SalesOrd' ORDER BY id LIMIT 1 OFFSET 40",
    )
    customer, email = _one(
        emulator,
        "SELECT c.id, c.email FROM customer c JOIN transaction t ON t.entity = c.id "
        "GROUP BY ALL HAVING count(*) > 1 ORDER BY c.id LIMIT 1",
    )
    by_customer = {
        r[0]
        for r in emulator.sql(
            f"SELECT id FROM transaction WHERE type = 'SalesOrd' AND entity = {customer}"
        )
    }
    mapped_so, mapped = _one(
        emulator,
        "SELECT fm.createdfrom, tn.trackingnumber FROM trackingnumbermap m "
        "JOIN trackingnumber tn ON tn.id = m.trackingnumber "
        "JOIN transactionline fm ON fm.transaction = m.transaction AND fm.mainline = 'T' "
        "ORDER BY tn.id LIMIT 1",
    )
    package_so, package = _one(
        emulator,
        "SELECT fm.createdfrom, p.packagetrackingnumber FROM itemfulfillmentpackage p "
        "JOIN transactionline fm ON fm.transaction = p.itemfulfillment AND fm.mainline = 'T' "
        "WHERE p.packagetrackingnumber IS NOT NULL ORDER BY p.id LIMIT 1",
    )
    return [
        (name, {so}, "Shopify order name"),
        (name.lstrip("#"), {so}, "Shopify order name"),
        (f"  {name}  ", {so}, "Shopify order name"),
        (shop, {so}, "Shopify order id"),
        (tranid.lower(), {so}, "Sales order number"),
        (email.upper(), by_customer, "Customer e-mail"),
        (mapped, {mapped_so}, "Tracking number"),
        (package.lower(), {package_so}, "Tracking number"),
        ("no-such-order", set(), ""),
        ("x' OR '1'='1", set(), ""),
    ]


def test_order_search(run: Any, catalog: Catalog, emulator: Any) -> None:
    spec = catalog["order_search"]
    for term, ids, how in search_cases(emulator):
        rows = run("order_search", term=term)
        assert {r[0] for r in rows} == ids, f"term {term!r}"
        assert all(r[13] == how for r in rows), f"term {term!r}: {[r[13] for r in rows]}"
        for r in rows:
            so, tranid, name, shop, day, cust, cname, email, person, channel, total, status = _one(
                emulator,
                "SELECT so.id, so.tranid, so.otherrefnum, so.custbody_celigo_etail_order_id, "
                "so.trandate, so.entity, c.altname, c.email, c.isperson, "
                f"so.custbody_celigo_etail_channel, so.foreigntotal, so.status FROM transaction so "
                f"JOIN customer c ON c.id = so.entity WHERE so.id = {r[0]}",
            )
            want = (so, tranid, name, shop, day, cust, cname, email,
                    "DTC" if person == "T" else "B2B", channel, total, status,
                    status_label("SalesOrd", status), how)  # fmt: skip
            assert_rows(spec, [r], [want])


def _timeline_order(emulator: Any) -> int:
    """A sales order with a fulfillment, an invoice and a payment."""
    return _one(
        emulator,
        """SELECT bm.createdfrom FROM nexttransactionlink p
           JOIN transactionline bm ON bm.transaction = p.previousdoc AND bm.mainline = 'T'
           WHERE p.linktype = 'Payment' ORDER BY bm.createdfrom LIMIT 1""",
    )[0]


def expected_timeline(emulator: Any, so: int) -> list[Row]:
    def doc(where: str, params: tuple[Any, ...]) -> list[Row]:
        return emulator.sql(
            f"""SELECT t.id, t.type, t.recordtype, t.tranid, t.status, t.createddate, t.trandate,
                       t.foreigntotal, m.location, lo.name, t.shipcarrier, sh.itemid
                FROM transaction t
                JOIN transactionline m ON m.transaction = t.id AND m.mainline = 'T'
                LEFT JOIN location lo ON lo.id = m.location
                LEFT JOIN shipitem sh ON sh.id = t.shipmethod
                WHERE {where}""",
            params,
        )

    events: list[Row] = []
    labels = {"SalesOrd": "Order created", "CustInvc": "Invoice", "CashSale": "Cash sale"}
    for tid, kind, rtype, tranid, status, created, day, total, loc, lname, carrier, method in doc(
        "t.id = ?", (so,)
    ) + doc("m.createdfrom = ? AND t.type IN ('CustInvc', 'CashSale')", (so,)):
        is_order = kind == "SalesOrd"
        shipping = (carrier, method) if is_order else (None, None)
        events.append((f"{'A' if is_order else 'C'}-{tid}", created, day, labels[kind], rtype, tid,
                       tranid, status, status_label(kind, status), total, loc, lname, *shipping,
                       None))  # fmt: skip
    for tid, kind, rtype, tranid, status, created, day, _, loc, lname, carrier, method in doc(
        "m.createdfrom = ? AND t.type = 'ItemShip'", (so,)
    ):
        numbers = [
            (f"M{i}", n)
            for i, n in emulator.sql(
                "SELECT tn.id, tn.trackingnumber FROM trackingnumbermap m JOIN trackingnumber tn "
                "ON tn.id = m.trackingnumber WHERE m.transaction = ?",
                (tid,),
            )
        ]
        numbers += [
            (f"P{i}", n)
            for i, n in emulator.sql(
                "SELECT id, packagetrackingnumber FROM itemfulfillmentpackage "
                "WHERE itemfulfillment = ? AND packagetrackingnumber IS NOT NULL",
                (tid,),
            )
        ]
        for ref, number in sorted(set(numbers)) or [("none", None)]:
            events.append((f"B-{tid}-{ref}", created, day, "Fulfillment", rtype, tid, tranid,
                           status, status_label(kind, status), None, loc, lname, carrier, method,
                           number))  # fmt: skip
    payments = emulator.sql(
        """SELECT DISTINCT p.id, p.recordtype, p.tranid, p.status, p.createddate, p.trandate,
                  p.foreigntotal
           FROM previoustransactionlinelink l
           JOIN transaction p ON p.id = l.nextdoc
           JOIN transactionline bm ON bm.transaction = l.previousdoc AND bm.mainline = 'T'
           WHERE l.linktype = 'Payment' AND bm.createdfrom = ?""",
        (so,),
    )
    for pid, rtype, tranid, status, created, day, total in payments:
        label = status_label("CustPymt", status)
        events.append((f"D-{pid}", created, day, "Payment", rtype, pid, tranid, status, label,
                       total, None, None, None, None, None))  # fmt: skip
    return sorted(events, key=lambda e: (e[1], e[0]))


def test_order_timeline(run: Any, catalog: Catalog, emulator: Any) -> None:
    spec = catalog["order_timeline"]
    so = _timeline_order(emulator)
    rows = run("order_timeline", so_id=str(so))
    expected = [
        (e[0], e[1].replace(microsecond=0), *e[2:]) for e in expected_timeline(emulator, so)
    ]
    assert_rows(spec, rows, expected)
    assert {r[3] for r in rows} >= {"Order created", "Fulfillment", "Invoice", "Payment"}
    assert rows[0][3] == "Order created"


def test_order_timeline_of_an_unknown_order_is_empty(run: Any) -> None:
    assert run("order_timeline", so_id="999999999") == []


# --- reconciliation ---------------------------------------------------------------------------

RECONCILIATION = """
    WITH bills AS (
        SELECT bm.createdfrom AS so, count(*) AS n, sum(b.foreigntotal) AS billed,
               count(*) FILTER (WHERE b.type = 'CustInvc') AS invoices,
               count(*) FILTER (WHERE b.type = 'CashSale') AS cash_sales,
               coalesce(sum(b.foreigntotal) FILTER (WHERE b.type = 'CashSale' OR b.status = 'B'), 0)
                   AS paid,
               max(b.lastmodifieddate) AS modified
        FROM transaction b JOIN transactionline bm ON bm.transaction = b.id AND bm.mainline = 'T'
        WHERE b.type IN ('CustInvc', 'CashSale') AND b.status <> 'V' AND b.voided = 'F'
        GROUP BY ALL)
    SELECT so.id, so.tranid, so.otherrefnum, so.custbody_celigo_etail_order_id, so.trandate,
           so.custbody_celigo_etail_channel, cu.isperson, so.status, so.foreigntotal,
           coalesce(bills.billed, 0), coalesce(bills.n, 0), coalesce(bills.invoices, 0),
           coalesce(bills.cash_sales, 0), so.terms, coalesce(bills.paid, 0),
           greatest(so.lastmodifieddate, bills.modified)
    FROM transaction so
    JOIN customer cu ON cu.id = so.entity
    LEFT JOIN bills ON bills.so = so.id
    WHERE so.type = 'SalesOrd' AND so.trandate >= ?
    ORDER BY so.id
"""


def expected_reconciliation(emulator: Any, since: date) -> list[Row]:
    rows = []
    for r in emulator.sql(RECONCILIATION, (since,)):
        so, tranid, name, shop, day, channel, person, status, total, billed, n, inv, cs = r[:13]
        terms, paid, modified = r[13:]
        kind = {(True, True): "Mixed", (True, False): "Invoice", (False, True): "Cash Sale"}.get(
            (inv > 0, cs > 0), "None"
        )
        rows.append((
            so, tranid, name, shop, day, channel, "DTC" if person == "T" else "B2B", status,
            status_label("SalesOrd", status), total, billed, n, inv, cs, kind,
            "Invoice" if terms is not None else "Cash Sale", paid, total - billed,
            modified.replace(microsecond=0),
        ))  # fmt: skip
    return rows


def test_reconciliation(run: Any, catalog: Catalog, emulator: Any, today: date) -> None:
    spec = catalog["reconciliation"]
    rows = run("reconciliation")
    assert_rows(spec, rows, expected_reconciliation(emulator, days_ago(today, 90)))
    assert {r[14] for r in rows} >= {"Invoice", "Cash Sale", "None"}
    assert any(r[17] != 0 for r in rows) and any(r[17] == 0 for r in rows)


def test_reconciliation_incremental_returns_exactly_the_rows_changed_since(
    run: Any, catalog: Catalog, emulator: Any, today: date
) -> None:
    spec = catalog["reconciliation"]
    full = run("reconciliation")
    stamps = sorted(r[18] for r in full)
    cutoff: datetime = stamps[len(stamps) * 9 // 10]
    delta = run("reconciliation", modified_after=cutoff.isoformat())
    assert delta == [r for r in full if r[18] >= cutoff]
    assert 0 < len(delta) < len(full)
    assert spec.incremental == "last_modified"


# --- the demo shows every exception ----------------------------------------------------------


@pytest.mark.parametrize("name", CACHED)
def test_every_cached_query_has_demo_rows_with_unique_keys(
    run: Any, catalog: Catalog, name: str
) -> None:
    spec = catalog[name]
    rows = run(name)
    index = [c.name for c in spec.columns].index(spec.key or "")
    keys = [r[index] for r in rows]
    assert rows and len(keys) == len(set(keys)), f"{name}: {len(rows)} rows, keys not unique"
