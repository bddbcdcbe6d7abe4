"""Reconcile cash sale / invoice: bill a shipped order the connector failed to bill.

The bill type follows the connector's rule (Celigo auto-billing, reference §4.7): terms on the
order (or, failing that, on a business customer) → invoice, otherwise → cash sale. Before the
transform the plan checks live that no bill exists (an `OrdBill` link to an invoice or cash
sale): synchronous transforms carry no idempotency key, so the transform goes async with one
(DOC:subsect_164494900632) and the guard refuses "already billed by cash sale CS1042". An empty
transform body bills every fulfilled, unbilled quantity (DOC:section_159795520083), which is
what the plan's per-line `quantitybilled` changes predict.
"""

from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType
from typing import Any

from suiteops.actions import live
from suiteops.actions.base import (
    Action,
    ActionContext,
    CallOp,
    FieldChange,
    Plan,
    PlannedCall,
    TargetKind,
    Verification,
    make_plan,
)
from suiteops.actions.calls import perform_calls, verify_fields

NAME = "bill_order"

ORDER_SQL = """
SELECT so.id, so.tranid, so.status, so.terms AS so_terms, c.terms AS customer_terms,
       c.isperson AS isperson, BUILTIN.DF(so.entity) AS customer
FROM transaction so
LEFT JOIN customer c ON c.id = so.entity
WHERE so.id = :so_id
ORDER BY so.id
"""
ORDER_COLUMNS = (
    ("id", live.INT),
    ("tranid", live.TEXT),
    ("status", live.TEXT),
    ("so_terms", live.INT),
    ("customer_terms", live.INT),
    ("isperson", live.TEXT),
    ("customer", live.TEXT),
)

BILLS_SQL = """
SELECT DISTINCT b.id AS bill_id, b.tranid AS bill_number, b.type AS bill_type
FROM nexttransactionlinelink l
JOIN transaction b ON b.id = l.nextdoc
WHERE l.previousdoc = :so_id AND l.linktype = 'OrdBill' AND b.type IN ('CustInvc', 'CashSale')
ORDER BY b.id
"""
BILLS_COLUMNS = (("bill_id", live.INT), ("bill_number", live.TEXT), ("bill_type", live.TEXT))

LINES_SQL = """
SELECT tl.id AS line, BUILTIN.DF(tl.item) AS sku, NVL(tl.quantityshiprecv, 0) AS shipped,
       NVL(tl.quantitybilled, 0) AS billed
FROM transactionline tl
WHERE tl.transaction = :so_id AND tl.mainline = 'F' AND tl.taxline = 'F'
  AND tl.kitmemberof IS NULL AND tl.item IS NOT NULL
ORDER BY tl.id
"""
LINES_COLUMNS = (
    ("line", live.INT),
    ("sku", live.TEXT),
    ("shipped", live.DEC),
    ("billed", live.DEC),
)

_BILL_LABEL = MappingProxyType({"CustInvc": "invoice", "CashSale": "cash sale"})
_TO_TYPE = MappingProxyType({"invoice": "invoice", "cash sale": "cashSale"})
_BILLABLE_STATUS = frozenset({"D", "E", "F"})


def bill_type(order: dict[str, Any]) -> tuple[str, str]:
    """('invoice' | 'cash sale', why) by the connector's terms / customer-type rule."""
    if order["so_terms"] is not None:
        return "invoice", "the order has payment terms"
    if order["isperson"] == "F" and order["customer_terms"] is not None:
        return "invoice", "the business customer has payment terms"
    return "cash sale", "the order has no payment terms (paid at checkout)"


def plan(target: str, ctx: ActionContext) -> Plan:
    """Plan billing sales order `target` by the right bill type, unless a bill exists."""
    so_id = live.parse_id(target, "sales order")
    live.header(ctx.client, so_id, "SalesOrd", "sales order")
    params = {"so_id": so_id}
    order = live.read(ctx.client, NAME, ORDER_SQL, params, ORDER_COLUMNS)[0]
    bills = live.read(ctx.client, NAME, BILLS_SQL, params, BILLS_COLUMNS)
    lines = live.read(ctx.client, NAME, LINES_SQL, params, LINES_COLUMNS)
    state = {"order": order, "bills": bills, "lines": lines}
    billable = [r for r in lines if r["shipped"] > r["billed"]]
    refusal = _refusal(order, bills, billable)
    if refusal:
        return make_plan(NAME, target, state, refusal=refusal)
    kind, why = bill_type(order)
    record = f"salesOrder {order['tranid']}"
    changes = [
        FieldChange(record, "quantitybilled", r["line"], r["billed"], r["shipped"])
        for r in billable
    ]
    changes.append(FieldChange(record, "bill", None, None, f"new {kind}"))
    call = PlannedCall(CallOp.TRANSFORM, "salesOrder", so_id, None, _TO_TYPE[kind], async_=True)
    units = sum((r["shipped"] - r["billed"] for r in billable), Decimal(0))
    notes = [
        f"Bill by {kind}: {why}.",
        f"{units:g} shipped unit(s) on {len(billable)} "
        f"line(s) are unbilled; the transform bills exactly those.",
    ]
    facts = {"so_id": so_id, "tranid": order["tranid"], "bill_type": kind, "bills_before": []}
    return make_plan(NAME, target, state, calls=[call], changes=changes, notes=notes, facts=facts)


def _refusal(order: dict[str, Any], bills: list[dict[str, Any]], billable: list[Any]) -> str:
    tranid = order["tranid"]
    if bills:
        named = ", ".join(f"{_BILL_LABEL[b['bill_type']]} {b['bill_number']}" for b in bills)
        if billable:
            return (
                f"{tranid} is partly billed by {named}; bill the remaining shipped quantity "
                "in NetSuite by hand so nothing is billed twice"
            )
        return f"already billed by {named}"
    if order["status"] not in _BILLABLE_STATUS:
        return f"{tranid} is not awaiting billing (status {order['status']})"
    if not billable:
        return f"nothing to bill: no shipped quantity of {tranid} awaits billing"
    return ""


def verify(plan_: Plan, ctx: ActionContext, record_ids: tuple[str, ...]) -> Verification:
    """Re-read: a new bill is linked by OrdBill and the planned quantities are billed."""
    params = {"so_id": int(plan_.facts["so_id"])}
    bills = live.read(ctx.client, NAME, BILLS_SQL, params, BILLS_COLUMNS)
    new = [b for b in bills if b["bill_id"] not in set(plan_.facts["bills_before"])]
    if len(new) != 1:
        return Verification(False, f"expected one new bill linked to the order, found {len(new)}")
    bill = new[0]
    lines = live.read(ctx.client, NAME, LINES_SQL, params, LINES_COLUMNS)
    seen: dict[tuple[str, int | None], object] = {
        ("quantitybilled", r["line"]): r["billed"] for r in lines
    }
    seen[("bill", None)] = f"new {_BILL_LABEL[bill['bill_type']]}"
    check = verify_fields(plan_.changes, seen)
    if not check.ok:
        return check
    label = f"{_BILL_LABEL[bill['bill_type']]} {bill['bill_number']}"
    return Verification(
        True, f"billed by {label} (id {bill['bill_id']}); {check.message}", (str(bill["bill_id"]),)
    )


ACTION = Action(
    name=NAME,
    label="Reconcile cash sale / invoice",
    role="finance",
    target_kind=TargetKind.SALES_ORDER,
    confirmation="Create the bill shown above in NetSuite?",
    bulk_confirmation="Bill every selected sales order?",
    description="Transform a shipped, unbilled sales order into a cash sale or an invoice.",
    planner=plan,
    performer=perform_calls,
    verifier=verify,
    affects=("billing_failures", "reconciliation"),
)
