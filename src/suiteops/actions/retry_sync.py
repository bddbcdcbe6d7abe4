"""Retry order sync: clear a connector flag whose work is missing, so the connector retries.

The connector ticks its auto-billing checkbox even when billing then fails, and never retries
an order with the box ticked (Celigo, reference §4.7). When the live state shows the flag set,
no bill (no `OrdBill` invoice or cash sale) and shipped quantity awaiting billing, clearing the
flag is safe: the connector's billing search picks the order up again. In every other case the
plan says why it does not clear anything. Field ids come from configuration (`fields.*`).

The fulfillment-exported flag sits on item fulfillments; whether Shopify actually received a
fulfillment cannot be read from NetSuite, so it is never cleared blindly. The plan reports each
fulfillment's flag, status and tracking and points at "Rebuild fulfillment payload" when one
was exported without tracking.
"""

from __future__ import annotations

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
from suiteops.actions.bill_order import BILLS_COLUMNS, BILLS_SQL, LINES_COLUMNS, LINES_SQL
from suiteops.actions.calls import perform_calls, verify_fields

NAME = "retry_sync"

FLAG_SQL = """
SELECT so.id, so.tranid, so.status, so.{flag} AS flag
FROM transaction so
WHERE so.id = :so_id
ORDER BY so.id
"""
FLAG_COLUMNS = (("id", live.INT), ("tranid", live.TEXT), ("status", live.TEXT), ("flag", live.TEXT))

FULFILLMENTS_SQL = """
SELECT f.id AS if_id, f.tranid AS if_number, f.status AS if_status, f.{flag} AS flag,
       (SELECT COUNT(*) FROM trackingnumbermap m WHERE m.transaction = f.id)
     + (SELECT COUNT(*) FROM itemfulfillmentpackage p
        WHERE p.itemfulfillment = f.id AND p.packagetrackingnumber IS NOT NULL) AS tracking
FROM transaction f
JOIN transactionline fm ON fm.transaction = f.id AND fm.mainline = 'T'
WHERE fm.createdfrom = :so_id AND f.type = 'ItemShip'
ORDER BY f.id
"""
FULFILLMENTS_COLUMNS = (
    ("if_id", live.INT),
    ("if_number", live.TEXT),
    ("if_status", live.TEXT),
    ("flag", live.TEXT),
    ("tracking", live.INT),
)


def plan(target: str, ctx: ActionContext) -> Plan:
    """Plan clearing the auto-bill flag of sales order `target` when that is safe."""
    so_id = live.parse_id(target, "sales order")
    live.header(ctx.client, so_id, "SalesOrd", "sales order")
    bill_flag = live.field_id(ctx.fields.auto_bill_flag)
    if_flag = live.field_id(ctx.fields.fulfillment_exported_flag)
    params = {"so_id": so_id}
    order = live.read(ctx.client, NAME, FLAG_SQL.format(flag=bill_flag), params, FLAG_COLUMNS)[0]
    bills = live.read(ctx.client, NAME, BILLS_SQL, params, BILLS_COLUMNS)
    lines = live.read(ctx.client, NAME, LINES_SQL, params, LINES_COLUMNS)
    sql = FULFILLMENTS_SQL.format(flag=if_flag)
    fulfillments = live.read(ctx.client, NAME, sql, params, FULFILLMENTS_COLUMNS)
    state = {"order": order, "bills": bills, "lines": lines, "fulfillments": fulfillments}
    unbilled = any(r["shipped"] > r["billed"] for r in lines)
    verdict, safe = _billing_verdict(order, bills, unbilled, bill_flag)
    notes = [verdict, *(_fulfillment_note(f, if_flag) for f in fulfillments)]
    facts = {"so_id": so_id, "field": bill_flag}
    if order["flag"] != "T":
        return make_plan(NAME, target, state, notes=notes, facts=facts)
    if not safe:
        return make_plan(NAME, target, state, notes=notes, refusal=verdict, facts=facts)
    record = f"salesOrder {order['tranid']}"
    return make_plan(
        NAME,
        target,
        state,
        calls=[PlannedCall(CallOp.PATCH, "salesOrder", so_id, {bill_flag: False})],
        changes=[FieldChange(record, bill_flag, None, "T", "F")],
        notes=notes,
        facts=facts,
    )


def _billing_verdict(
    order: dict[str, Any], bills: list[dict[str, Any]], unbilled: bool, flag: str
) -> tuple[str, bool]:
    """(reason, safe to clear) for the order's auto-billing flag."""
    tranid = order["tranid"]
    if order["flag"] != "T":
        return f"{flag} is not set on {tranid}: the connector has not tried to bill it yet.", False
    if bills:
        names = ", ".join(b["bill_number"] for b in bills)
        return (
            f"{flag} is set and {tranid} is billed by {names}: the flag is right, clearing "
            "it could bill the order twice.",
            False,
        )
    if not unbilled:
        return (
            f"{flag} is set on {tranid} but nothing shipped awaits billing: clearing it "
            "now would let the connector bill nothing.",
            False,
        )
    return (
        f"{flag} is set on {tranid} but no invoice or cash sale exists and shipped "
        "quantity awaits billing: the connector's billing failed. Clearing the flag lets "
        "it retry.",
        True,
    )


def _fulfillment_note(row: dict[str, Any], flag: str) -> str:
    name = row["if_number"]
    if row["flag"] != "T":
        return f"{name}: not exported yet ({flag} clear); the connector will pick it up."
    if not row["tracking"]:
        return (
            f"{name}: exported without a tracking number; add tracking in NetSuite and use "
            "'Rebuild fulfillment payload' to send it. Flag left set."
        )
    return f"{name}: exported with {row['tracking']} tracking number(s); nothing to retry."


def verify(plan_: Plan, ctx: ActionContext, record_ids: tuple[str, ...]) -> Verification:
    """Re-read the flag: it must now be clear."""
    sql = FLAG_SQL.format(flag=live.field_id(str(plan_.facts["field"])))
    rows = live.read(ctx.client, NAME, sql, {"so_id": int(plan_.facts["so_id"])}, FLAG_COLUMNS)
    value = rows[0]["flag"] if rows else None
    seen = {(str(plan_.facts["field"]), None): value or "F"}
    return verify_fields(plan_.changes, seen, (str(plan_.facts["so_id"]),))


ACTION = Action(
    name=NAME,
    label="Retry order sync",
    role="ops",
    target_kind=TargetKind.SALES_ORDER,
    confirmation="Clear the connector flag shown above so the connector retries the order?",
    bulk_confirmation="Clear the connector flag on every selected order where it is safe?",
    description="Clear the connector's auto-billing flag when its billing failed.",
    planner=plan,
    performer=perform_calls,
    verifier=verify,
    affects=("billing_failures",),
)
