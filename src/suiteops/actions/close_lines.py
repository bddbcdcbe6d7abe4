"""Close remaining order lines: PATCH `isClosed` on a sales order's open lines.

Open line = not closed and ordered > shipped. A line with an item fulfillment still in
progress (status A picked or B packed, reached through its ShipRcpt link) is left alone and the
plan says so: closing it would strand the warehouse's pick. The item sublist is keyed by `line`
(DOC:section_159795516182), so one PATCH closes exactly the listed lines and nothing else.
"""

from __future__ import annotations

from collections import defaultdict
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

NAME = "close_lines"

LINES_SQL = """
SELECT tl.id AS line, BUILTIN.DF(tl.item) AS sku, tl.isclosed AS isclosed,
       ABS(NVL(tl.quantity, 0)) AS ordered, NVL(tl.quantityshiprecv, 0) AS shipped
FROM transactionline tl
WHERE tl.transaction = :so_id AND tl.mainline = 'F' AND tl.taxline = 'F'
  AND tl.kitmemberof IS NULL AND tl.item IS NOT NULL
ORDER BY tl.id
"""
LINES_COLUMNS = (
    ("line", live.INT),
    ("sku", live.TEXT),
    ("isclosed", live.TEXT),
    ("ordered", live.DEC),
    ("shipped", live.DEC),
)

IN_PROGRESS_SQL = """
SELECT DISTINCT f.id AS if_id, f.tranid AS if_number, f.status AS if_status,
       l.previousline AS line
FROM nexttransactionlinelink l
JOIN transaction f ON f.id = l.nextdoc
WHERE l.previousdoc = :so_id AND l.linktype = 'ShipRcpt' AND f.type = 'ItemShip'
  AND f.status IN ('A', 'B')
ORDER BY f.id, l.previousline
"""
IN_PROGRESS_COLUMNS = (
    ("if_id", live.INT),
    ("if_number", live.TEXT),
    ("if_status", live.TEXT),
    ("line", live.INT),
)

_IF_STATUS = MappingProxyType({"A": "picked", "B": "packed"})


def plan(target: str, ctx: ActionContext) -> Plan:
    """Plan closing every open line of sales order `target` not being fulfilled right now."""
    so_id = live.parse_id(target, "sales order")
    head = live.header(ctx.client, so_id, "SalesOrd", "sales order")
    lines = live.read(ctx.client, NAME, LINES_SQL, {"so_id": so_id}, LINES_COLUMNS)
    busy = live.read(ctx.client, NAME, IN_PROGRESS_SQL, {"so_id": so_id}, IN_PROGRESS_COLUMNS)
    state = {"order": [head["id"], head["status"]], "lines": lines, "busy": busy}
    open_lines = [r for r in lines if r["isclosed"] != "T" and r["ordered"] > r["shipped"]]
    held = _busy_by_line(busy)
    closable = [r for r in open_lines if r["line"] not in held]
    notes = [_held_note(r, held[r["line"]]) for r in open_lines if r["line"] in held]
    record = f"salesOrder {head['tranid']}"
    if head["status"] == "C":
        return make_plan(NAME, target, state, refusal=f"{head['tranid']} is cancelled")
    if not open_lines:
        note = f"{head['tranid']} has no open line: every line is closed or fully shipped."
        return make_plan(NAME, target, state, notes=[note])
    if not closable:
        return make_plan(
            NAME,
            target,
            state,
            notes=notes,
            refusal=(
                f"every open line of {head['tranid']} has a fulfillment in progress; "
                "ship or delete the fulfillment first. " + " ".join(notes)
            ),
        )
    body = {"item": {"items": [{"line": r["line"], "isClosed": True} for r in closable]}}
    return make_plan(
        NAME,
        target,
        state,
        calls=[PlannedCall(CallOp.PATCH, "salesOrder", so_id, body)],
        changes=[FieldChange(record, "isclosed", r["line"], "F", "T") for r in closable],
        notes=[_close_note(r) for r in closable] + notes,
        facts={"so_id": so_id, "tranid": head["tranid"]},
    )


def verify(plan_: Plan, ctx: ActionContext, record_ids: tuple[str, ...]) -> Verification:
    """Re-read the lines: every planned line must now be closed."""
    so_id = int(plan_.facts["so_id"])
    lines = live.read(ctx.client, NAME, LINES_SQL, {"so_id": so_id}, LINES_COLUMNS)
    seen = {("isclosed", r["line"]): r["isclosed"] for r in lines}
    return verify_fields(plan_.changes, seen, (str(so_id),))


def _busy_by_line(busy: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    held: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in busy:
        held[row["line"]].append(row)
    return dict(held)


def _held_note(line: dict[str, Any], fulfillments: list[dict[str, Any]]) -> str:
    names = ", ".join(
        f"{f['if_number']} ({_IF_STATUS.get(f['if_status'], f['if_status'])})" for f in fulfillments
    )
    return f"line {line['line']} ({line['sku']}) left open: fulfillment {names} is in progress."


def _close_note(line: dict[str, Any]) -> str:
    remaining = line["ordered"] - line["shipped"]
    return f"line {line['line']} ({line['sku']}): close {remaining:g} unshipped unit(s)."


ACTION = Action(
    name=NAME,
    label="Close remaining order lines",
    role="ops",
    target_kind=TargetKind.SALES_ORDER,
    confirmation="Close the open lines listed above in NetSuite?",
    bulk_confirmation="Close the open lines of every selected sales order?",
    description="PATCH isClosed on a sales order's open lines, skipping lines being fulfilled.",
    planner=plan,
    performer=perform_calls,
    verifier=verify,
    affects=("pending_fulfillment", "partially_fulfilled", "lot_inventory_gaps"),
)
