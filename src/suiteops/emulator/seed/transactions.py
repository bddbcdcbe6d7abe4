"""The `transaction` table: sales orders, item fulfillments, cash sales, invoices, payments."""

from __future__ import annotations

import duckdb
import numpy as np

from suiteops.emulator.seed.account import Account
from suiteops.emulator.seed.customers import DAY
from suiteops.emulator.seed.orders import CHANNEL_NAMES, Channel, Scenario
from suiteops.emulator.seed.reference import B2B_STORE, STORE, carriers, term_days
from suiteops.emulator.seed.writer import (
    append,
    dates,
    flag,
    nullable,
    sequence,
    text,
    timestamps,
)

# Celigo ticks "auto billing exported" when it tries to bill, even when billing then fails
# (shared/reference/netsuite.md §4.7), so failed orders carry 'T' without a bill.
_AUTO_BILLED = (Scenario.BILLED, Scenario.PARTIAL_BILLED, Scenario.CLOSED, Scenario.BILLING_FAILED)


def order_totals(account: Account) -> tuple[np.ndarray, np.ndarray]:
    """(subtotal, discount) of every order in cents; the total is their difference."""
    lines, orders = account.lines, account.orders
    subtotal = np.bincount(lines.order, lines.quantity * lines.rate_cents, orders.count)
    subtotal = subtotal.astype(np.int64)
    return subtotal, subtotal * orders.discount_pct // 100


def bill_totals(account: Account) -> np.ndarray:
    """Total of every bill in cents (its lines, less the discount when it carries it)."""
    lines, bills = account.lines, account.bills
    amount = lines.billed[bills.line] * lines.rate_cents[bills.line]
    total = np.bincount(bills.line_doc, amount, bills.order.size).astype(np.int64)
    _, discount = order_totals(account)
    return total - np.where(bills.discount, discount[bills.order], 0)


def write_sales_orders(con: duckdb.DuckDBPyConnection, account: Account) -> int:
    """One row per sales order, with the Shopify order name and id from the connector."""
    o = account.orders
    subtotal, discount = order_totals(account)
    total = (subtotal - discount) / 100
    b2b = o.channel == Channel.B2B
    return append(
        con,
        "transaction",
        {
            "id": account.so_id,
            "tranid": text("SO", 10_001 + np.arange(o.count)),
            "type": "SalesOrd",
            "recordtype": "salesorder",
            "status": account.status,
            "trandate": dates(o.created),
            "createddate": timestamps(o.created),
            "lastmodifieddate": timestamps(account.modified),
            "entity": o.customer,
            "otherrefnum": text("#", 1_001 + np.arange(o.count)),
            "externalid": text("shopify-order-", o.shopify_id),
            "foreigntotal": total,
            "total": total,
            "terms": nullable(o.terms, b2b),
            "shipmethod": o.shipmethod,
            "shipcarrier": carriers(o.shipmethod),
            "source": "Web Services",
            "memo": np.where(o.edited, "Edited after import: ship-to address changed", None),
            "custbody_celigo_etail_order_id": o.shopify_id.astype(str),
            "custbody_celigo_etail_channel": np.array(CHANNEL_NAMES)[o.channel],
            "custbody_celigo_shopify_store": np.where(b2b, B2B_STORE, STORE),
            "custbody_celigo_etail_auto_bill_exp": flag(np.isin(o.scenario, _AUTO_BILLED)),
            "custbody_celigo_etail_order_exported": "T",
        },
    )


def write_fulfillments(con: duckdb.DuckDBPyConnection, account: Account) -> int:
    """One row per item fulfillment; status A picked, B packed, C shipped."""
    f, o = account.fulfillments, account.orders
    shipmethod = o.shipmethod[f.order]
    return append(
        con,
        "transaction",
        {
            "id": account.if_id,
            "tranid": text("IF", sequence(account.if_id, 5_001)),
            "type": "ItemShip",
            "recordtype": "itemfulfillment",
            "status": f.status,
            "trandate": dates(f.created),
            "createddate": timestamps(f.created),
            "lastmodifieddate": timestamps(f.created + 120),
            "entity": o.customer[f.order],
            "shipdate": dates(f.created),
            "shipmethod": shipmethod,
            "shipcarrier": carriers(shipmethod),
            "posting": "T",
            "source": "Web Services",
            "custbody_celigo_etail_fulfill_exported": flag(f.exported),
        },
    )


def write_bills(con: duckdb.DuckDBPyConnection, account: Account) -> int:
    """Cash sales for consumer orders, invoices (with terms and due date) for wholesale ones."""
    b, o = account.bills, account.orders
    total = bill_totals(account) / 100
    paid = np.isin(np.arange(b.order.size), account.payments.bill)
    due = b.created + term_days(o.terms[b.order]) * DAY
    numbers = np.where(
        b.invoice,
        text("INV", sequence(np.where(b.invoice, account.bill_id, 1 << 40), 3_001)),
        text("CS", sequence(np.where(b.invoice, 1 << 40, account.bill_id), 7_001)),
    )
    deposited = account.now - b.created > 3 * DAY
    return append(
        con,
        "transaction",
        {
            "id": account.bill_id,
            "tranid": numbers,
            "type": np.where(b.invoice, "CustInvc", "CashSale"),
            "recordtype": np.where(b.invoice, "invoice", "cashsale"),
            "status": np.where(b.invoice, np.where(paid, "B", "A"), np.where(deposited, "C", "B")),
            "trandate": dates(b.created),
            "createddate": timestamps(b.created),
            "lastmodifieddate": timestamps(b.created + 60),
            "entity": o.customer[b.order],
            "foreigntotal": total,
            "total": total,
            "posting": "T",
            "source": "Web Services",
            "terms": nullable(o.terms[b.order], b.invoice),
            "duedate": np.where(b.invoice, dates(due), np.datetime64("NaT")),
            "otherrefnum": text("#", 1_001 + b.order),
        },
    )


def write_payments(con: duckdb.DuckDBPyConnection, account: Account) -> int:
    """Customer payments, each for one invoice in full."""
    p, b = account.payments, account.bills
    total = bill_totals(account)[p.bill] / 100
    return append(
        con,
        "transaction",
        {
            "id": account.payment_id,
            "tranid": text("PYMT", sequence(account.payment_id, 1_001)),
            "type": "CustPymt",
            "recordtype": "customerpayment",
            "status": np.where(account.now - p.created > 2 * DAY, "C", "B"),
            "trandate": dates(p.created),
            "createddate": timestamps(p.created),
            "lastmodifieddate": timestamps(p.created + 60),
            "entity": account.orders.customer[b.order[p.bill]],
            "foreigntotal": total,
            "total": total,
            "posting": "T",
        },
    )


def write_transactions(con: duckdb.DuckDBPyConnection, account: Account) -> int:
    """Every transaction header; returns the number written."""
    return sum(
        write(con, account)
        for write in (write_sales_orders, write_fulfillments, write_bills, write_payments)
    )
