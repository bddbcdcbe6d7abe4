"""Rebuild fulfillment payload (live) and export pending exceptions (from the cache)."""

from __future__ import annotations

import io
import json

import pandas as pd

from suiteops.actions import OutcomeStatus, execute, plan, shopify
from suiteops.actions.export_exceptions import COLUMNS
from suiteops.refresh import refresh
from suiteops.views.exceptions import inbox
from suiteops.views.registry import VIEWS

from .conftest import OPS, SUPPORT, Lab
from .tables import diff, snapshot

WITH_TRACKING = """
SELECT f.id FROM transaction f
WHERE f.type = 'ItemShip' AND f.status = 'C'
  AND EXISTS (SELECT 1 FROM trackingnumbermap m WHERE m.transaction = f.id)
ORDER BY f.id
"""


def test_payload_is_built_from_the_fulfillment(lab: Lab) -> None:
    if_id = lab.one(WITH_TRACKING)
    so_id, shopify_id = lab.emu.sql(
        "SELECT so.id, so.custbody_celigo_etail_order_id FROM transactionline fm "
        "JOIN transaction so ON so.id = fm.createdfrom "
        "WHERE fm.transaction = ? AND fm.mainline = 'T'",
        [if_id],
    )[0]
    lines = lab.emu.sql(
        "SELECT sl.custcol_celigo_etail_order_line_id, sum(abs(fl.quantity)) "
        "FROM nexttransactionlinelink l "
        "JOIN transactionline fl ON fl.transaction = l.nextdoc AND fl.id = l.nextline "
        "JOIN transactionline sl ON sl.transaction = l.previousdoc AND sl.id = l.previousline "
        "WHERE l.nextdoc = ? AND l.linktype = 'ShipRcpt' GROUP BY 1 ORDER BY 1",
        [if_id],
    )
    numbers = sorted(r[0] for r in lab.emu.sql(
        "SELECT t.trackingnumber FROM trackingnumbermap m JOIN trackingnumber t "
        "ON t.id = m.trackingnumber WHERE m.transaction = ?", [if_id]))  # fmt: skip
    p = plan("fulfillment_payload", str(if_id), lab.ctx)
    assert p.artifact is not None and p.artifact.media_type == "application/json"
    doc = json.loads(p.artifact.data)
    assert doc["orderId"] == f"gid://shopify/Order/{shopify_id}"
    assert sorted((i["lineItemId"], i["quantity"]) for i in doc["lineItems"]) == [
        (f"gid://shopify/LineItem/{gid}", int(qty)) for gid, qty in lines
    ]
    assert sorted(doc["trackingInfo"]["numbers"]) == numbers
    assert doc["notifyCustomer"] is True and shopify.validate_document(doc) == []
    assert doc["source"]["fulfillmentId"] == if_id
    assert doc["source"]["salesOrder"] == lab.one(
        f"SELECT tranid FROM transaction WHERE id = {so_id}"
    )
    before = snapshot(lab.emu)
    outcome = execute(p, lab.ctx, SUPPORT)
    assert outcome.status is OutcomeStatus.DONE and outcome.artifact == p.artifact
    assert execute(p, lab.ctx, SUPPORT).status is OutcomeStatus.NOOP
    assert diff(before, snapshot(lab.emu)) == {}


def test_payload_refused_without_a_shopify_order(lab: Lab) -> None:
    if_id = lab.one(WITH_TRACKING)
    lab.emu.sql(
        "UPDATE transaction SET custbody_celigo_etail_order_id = NULL WHERE id = "
        "(SELECT createdfrom FROM transactionline WHERE transaction = ? AND mainline = 'T')",
        [if_id],
    )
    p = plan("fulfillment_payload", str(if_id), lab.ctx)
    assert p.refusal is not None and "carries no Shopify order id" in p.refusal


def test_wrong_target_kinds_are_refused(lab: Lab) -> None:
    so_id = lab.one("SELECT id FROM transaction WHERE type = 'SalesOrd' ORDER BY id")
    assert "not a item fulfillment" in (plan("fulfillment_payload", str(so_id), lab.ctx).refusal
                                        or "")  # fmt: skip
    assert "no sales order with internal id 99999999" in (
        plan("close_lines", "99999999", lab.ctx).refusal or ""
    )
    assert "positive integer" in (plan("bill_order", "SO10001", lab.ctx).refusal or "")


def test_export_lists_every_cached_exception_with_reason_and_suggestion(lab: Lab) -> None:
    refresh(lab.services, list(VIEWS))
    frames = {name: lab.services.cache.read(name).frame() for name in VIEWS}  # type: ignore[union-attr]
    expected = inbox(frames)
    p = plan("export_exceptions", "all", lab.ctx)
    assert p.artifact is not None and p.artifact.filename.endswith(".csv")
    table = pd.read_csv(io.BytesIO(p.artifact.data), dtype=str)
    assert tuple(table.columns) == COLUMNS and len(table) == len(expected) > 0
    assert table["reason"].notna().all() and table["suggested_action"].notna().all()
    assert set(table["type"]) == set(expected["type"])
    counts = table.groupby("query")["target"].count().to_dict()
    billing = frames["billing_failures"]
    assert counts.get("billing_failures", 0) == billing["so_id"].nunique()
    assert execute(p, lab.ctx, OPS).status is OutcomeStatus.DONE
    assert execute(p, lab.ctx, OPS).status is OutcomeStatus.NOOP


def test_export_says_which_queries_are_not_cached(lab: Lab) -> None:
    p = plan("export_exceptions", "all", lab.ctx)
    assert p.notes[0].startswith("0 exception row(s)")
    assert "Not cached yet (refresh first)" in p.notes[1]
