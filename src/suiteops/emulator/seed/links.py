"""Document links: line level (`NextTransactionLineLink` and `PreviousTransactionLineLink`, the
same rows in both, as NetSuite exposes one relation from either side) and header level
(`NextTransactionLink`). `previousline`/`nextline` hold `transactionline.id` (the join most code
uses; shared/reference/netsuite.md §4.3 and §8.8).
"""

from __future__ import annotations

import duckdb
import numpy as np

from suiteops.emulator.seed.account import Account
from suiteops.emulator.seed.document_lines import bill_discount_line_ids
from suiteops.emulator.seed.lines import SalesLineIds, sales_line_ids
from suiteops.emulator.seed.transactions import bill_totals, order_totals
from suiteops.emulator.seed.writer import Column, append, timestamps

Links = dict[str, Column]


def _ship_links(account: Account, ids: SalesLineIds) -> Links:
    """ShipRcpt: each sales order line → the fulfillment line that shipped it."""
    f, ln = account.fulfillments, account.lines
    return {
        "previousdoc": account.so_id[ln.order[f.line]],
        "previousline": ids.line[f.line],
        "previoustype": "SalesOrd",
        "nextdoc": account.if_id[f.line_doc],
        "nextline": f.line_id,
        "nexttype": "ItemShip",
        "linktype": "ShipRcpt",
        "foreignamount": ln.shipped[f.line] * ln.rate_cents[f.line] / 100,
        "lastmodifieddate": timestamps(f.created[f.line_doc]),
    }


def _bill_links(account: Account, ids: SalesLineIds) -> list[Links]:
    """OrdBill: each billed order line (and a billed discount line) → its bill line."""
    b, ln = account.bills, account.lines
    kind = np.where(b.invoice, "CustInvc", "CashSale")
    has, discount_line = bill_discount_line_ids(account)
    _, discount = order_totals(account)
    return [
        {
            "previousdoc": account.so_id[ln.order[b.line]],
            "previousline": ids.line[b.line],
            "previoustype": "SalesOrd",
            "nextdoc": account.bill_id[b.line_doc],
            "nextline": b.line_id,
            "nexttype": kind[b.line_doc],
            "linktype": "OrdBill",
            "foreignamount": ln.billed[b.line] * ln.rate_cents[b.line] / 100,
            "lastmodifieddate": timestamps(b.created[b.line_doc]),
        },
        {
            "previousdoc": account.so_id[b.order[has]],
            "previousline": ids.discount_line[b.order[has]],
            "previoustype": "SalesOrd",
            "nextdoc": account.bill_id[has],
            "nextline": discount_line,
            "nexttype": kind[has],
            "linktype": "OrdBill",
            "foreignamount": -discount[b.order[has]] / 100,
            "lastmodifieddate": timestamps(b.created[has]),
        },
    ]


def _payment_links(account: Account) -> Links:
    """Payment: each paid invoice's mainline → the payment's mainline."""
    p = account.payments
    return {
        "previousdoc": account.bill_id[p.bill],
        "previousline": 0,
        "previoustype": "CustInvc",
        "nextdoc": account.payment_id,
        "nextline": 0,
        "nexttype": "CustPymt",
        "linktype": "Payment",
        "foreignamount": bill_totals(account)[p.bill] / 100,
        "lastmodifieddate": timestamps(p.created),
    }


def _header_links(account: Account) -> list[Links]:
    """NextTransactionLink: one row per linked pair of documents."""
    f, b, p = account.fulfillments, account.bills, account.payments
    return [
        {
            "previousdoc": account.so_id[f.order],
            "nextdoc": account.if_id,
            "linktype": "ShipRcpt",
            "previoustype": "SalesOrd",
            "nexttype": "ItemShip",
            "lastmodifieddate": timestamps(f.created),
        },
        {
            "previousdoc": account.so_id[b.order],
            "nextdoc": account.bill_id,
            "linktype": "OrdBill",
            "previoustype": "SalesOrd",
            "nexttype": np.where(b.invoice, "CustInvc", "CashSale"),
            "lastmodifieddate": timestamps(b.created),
        },
        {
            "previousdoc": account.bill_id[p.bill],
            "nextdoc": account.payment_id,
            "linktype": "Payment",
            "previoustype": "CustInvc",
            "nexttype": "CustPymt",
            "lastmodifieddate": timestamps(p.created),
        },
    ]


def write_links(con: duckdb.DuckDBPyConnection, account: Account) -> int:
    """Write all link tables; returns the number of line-link rows (per table)."""
    ids = sales_line_ids(account)
    rows = [_ship_links(account, ids), *_bill_links(account, ids), _payment_links(account)]
    written = 0
    for links in rows:
        written += append(con, "nexttransactionlinelink", links)
        append(con, "previoustransactionlinelink", links)
    for links in _header_links(account):
        append(con, "nexttransactionlink", links)
    return written
