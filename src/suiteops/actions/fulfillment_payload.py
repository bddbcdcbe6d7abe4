"""Rebuild fulfillment payload: Shopify's fulfillment input, built from a NetSuite fulfillment.

Read live: the item fulfillment, its sales order's Shopify order id, each fulfilled line's
Shopify order line id (`fields.order_line_id` on the sales order line reached through the
ShipRcpt link), quantities, tracking numbers (map table and packages) and carrier. The result is
a JSON document (shown and downloadable) holding the order lines to fulfil, the tracking info,
the notify flag, and the GraphQL query that resolves Shopify's fulfillment order line items;
`shopify.fulfillment_input` then turns it into a validated `FulfillmentInput`. Nothing is
written anywhere, so executing only records the rebuild in the audit log.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from suiteops.actions import live, shopify
from suiteops.actions.base import (
    Action,
    ActionContext,
    Artifact,
    Plan,
    TargetKind,
    Verification,
    make_plan,
)
from suiteops.errors import ActionRefused

NAME = "fulfillment_payload"

HEADER_SQL = """
SELECT f.id AS if_id, f.tranid AS if_number, f.status AS if_status, f.shipcarrier AS carrier,
       BUILTIN.DF(f.shipmethod) AS ship_method, so.id AS so_id, so.tranid AS so_number,
       so.{order_name} AS order_name, so.{order_id} AS shopify_order_id
FROM transaction f
JOIN transactionline fm ON fm.transaction = f.id AND fm.mainline = 'T'
JOIN transaction so ON so.id = fm.createdfrom
WHERE f.id = :if_id
ORDER BY f.id
"""
HEADER_COLUMNS = tuple(
    (name, live.INT if name in {"if_id", "so_id"} else live.TEXT)
    for name in (
        "if_id",
        "if_number",
        "if_status",
        "carrier",
        "ship_method",
        "so_id",
        "so_number",
        "order_name",
        "shopify_order_id",
    )
)

LINES_SQL = """
SELECT l.nextline AS if_line, l.previousline AS so_line, sl.{order_line_id} AS shopify_line_id,
       BUILTIN.DF(sl.item) AS sku, ABS(NVL(fl.quantity, 0)) AS quantity
FROM nexttransactionlinelink l
JOIN transactionline fl ON fl.transaction = l.nextdoc AND fl.id = l.nextline
JOIN transactionline sl ON sl.transaction = l.previousdoc AND sl.id = l.previousline
WHERE l.nextdoc = :if_id AND l.linktype = 'ShipRcpt'
ORDER BY l.nextline, l.previousline
"""
LINES_COLUMNS = (
    ("if_line", live.INT),
    ("so_line", live.INT),
    ("shopify_line_id", live.TEXT),
    ("sku", live.TEXT),
    ("quantity", live.DEC),
)

MAP_SQL = """
SELECT DISTINCT tn.trackingnumber AS number
FROM trackingnumbermap m
JOIN trackingnumber tn ON tn.id = m.trackingnumber
WHERE m.transaction = :if_id
ORDER BY tn.trackingnumber
"""
PACKAGE_SQL = """
SELECT p.id, p.packagetrackingnumber AS number
FROM itemfulfillmentpackage p
WHERE p.itemfulfillment = :if_id AND p.packagetrackingnumber IS NOT NULL
ORDER BY p.id
"""


def tracking_numbers(client: Any, if_id: int) -> list[str]:
    """Every tracking number of fulfillment `if_id`, map table and packages, de-duplicated."""
    params = {"if_id": if_id}
    mapped = live.read(client, NAME, MAP_SQL, params, [("number", live.TEXT)])
    packed = live.read(client, NAME, PACKAGE_SQL, params, [("id", live.INT), ("number", live.TEXT)])
    return list(dict.fromkeys(r["number"].strip() for r in mapped + packed if r["number"]))


def read_fulfillment(ctx: ActionContext, target: str) -> dict[str, Any]:
    """The live facts of fulfillment `target`: header, lines and tracking numbers."""
    if_id = live.parse_id(target, "item fulfillment")
    live.header(ctx.client, if_id, "ItemShip", "item fulfillment")
    fields = ctx.fields
    sql = HEADER_SQL.format(
        order_name=live.field_id(fields.order_name), order_id=live.field_id(fields.order_id)
    )
    head = live.read(ctx.client, NAME, sql, {"if_id": if_id}, HEADER_COLUMNS)
    if not head:
        raise ActionRefused(f"fulfillment {if_id} is not linked to a sales order")
    sql = LINES_SQL.format(order_line_id=live.field_id(fields.order_line_id))
    lines = live.read(ctx.client, NAME, sql, {"if_id": if_id}, LINES_COLUMNS)
    return {"header": head[0], "lines": lines, "tracking": tracking_numbers(ctx.client, if_id)}


def plan(target: str, ctx: ActionContext) -> Plan:
    """Build the payload document for fulfillment `target` from live NetSuite state."""
    facts = read_fulfillment(ctx, target)
    head, lines = facts["header"], facts["lines"]
    if not head["shopify_order_id"]:
        return make_plan(
            NAME,
            target,
            facts,
            refusal=(
                f"{head['so_number']} carries no Shopify order id "
                f"({ctx.fields.order_id} is empty): it did not come from Shopify"
            ),
        )
    usable = [r for r in lines if r["shopify_line_id"] and r["quantity"] > 0]
    notes = [
        f"IF line {r['if_line']} ({r['sku']}) has no Shopify line id; left out."
        for r in lines
        if not r["shopify_line_id"]
    ]
    if not usable:
        return make_plan(
            NAME,
            target,
            facts,
            notes=notes,
            refusal=(f"no line of {head['if_number']} maps to a Shopify order line"),
        )
    document = payload_document(head, usable, facts["tracking"])
    if not facts["tracking"]:
        notes.append(f"{head['if_number']} has no tracking number: the payload carries none.")
    data = json.dumps(document, indent=2).encode()
    artifact = Artifact(f"fulfillment-{head['if_number']}.json", "application/json", data)
    return make_plan(
        NAME, target, facts, notes=notes, artifact=artifact, facts={"document": document}
    )


def payload_document(
    head: dict[str, Any], lines: list[dict[str, Any]], numbers: list[str]
) -> dict[str, Any]:
    """The downloadable document: order lines, tracking, notify flag and how to resolve them."""
    merged: dict[str, Decimal] = {}
    for row in lines:
        merged[row["shopify_line_id"]] = (
            merged.get(row["shopify_line_id"], Decimal(0)) + row["quantity"]
        )
    return {
        "orderId": shopify.ORDER_GID.format(head["shopify_order_id"]),
        "orderName": head["order_name"],
        "source": {
            "netsuiteFulfillment": head["if_number"],
            "fulfillmentId": head["if_id"],
            "salesOrder": head["so_number"],
            "status": head["if_status"],
        },
        "lineItems": [
            {"lineItemId": shopify.LINE_GID.format(gid), "quantity": int(qty)}
            for gid, qty in merged.items()
        ],
        "notifyCustomer": head["if_status"] == "C",
        "trackingInfo": shopify.tracking_info(head["carrier"], head["ship_method"], numbers),
        "resolveQuery": shopify.RESOLVE_QUERY,
    }


def perform(plan_: Plan, ctx: ActionContext) -> tuple[str, ...]:
    """Nothing to send: the payload is the artifact."""
    return ()


def verify(plan_: Plan, ctx: ActionContext, record_ids: tuple[str, ...]) -> Verification:
    """Check the document against the shapes Shopify's FulfillmentInput fields take."""
    doc = plan_.facts["document"]
    problems = shopify.validate_document(doc)
    if problems:
        return Verification(False, "; ".join(problems))
    return Verification(True, f"payload for {len(doc['lineItems'])} Shopify line(s) built.")


ACTION = Action(
    name=NAME,
    label="Rebuild fulfillment payload",
    role="support",
    target_kind=TargetKind.FULFILLMENT,
    confirmation="Record this payload rebuild in the audit log?",
    bulk_confirmation="Rebuild the payload of every selected fulfillment?",
    description="Shopify's fulfillment input from a NetSuite item fulfillment, as JSON.",
    planner=plan,
    performer=perform,
    verifier=verify,
    writes_netsuite=False,
)
