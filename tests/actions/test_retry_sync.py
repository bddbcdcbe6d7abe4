"""Retry order sync: clear the connector's auto-billing flag only when its billing failed."""

from __future__ import annotations

from suiteops.actions import OutcomeStatus, execute, plan

from .conftest import OPS, Lab
from .tables import diff, snapshot

FLAG = "custbody_celigo_etail_auto_bill_exp"
FAILED_BILLING = f"""
SELECT so.id FROM transaction so
WHERE so.type = 'SalesOrd' AND so.status IN ('E', 'F') AND so.{FLAG} = 'T'
  AND NOT EXISTS (SELECT 1 FROM nexttransactionlinelink l
                  WHERE l.previousdoc = so.id AND l.linktype = 'OrdBill')
ORDER BY so.id
"""


def test_clears_the_flag_when_billing_failed_and_nothing_else(lab: Lab) -> None:
    so_id = lab.one(FAILED_BILLING)
    p = plan("retry_sync", str(so_id), lab.ctx)
    assert [c.body for c in p.calls] == [{FLAG: False}]
    assert [(c.field, c.before, c.after) for c in p.changes] == [(FLAG, "T", "F")]
    assert "billing failed" in p.notes[0]
    before = snapshot(lab.emu)
    outcome = execute(p, lab.ctx, OPS)
    assert outcome.status is OutcomeStatus.DONE and outcome.record_ids == (str(so_id),)
    changes = diff(before, snapshot(lab.emu))
    assert list(changes) == ["transaction"]
    assert changes["transaction"].changed == {
        (so_id,): {FLAG: ("T", "F"), "lastmodifieddate": changes["transaction"].changed[(so_id,)]
                   ["lastmodifieddate"]}
    }  # fmt: skip
    again = plan("retry_sync", str(so_id), lab.ctx)
    assert not again.has_work and "is not set" in again.notes[0]
    assert execute(p, lab.ctx, OPS).status is OutcomeStatus.NOOP


def test_billed_order_keeps_its_flag_and_says_why(lab: Lab) -> None:
    so_id, bill = lab.emu.sql(
        "SELECT so.id, b.tranid FROM transaction so "
        "JOIN nexttransactionlinelink l ON l.previousdoc = so.id AND l.linktype = 'OrdBill' "
        "JOIN transaction b ON b.id = l.nextdoc WHERE so.status = 'G' ORDER BY so.id"
    )[0]
    lab.emu.sql(f"UPDATE transaction SET {FLAG} = 'T' WHERE id = ?", [so_id])
    p = plan("retry_sync", str(so_id), lab.ctx)
    assert p.refusal is not None and f"is billed by {bill}" in p.refusal
    assert "could bill the order twice" in p.refusal and not p.calls


def test_unshipped_order_with_flag_is_refused(lab: Lab) -> None:
    so_id = lab.one("SELECT id FROM transaction WHERE type = 'SalesOrd' AND status = 'B'")
    lab.emu.sql(f"UPDATE transaction SET {FLAG} = 'T' WHERE id = ?", [so_id])
    p = plan("retry_sync", str(so_id), lab.ctx)
    assert p.refusal is not None and "nothing shipped awaits billing" in p.refusal


def test_flag_field_id_comes_from_configuration(make_lab: object) -> None:
    other = "custbody_celigo_etail_order_exported"
    lab = make_lab(env={"SUITEOPS_FIELD_AUTO_BILL_FLAG": other})  # type: ignore[operator]
    so_id = lab.one(FAILED_BILLING)
    lab.emu.sql(f"UPDATE transaction SET {other} = 'T' WHERE id = ?", [so_id])
    p = plan("retry_sync", str(so_id), lab.ctx)
    assert [c.body for c in p.calls] == [{other: False}]
    assert execute(p, lab.ctx, OPS).status is OutcomeStatus.DONE
    assert lab.one(f"SELECT {other} || {FLAG} FROM transaction WHERE id = {so_id}") == "FT"


def test_fulfillment_exported_without_tracking_is_reported_not_cleared(lab: Lab) -> None:
    if_id, if_number, so_id = lab.emu.sql(
        "SELECT f.id, f.tranid, fm.createdfrom FROM transaction f "
        "JOIN transactionline fm ON fm.transaction = f.id AND fm.mainline = 'T' "
        "WHERE f.type = 'ItemShip' "
        "AND NOT EXISTS (SELECT 1 FROM trackingnumbermap m WHERE m.transaction = f.id) "
        "AND NOT EXISTS (SELECT 1 FROM itemfulfillmentpackage p WHERE p.itemfulfillment = f.id) "
        "ORDER BY f.id"
    )[0]
    lab.emu.sql(
        "UPDATE transaction SET custbody_celigo_etail_fulfill_exported = 'T' WHERE id = ?", [if_id]
    )
    p = plan("retry_sync", str(so_id), lab.ctx)
    assert any(n.startswith(f"{if_number}: exported without a tracking number") for n in p.notes)
    assert all("fulfill_exported" not in str(c.body) for c in p.calls)
