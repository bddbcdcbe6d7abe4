"""`transactionline` rows of the documents that follow a sales order: fulfillments, bills and
payments. Their mainline carries `createdfrom` = the sales order (payments: none).
"""

from __future__ import annotations

import numpy as np

from suiteops.emulator.seed.account import Account
from suiteops.emulator.seed.reference import DISCOUNT_ITEM, WHOLESALE_DISCOUNT_ITEM
from suiteops.emulator.seed.transactions import bill_totals, order_totals
from suiteops.emulator.seed.writer import Column, money, timestamps

Part = dict[str, Column]


def line_part(
    transaction: np.ndarray,
    line_id: np.ndarray | int,
    entity: np.ndarray,
    touched: np.ndarray,
    columns: Part,
) -> Part:
    """The columns every line has, plus `columns`; id 0 is the mainline."""
    mainline = "T" if isinstance(line_id, int) and line_id == 0 else "F"
    common: Part = {
        "transaction": transaction,
        "id": line_id,
        "linesequencenumber": line_id,
        "mainline": mainline,
        "entity": entity,
        "linelastmodifieddate": touched,
    }
    return {**common, **columns}


def _fulfillment_lines(account: Account) -> list[Part]:
    """Mainline at the shipping location, and one line per shipped order line."""
    f, ln, o = account.fulfillments, account.lines, account.orders
    touched = timestamps(f.created + 120)
    mainline: Part = {"location": f.location, "createdfrom": account.so_id[f.order]}
    columns: Part = {
        "item": ln.item[f.line],
        "itemtype": np.where(ln.is_kit[f.line], "Kit", "InvtPart"),
        "quantity": -ln.shipped[f.line],
        "location": ln.location[f.line],
    }
    return [
        line_part(account.if_id, 0, o.customer[f.order], touched, mainline),
        line_part(
            account.if_id[f.line_doc],
            f.line_id,
            o.customer[f.order[f.line_doc]],
            touched[f.line_doc],
            columns,
        ),
    ]


def _bill_lines(account: Account) -> list[Part]:
    """Mainline with the bill total, and one line per billed order line."""
    b, ln, o = account.bills, account.lines, account.orders
    touched, total = timestamps(b.created + 60), money(bill_totals(account))
    mainline: Part = {
        "location": o.location[b.order],
        "createdfrom": account.so_id[b.order],
        "amount": total,
        "foreignamount": total,
    }
    amount = money(-ln.billed[b.line] * ln.rate_cents[b.line])
    columns: Part = {
        "item": ln.item[b.line],
        "itemtype": np.where(ln.is_kit[b.line], "Kit", "InvtPart"),
        "quantity": -ln.billed[b.line],
        "rate": money(ln.rate_cents[b.line]),
        "amount": amount,
        "foreignamount": amount,
        "netamount": amount,
        "location": ln.location[b.line],
    }
    customer = o.customer[b.order]
    return [
        line_part(account.bill_id, 0, customer, touched, mainline),
        line_part(
            account.bill_id[b.line_doc],
            b.line_id,
            customer[b.line_doc],
            touched[b.line_doc],
            columns,
        ),
    ]


def bill_discount_line_ids(account: Account) -> tuple[np.ndarray, np.ndarray]:
    """(bills that carry their order's discount, the discount line's id on each: last line)."""
    b = account.bills
    has = np.flatnonzero(b.discount)
    return has, np.bincount(b.line_doc, minlength=b.order.size)[has] + 1


def _bill_discount_lines(account: Account) -> Part:
    """The order's discount line, on the bill that bills the whole order."""
    b, o = account.bills, account.orders
    has, line_id = bill_discount_line_ids(account)
    discount = money(order_totals(account)[1][b.order[has]])
    columns: Part = {
        "item": np.where(b.invoice[has], WHOLESALE_DISCOUNT_ITEM, DISCOUNT_ITEM),
        "itemtype": "Discount",
        "rate": -discount,
        "amount": discount,
        "location": o.location[b.order[has]],
    }
    touched = timestamps(b.created[has] + 60)
    return line_part(account.bill_id[has], line_id, o.customer[b.order[has]], touched, columns)


def _payment_lines(account: Account) -> Part:
    """Payment mainlines with the amount paid (the invoice total)."""
    p, b = account.payments, account.bills
    total = money(bill_totals(account)[p.bill])
    columns: Part = {"amount": total, "foreignamount": total}
    customer = account.orders.customer[b.order[p.bill]]
    return line_part(account.payment_id, 0, customer, timestamps(p.created + 60), columns)


def document_lines(account: Account) -> list[Part]:
    """Every line of every fulfillment, bill and payment."""
    return [
        *_fulfillment_lines(account),
        *_bill_lines(account),
        _bill_discount_lines(account),
        _payment_lines(account),
    ]
