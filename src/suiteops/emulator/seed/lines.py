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
from suiteops.emulator.seed.document_lines import Part, document_lines, line_part
from suiteops.emulator.seed.inventory import Stock
from suiteops.emulator.seed.orders import Channel, cumsum_within
from suiteops.emulator.seed.reference import DISCOUNT_ITEM, WHOLESALE_DISCOUNT_ITEM
from suiteops.emulator.seed.transactions import order_totals
from suiteops.emulator.seed.writer import append, flag, money, timestamps

FIRST_UNIQUEKEY = 1_000_001


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


def _so_mainlines(account: Account) -> Part:
    """Sales order mainlines: header location and the positive total."""
    o = account.orders
    subtotal, discount = order_totals(account)
    total = money(subtotal - discount)
    touched = timestamps(account.modified)
    columns: Part = {"location": o.location, "amount": total, "foreignamount": total}
    return line_part(account.so_id, 0, o.customer, touched, columns)


def _so_item_lines(account: Account, ids: SalesLineIds, stock: Stock) -> Part:
    """Inventory and kit lines with their shipped, billed, committed and closed state."""
    o, ln = account.orders, account.lines
    amount = money(-ln.quantity * ln.rate_cents)
    columns: Part = {
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
        "rate": money(ln.rate_cents),
        "amount": amount,
        "foreignamount": amount,
        "netamount": amount,
        "custcol_celigo_etail_order_line_id": (o.shopify_id[ln.order] * 10 + ln.position).astype(
            str
        ),
    }
    touched = timestamps(account.modified[ln.order])
    return line_part(account.so_id[ln.order], ids.line, o.customer[ln.order], touched, columns)


def _so_member_lines(account: Account, ids: SalesLineIds) -> Part:
    """Kit member lines: the kit's quantities times the member quantity, no amount."""
    ln, kit, order = account.lines, ids.member_of, account.lines.order[ids.member_of]
    per_kit = account.catalog.member_qty[ids.member]
    columns: Part = {
        "kitmemberof": ln.item[kit],
        "item": account.catalog.member_item[ids.member],
        "itemtype": "InvtPart",
        "quantity": -ln.quantity[kit] * per_kit,
        "quantityshiprecv": ln.shipped[kit] * per_kit,
        "isclosed": flag(ln.closed[kit]),
        "location": ln.location[kit],
        "amount": 0.0,
    }
    touched = timestamps(account.modified[order])
    return line_part(
        account.so_id[order], ids.member_line, account.orders.customer[order], touched, columns
    )


def _so_discount_lines(account: Account, ids: SalesLineIds) -> Part:
    """Discount lines: no quantity, negative rate, positive amount (it reduces the total)."""
    o, has = account.orders, np.flatnonzero(account.orders.discount_pct > 0)
    discount = money(order_totals(account)[1][has])
    columns: Part = {
        "item": np.where(o.channel[has] == Channel.B2B, WHOLESALE_DISCOUNT_ITEM, DISCOUNT_ITEM),
        "itemtype": "Discount",
        "rate": -discount,
        "amount": discount,
        "foreignamount": discount,
        "location": o.location[has],
        "isclosed": flag(np.isin(has, account.lines.order[account.lines.closed])),
    }
    touched = timestamps(account.modified[has])
    return line_part(account.so_id[has], ids.discount_line[has], o.customer[has], touched, columns)


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
        _so_mainlines(account),
        _so_item_lines(account, ids, stock),
        _so_member_lines(account, ids),
        _so_discount_lines(account, ids),
        *document_lines(account),
    ]
    return sum(append(con, "transactionline", part) for part in _with_uniquekeys(parts))
