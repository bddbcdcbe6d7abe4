"""`transactionline` for every transaction, and the line and header link tables between them.

Line ids: the mainline is id 0; a sales order's item lines follow from 1 in display order, each
kit line directly followed by its member lines, the discount line last. Sales-side quantities and
amounts are negative, the mainline amount is the positive total. `uniquekey` ascends with
(transaction, id) across the whole table.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np

from suiteops.emulator.seed.account import Account
from suiteops.emulator.seed.inventory import Stock
from suiteops.emulator.seed.orders import Channel, cumsum_within
from suiteops.emulator.seed.reference import DISCOUNT_ITEM, WHOLESALE_DISCOUNT_ITEM
from suiteops.emulator.seed.transactions import bill_totals, order_totals
from suiteops.emulator.seed.writer import Column, append, flag, timestamps

FIRST_UNIQUEKEY = 1_000_001
Part = dict[str, Column]


@dataclass(frozen=True)
class SalesLineIds:
    """Sales order line ids: per item line, per kit member line, and per order's discount line."""

    line: np.ndarray
    member_of: np.ndarray  # per member line: index of its kit line
    member: np.ndarray  # per member line: index into the catalog's itemmember rows
    member_line: np.ndarray
    discount_line: np.ndarray  # per order


def sales_line_ids(account: Account) -> SalesLineIds:
    """Number every sales order line (see the module docstring)."""
    lines, catalog = account.lines, account.catalog
    counts = np.bincount(catalog.member_parent, minlength=int(lines.item.max()) + 1)
    slots = 1 + counts[lines.item]
    line = cumsum_within(lines.order, slots) - slots + 1
    kits = np.flatnonzero(lines.is_kit)
    per_kit = counts[lines.item[kits]]
    member_of = np.repeat(kits, per_kit)
    nth = np.arange(member_of.size) - np.repeat(np.cumsum(per_kit) - per_kit, per_kit)
    return SalesLineIds(
        line=line,
        member_of=member_of,
        member=np.searchsorted(catalog.member_parent, lines.item[member_of]) + nth,
        member_line=line[member_of] + 1 + nth,
        discount_line=1 + np.bincount(lines.order, slots, account.orders.count),
    )


def _money(cents: np.ndarray) -> np.ndarray:
    """Cents as a decimal amount (exact after DuckDB's cast to DECIMAL(18,2))."""
    return np.asarray(cents, dtype=np.int64) / 100


def _sales_order_parts(account: Account, ids: SalesLineIds, stock: Stock) -> list[Part]:
    """Mainline, item lines, kit member lines and discount lines of every sales order."""
    o, ln, cat = account.orders, account.lines, account.catalog
    subtotal, discount = order_totals(account)
    so, touched = account.so_id, timestamps(account.modified)
    amount = _money(-ln.quantity * ln.rate_cents)
    mq, kit = cat.member_qty[ids.member], ids.member_of
    has = np.flatnonzero(o.discount_pct > 0)
    return [
        {
            "transaction": so,
            "id": 0,
            "linesequencenumber": 0,
            "mainline": "T",
            "location": o.location,
            "amount": _money(subtotal - discount),
            "foreignamount": _money(subtotal - discount),
            "entity": o.customer,
            "linelastmodifieddate": touched,
        },
        {
            "transaction": so[ln.order],
            "id": ids.line,
            "linesequencenumber": ids.line,
            "mainline": "F",
            "item": ln.item,
            "itemtype": np.where(ln.is_kit, "Kit", "InvtPart"),
            "quantity": -ln.quantity,
            "quantityshiprecv": ln.shipped,
            "quantitybilled": ln.billed,
            "quantitycommitted": stock.committed,
            "quantitybackordered": stock.backordered,
            "isclosed": flag(ln.closed),
            "fulfillable": "T",
            "isfullyshipped": flag(ln.shipped == ln.quantity),
            "location": ln.location,
            "rate": _money(ln.rate_cents),
            "amount": amount,
            "foreignamount": amount,
            "netamount": amount,
            "entity": o.customer[ln.order],
            "linelastmodifieddate": touched[ln.order],
            "custcol_celigo_etail_order_line_id": (
                o.shopify_id[ln.order] * 10 + ln.position
            ).astype(str),
        },
        {
            "transaction": so[ln.order[kit]],
            "id": ids.member_line,
            "linesequencenumber": ids.member_line,
            "mainline": "F",
            "kitmemberof": ln.item[kit],
            "item": cat.member_item[ids.member],
            "itemtype": "InvtPart",
            "quantity": -ln.quantity[kit] * mq,
            "quantityshiprecv": ln.shipped[kit] * mq,
            "isclosed": flag(ln.closed[kit]),
            "location": ln.location[kit],
            "amount": 0.0,
            "entity": o.customer[ln.order[kit]],
            "linelastmodifieddate": touched[ln.order[kit]],
        },
        {
            "transaction": so[has],
            "id": ids.discount_line[has],
            "linesequencenumber": ids.discount_line[has],
            "mainline": "F",
            "item": np.where(o.channel[has] == Channel.B2B, WHOLESALE_DISCOUNT_ITEM, DISCOUNT_ITEM),
            "itemtype": "Discount",
            "rate": _money(-discount[has]),
            "amount": _money(discount[has]),
            "foreignamount": _money(discount[has]),
            "location": o.location[has],
            "isclosed": flag(np.isin(has, ln.order[ln.closed])),
            "entity": o.customer[has],
            "linelastmodifieddate": touched[has],
        },
    ]


def _fulfillment_parts(account: Account) -> list[Part]:
    """Mainline (createdfrom = the sales order) and one line per shipped order line."""
    f, ln, o = account.fulfillments, account.lines, account.orders
    touched = timestamps(f.created + 120)
    return [
        {
            "transaction": account.if_id,
            "id": 0,
            "linesequencenumber": 0,
            "mainline": "T",
            "location": f.location,
            "createdfrom": account.so_id[f.order],
            "entity": o.customer[f.order],
            "linelastmodifieddate": touched,
        },
        {
            "transaction": account.if_id[f.line_doc],
            "id": f.line_id,
            "linesequencenumber": f.line_id,
            "mainline": "F",
            "item": ln.item[f.line],
            "itemtype": np.where(ln.is_kit[f.line], "Kit", "InvtPart"),
            "quantity": -ln.shipped[f.line],
            "location": ln.location[f.line],
            "entity": o.customer[ln.order[f.line]],
            "linelastmodifieddate": touched[f.line_doc],
        },
    ]


def _bill_parts(account: Account, ids: SalesLineIds) -> list[Part]:
    """Bill mainlines (createdfrom = the order), billed lines, billed discounts; payments."""
    b, ln, o, p = account.bills, account.lines, account.orders, account.payments
    _, discount = order_totals(account)
    total, has = bill_totals(account), np.flatnonzero(b.discount)
    amount = _money(-ln.billed[b.line] * ln.rate_cents[b.line])
    per_bill = np.bincount(b.line_doc, minlength=b.order.size)
    return [
        {
            "transaction": account.bill_id,
            "id": 0,
            "linesequencenumber": 0,
            "mainline": "T",
            "location": o.location[b.order],
            "createdfrom": account.so_id[b.order],
            "amount": _money(total),
            "foreignamount": _money(total),
            "entity": o.customer[b.order],
            "linelastmodifieddate": timestamps(b.created + 60),
        },
        {
            "transaction": account.bill_id[b.line_doc],
            "id": b.line_id,
            "linesequencenumber": b.line_id,
            "mainline": "F",
            "item": ln.item[b.line],
            "itemtype": np.where(ln.is_kit[b.line], "Kit", "InvtPart"),
            "quantity": -ln.billed[b.line],
            "rate": _money(ln.rate_cents[b.line]),
            "amount": amount,
            "foreignamount": amount,
            "netamount": amount,
            "location": ln.location[b.line],
            "entity": o.customer[ln.order[b.line]],
            "linelastmodifieddate": timestamps(b.created[b.line_doc] + 60),
        },
        {
            "transaction": account.bill_id[has],
            "id": per_bill[has] + 1,
            "linesequencenumber": per_bill[has] + 1,
            "mainline": "F",
            "item": np.where(b.invoice[has], WHOLESALE_DISCOUNT_ITEM, DISCOUNT_ITEM),
            "itemtype": "Discount",
            "rate": _money(-discount[b.order[has]]),
            "amount": _money(discount[b.order[has]]),
            "location": o.location[b.order[has]],
            "entity": o.customer[b.order[has]],
            "linelastmodifieddate": timestamps(b.created[has] + 60),
        },
        {
            "transaction": account.payment_id,
            "id": 0,
            "linesequencenumber": 0,
            "mainline": "T",
            "amount": _money(total[p.bill]),
            "foreignamount": _money(total[p.bill]),
            "entity": o.customer[b.order[p.bill]],
            "linelastmodifieddate": timestamps(p.created + 60),
        },
    ]


def _with_uniquekeys(parts: list[Part]) -> list[Part]:
    """Give each part's rows a `uniquekey` ascending in (transaction, id) over all parts."""
    sizes = [np.size(p["transaction"]) for p in parts]
    doc = np.concatenate([np.asarray(p["transaction"]) for p in parts])
    line = np.concatenate(
        [np.broadcast_to(np.asarray(p["id"]), (n,)) for p, n in zip(parts, sizes, strict=True)]
    )
    keys = np.empty(doc.size, np.int64)
    keys[np.lexsort((line, doc))] = FIRST_UNIQUEKEY + np.arange(doc.size)
    chunks = np.split(keys, np.cumsum(sizes)[:-1])
    return [{**p, "uniquekey": k} for p, k in zip(parts, chunks, strict=True)]


def write_lines(con: duckdb.DuckDBPyConnection, account: Account, stock: Stock) -> int:
    """Write every transaction line; returns the number written."""
    ids = sales_line_ids(account)
    parts = [
        *_sales_order_parts(account, ids, stock),
        *_fulfillment_parts(account),
        *_bill_parts(account, ids),
    ]
    return sum(append(con, "transactionline", part) for part in _with_uniquekeys(parts))
