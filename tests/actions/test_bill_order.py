"""Reconcile cash sale / invoice: the bill guard, bill types, exact effects and failures."""

from __future__ import annotations

from typing import Any

import pytest

from suiteops.actions import OutcomeStatus, execute, plan
from suiteops.actions.base import CallOp
from suiteops.actions.bill_order import bill_type
from suiteops.emulator.faults import FaultRates

from .conftest import ADMIN, Lab
from .faults import FaultOnWrite
from .tables import diff, snapshot

FIN = ADMIN.__class__("fin@example.com", frozenset({"finance"}))

UNBILLED = """
SELECT so.id FROM transaction so
WHERE so.type = 'SalesOrd' AND so.status IN ('D', 'E', 'F') AND so.terms {terms}
  AND NOT EXISTS (SELECT 1 FROM nexttransactionlinelink l
                  WHERE l.previousdoc = so.id AND l.linktype = 'OrdBill')
ORDER BY so.id
"""


def unbilled(lab: Lab, *, terms: bool) -> int:
    return lab.one(UNBILLED.format(terms="IS NOT NULL" if terms else "IS NULL"))


def bills_of(lab: Lab, so_id: int) -> list[tuple[Any, ...]]:
    return lab.emu.sql(
        "SELECT DISTINCT b.id, b.type, b.tranid FROM nexttransactionlinelink l "
        "JOIN transaction b ON b.id = l.nextdoc "
        "WHERE l.previousdoc = ? AND l.linktype = 'OrdBill' ORDER BY 1",
        [so_id],
    )


@pytest.mark.parametrize(("terms", "to_type", "code"), [
    (False, "cashSale", "CashSale"),
    (True, "invoice", "CustInvc"),
])  # fmt: skip
def test_bill_type_and_exact_effects(lab: Lab, terms: bool, to_type: str, code: str) -> None:
    so_id = unbilled(lab, terms=terms)
    p = plan("bill_order", str(so_id), lab.ctx)
    (call,) = p.calls
    assert call.op is CallOp.TRANSFORM and call.async_
    assert call.path == f"/record/v1/salesOrder/{so_id}/!transform/{to_type}"
    before = snapshot(lab.emu)
    outcome = execute(p, lab.ctx, FIN)
    assert outcome.status is OutcomeStatus.DONE, outcome.message
    assert "reply was an error" not in outcome.message
    (bill,) = bills_of(lab, so_id)
    assert bill[1] == code and outcome.record_ids == (str(bill[0]),)
    changes = diff(before, snapshot(lab.emu))
    lines = changes["transactionline"]
    planned = {(so_id, c.line): (c.before, c.after) for c in p.changes if c.line is not None}
    so_changed = {k: v for k, v in lines.changed.items() if k[0] == so_id}
    assert {k: v["quantitybilled"] for k, v in so_changed.items()} == planned
    assert all(set(v) <= {"quantitybilled", "linelastmodifieddate"} for v in so_changed.values())
    assert set(lines.changed) == set(so_changed) and not lines.removed
    assert {row["transaction"] for row in lines.added} == {bill[0]}
    header = changes["transaction"]
    assert [row["id"] for row in header.added] == [bill[0]]
    assert set(header.changed) == {(so_id,)}
    assert set(header.changed[(so_id,)]) <= {"status", "lastmodifieddate"}
    for table in ("nexttransactionlinelink", "previoustransactionlinelink", "nexttransactionlink"):
        added = changes[table].added
        assert added and not changes[table].removed and not changes[table].changed
        assert {(r["previousdoc"], r["nextdoc"], r["linktype"]) for r in added} == {
            (so_id, bill[0], "OrdBill")
        }
    assert set(changes) <= {"transaction", "transactionline", "nexttransactionlinelink",
                            "previoustransactionlinelink", "nexttransactionlink"}  # fmt: skip


def test_already_billed_is_refused_with_the_bill_named(lab: Lab) -> None:
    so_id, number = lab.emu.sql(
        "SELECT so.id, b.tranid FROM transaction so "
        "JOIN nexttransactionlinelink l ON l.previousdoc = so.id AND l.linktype = 'OrdBill' "
        "JOIN transaction b ON b.id = l.nextdoc AND b.type = 'CashSale' "
        "WHERE so.status = 'G' ORDER BY so.id"
    )[0]
    p = plan("bill_order", str(so_id), lab.ctx)
    assert p.refusal == f"already billed by cash sale {number}"
    assert not p.calls and not p.has_work


def test_second_run_noop_and_replan_refused(lab: Lab) -> None:
    so_id = unbilled(lab, terms=False)
    p = plan("bill_order", str(so_id), lab.ctx)
    assert execute(p, lab.ctx, FIN).status is OutcomeStatus.DONE
    again = execute(p, lab.ctx, FIN)
    assert again.status is OutcomeStatus.NOOP and "nothing was sent again" in again.message
    (bill,) = bills_of(lab, so_id)
    replanned = plan("bill_order", str(so_id), lab.ctx)
    assert replanned.refusal == f"already billed by cash sale {bill[2]}"
    assert len(bills_of(lab, so_id)) == 1


def test_nothing_shipped_is_refused(lab: Lab) -> None:
    so_id = lab.one("SELECT id FROM transaction WHERE type = 'SalesOrd' AND status = 'B'")
    p = plan("bill_order", str(so_id), lab.ctx)
    assert p.refusal is not None and "not awaiting billing" in p.refusal


def test_injected_500_on_the_transform_fails_cleanly_and_retries_safely(
    make_lab: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    lab = make_lab(env={"SUITEOPS_NETSUITE_MAX_ATTEMPTS": "1"})
    so_id = unbilled(lab, terms=False)
    p = plan("bill_order", str(so_id), lab.ctx)
    faulty = FaultOnWrite(lab.ctx.client, lab.emu, FaultRates(rate_500=1.0))
    monkeypatch.setattr(lab.ctx.client, "records", faulty)
    before = snapshot(lab.emu)
    outcome = execute(p, lab.ctx, FIN)
    assert outcome.status is OutcomeStatus.FAILED and faulty.writes == 1
    assert "500" in (outcome.error or "") and "Safe to retry" in outcome.message
    assert diff(before, snapshot(lab.emu)) == {}
    (entry,) = lab.services.cache.audit.entries(result="failed").itertuples()
    assert entry.idempotency_key == p.idempotency_key and "500" in entry.error
    monkeypatch.undo()
    retry = plan("bill_order", str(so_id), lab.ctx)
    assert retry.idempotency_key == p.idempotency_key
    assert execute(retry, lab.ctx, FIN).status is OutcomeStatus.DONE
    assert len(bills_of(lab, so_id)) == 1


def test_dropped_reply_after_the_write_bills_once(
    lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    so_id = unbilled(lab, terms=True)
    p = plan("bill_order", str(so_id), lab.ctx)
    faulty = FaultOnWrite(lab.ctx.client, lab.emu, FaultRates(rate_drop=1.0))
    monkeypatch.setattr(lab.ctx.client, "records", faulty)
    lab.emu.reset_stats()
    outcome = execute(p, lab.ctx, FIN)
    stats = lab.emu.stats
    assert stats.dropped == 1 and stats.statuses.get(400) == 1  # the repeat: IDEMPOTENCY_ERROR
    assert outcome.status is OutcomeStatus.DONE, outcome.message
    assert faulty.writes == 1 and "reply was an error" not in outcome.message
    (bill,) = bills_of(lab, so_id)
    assert bill[1] == "CustInvc" and outcome.record_ids == (str(bill[0]),)


@pytest.mark.parametrize(("so_terms", "isperson", "customer_terms", "kind"), [
    (None, "T", None, "cash sale"),
    (2, "T", None, "invoice"),
    (None, "F", 3, "invoice"),
    (None, "F", None, "cash sale"),
    (None, "T", 3, "cash sale"),
])  # fmt: skip
def test_bill_type_rule(so_terms: int | None, isperson: str, customer_terms: int | None,
                        kind: str) -> None:  # fmt: skip
    order = {"so_terms": so_terms, "isperson": isperson, "customer_terms": customer_terms}
    assert bill_type(order)[0] == kind
