"""The queries after writes: a fresh tiny emulator per test, changed through the record API (or,
for what the API cannot do, such as voiding, directly in its database), then every affected
query compared again with the independent answer of `test_queries`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from test_queries import (
    FIELDS,
    QUERIES,
    assert_rows,
    days_ago,
    expected_partial,
    expected_reconciliation,
    make_client,
    runner,
    sorted_by_key,
)

from suiteops.catalog import Catalog, load_catalog
from suiteops.netsuite.client import SuiteQLClient


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(QUERIES, FIELDS, check_lock=False)


@pytest.fixture
def writable(emulator_factory: Any, catalog: Catalog) -> Iterator[tuple[Any, SuiteQLClient, Any]]:
    """(emulator, client, run) on a fresh tiny emulator that tests may change."""
    emu = emulator_factory()
    today = emu.sql("SELECT current_date")[0][0]
    with make_client(emu, bound=False) as client:
        yield emu, client, runner(client, catalog, today, memo=False)


def _fulfil(client: SuiteQLClient, so: int, line: int, location: int) -> None:
    body = {"inventoryLocation": {"id": str(location)}, "item": {"items": [
        {"orderLine": line, "quantity": 1}]}}  # fmt: skip
    client.records.transform("salesOrder", so, "itemFulfillment", body, idempotency_key=None,
                             async_=False)  # fmt: skip


def test_a_line_shipped_twice_reports_its_latest_location(
    writable: tuple[Any, SuiteQLClient, Any], catalog: Catalog
) -> None:
    emu, client, run = writable
    so, line, home = emu.sql(
        """SELECT so.id, tl.id, tl.location FROM transaction so
           JOIN transactionline tl ON tl.transaction = so.id AND tl.mainline = 'F'
           WHERE so.type = 'SalesOrd' AND so.status = 'B' AND tl.fulfillable = 'T'
             AND tl.isclosed = 'F' AND -tl.quantity >= 3 AND coalesce(tl.quantityshiprecv, 0) = 0
           ORDER BY so.id, tl.id LIMIT 1"""
    )[0]
    other = emu.sql("SELECT max(id) FROM location WHERE id <> ?", (home,))[0][0]
    _fulfil(client, so, line, home)
    _fulfil(client, so, line, other)
    spec = catalog["partially_fulfilled"]
    rows = run("partially_fulfilled")
    assert_rows(spec, rows, sorted_by_key(spec, expected_partial(emu)))
    row = next(r for r in rows if r[0] == f"{so}-{line}")
    names = [c.name for c in spec.columns]
    got = dict(zip(names, row, strict=True))
    assert (got["fulfillment_count"], got["shipped_qty"]) == (2, 2)
    assert got["shipped_from_location_id"] == other != home
    assert got["last_ship_date"] == emu.sql("SELECT current_date")[0][0]
    assert got["status"] in {"D", "E"}


def test_billing_a_failed_order_clears_it_and_shows_in_the_incremental_delta(
    writable: tuple[Any, SuiteQLClient, Any], catalog: Catalog
) -> None:
    _, client, run = writable
    before = run("reconciliation", placed_after="-120d")
    cutoff = max(r[18] for r in before)
    failures = run("billing_failures")
    assert failures, "the tiny demo has a billing failure"
    so, bill_type = failures[0][0], failures[0][14]
    target = "invoice" if bill_type == "Invoice" else "cashSale"
    client.records.transform("salesOrder", so, target, idempotency_key=None, async_=False)
    assert so not in {r[0] for r in run("billing_failures")}
    delta = run("reconciliation", placed_after="-120d", modified_after=cutoff.isoformat())
    after = run("reconciliation", placed_after="-120d")
    assert so in {r[0] for r in delta}
    assert delta == [r for r in after if r[18] >= cutoff]
    row = next(r for r in after if r[0] == so)
    assert row[14] == bill_type and row[11] >= 1


def test_a_voided_invoice_is_not_billed(
    writable: tuple[Any, SuiteQLClient, Any], catalog: Catalog
) -> None:
    emu, _, run = writable
    today = emu.sql("SELECT current_date")[0][0]
    invoice, so = emu.sql(
        """SELECT b.id, bm.createdfrom FROM transaction b
           JOIN transactionline bm ON bm.transaction = b.id AND bm.mainline = 'T'
           WHERE b.type = 'CustInvc' AND b.trandate >= current_date - 60
           ORDER BY b.id LIMIT 1"""
    )[0]
    emu.sql("UPDATE transaction SET status = 'V', voided = 'T' WHERE id = ?", (invoice,))
    spec = catalog["reconciliation"]
    rows = run("reconciliation")
    assert_rows(spec, rows, expected_reconciliation(emu, days_ago(today, 90)))
    row = next(r for r in rows if r[0] == so)
    voided = emu.sql("SELECT foreigntotal FROM transaction WHERE id = ?", (invoice,))[0][0]
    others = emu.sql(
        """SELECT coalesce(sum(b.foreigntotal), 0) FROM transaction b
           JOIN transactionline bm ON bm.transaction = b.id AND bm.mainline = 'T'
           WHERE bm.createdfrom = ? AND b.id <> ? AND b.type IN ('CustInvc', 'CashSale')""",
        (so, invoice),
    )[0][0]
    assert voided > 0 and row[10] == others and row[17] == row[9] - others


def test_a_payment_changes_only_the_invoice_yet_shows_in_the_incremental_delta(
    writable: tuple[Any, SuiteQLClient, Any],
) -> None:
    emu, _, run = writable
    before = run("reconciliation")
    cutoff = max(r[18] for r in before)
    invoice, so, total = emu.sql(
        """SELECT b.id, bm.createdfrom, b.foreigntotal FROM transaction b
           JOIN transactionline bm ON bm.transaction = b.id AND bm.mainline = 'T'
           JOIN transaction so ON so.id = bm.createdfrom
           WHERE b.type = 'CustInvc' AND b.status = 'A' AND so.trandate >= current_date - 60
           ORDER BY b.id LIMIT 1"""
    )[0]
    # what NetSuite does when a payment is applied: the invoice (not the order) changes
    emu.sql(
        "UPDATE transaction SET status = 'B', lastmodifieddate = ? WHERE id = ?",
        (cutoff + timedelta(hours=1), invoice),
    )
    delta = run("reconciliation", modified_after=(cutoff + timedelta(minutes=1)).isoformat())
    assert [r[0] for r in delta] == [so]
    assert delta[0][16] == next(r[16] for r in before if r[0] == so) + total
