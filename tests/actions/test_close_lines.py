"""Close remaining order lines against a fresh tiny emulator."""

from __future__ import annotations

from suiteops.actions import OutcomeStatus, execute, plan
from suiteops.actions.base import CallOp

from .conftest import ADMIN, OPS, Lab
from .tables import diff, snapshot

OPEN_LINES = """
SELECT tl.id FROM transactionline tl
WHERE tl.transaction = ? AND tl.mainline = 'F' AND tl.kitmemberof IS NULL
  AND tl.item IS NOT NULL AND tl.isclosed = 'F'
  AND abs(tl.quantity) > coalesce(tl.quantityshiprecv, 0)
ORDER BY tl.id
"""


def order_with_open_lines(lab: Lab, statuses: str = "'D', 'E'") -> int:
    return lab.one(
        f"SELECT id FROM transaction WHERE type = 'SalesOrd' AND status IN ({statuses}) ORDER BY id"
    )


def test_plan_lists_exactly_the_open_lines(lab: Lab) -> None:
    so_id = order_with_open_lines(lab)
    expected = [r[0] for r in lab.emu.sql(OPEN_LINES, [so_id])]
    p = plan("close_lines", str(so_id), lab.ctx)
    assert p.refusal is None
    assert [c.line for c in p.changes] == expected
    assert {(c.field, c.before, c.after) for c in p.changes} == {("isclosed", "F", "T")}
    (call,) = p.calls
    assert call.op is CallOp.PATCH and call.path == f"/record/v1/salesOrder/{so_id}"
    assert call.body == {"item": {"items": [{"line": n, "isClosed": True} for n in expected]}}


def test_execute_changes_exactly_the_plan(lab: Lab) -> None:
    so_id = order_with_open_lines(lab)
    p = plan("close_lines", str(so_id), lab.ctx)
    before = snapshot(lab.emu)
    outcome = execute(p, lab.ctx, OPS)
    assert outcome.status is OutcomeStatus.DONE, outcome.message
    assert outcome.verified and outcome.record_ids == (str(so_id),)
    changes = diff(before, snapshot(lab.emu))
    assert set(changes) <= {"transaction", "transactionline"}
    lines = changes["transactionline"]
    assert not lines.added and not lines.removed
    assert set(lines.changed) == {(so_id, c.line) for c in p.changes}
    for cells in lines.changed.values():
        assert set(cells) <= {"isclosed", "linelastmodifieddate"}
        assert cells["isclosed"] == ("F", "T")
    header = changes["transaction"]
    assert set(header.changed) == {(so_id,)} and not header.added
    assert set(header.changed[(so_id,)]) <= {"status", "lastmodifieddate"}


def test_second_execution_is_a_noop_that_says_so(lab: Lab) -> None:
    so_id = order_with_open_lines(lab)
    p = plan("close_lines", str(so_id), lab.ctx)
    assert execute(p, lab.ctx, OPS).status is OutcomeStatus.DONE
    before = snapshot(lab.emu)
    again = execute(p, lab.ctx, OPS)
    assert again.status is OutcomeStatus.NOOP
    assert "already executed by ops@example.com" in again.message
    replanned = plan("close_lines", str(so_id), lab.ctx)
    assert not replanned.has_work and "no open line" in replanned.notes[0]
    assert execute(replanned, lab.ctx, OPS).status is OutcomeStatus.NOOP
    assert diff(before, snapshot(lab.emu)) == {}
    results = list(lab.services.cache.audit.entries(target=str(so_id))["result"])
    assert results == ["noop", "noop", "done"]


def test_unshipped_order_closes_to_status_closed(lab: Lab) -> None:
    so_id, cancelled = (r[0] for r in lab.emu.sql(
        "SELECT id FROM transaction WHERE type = 'SalesOrd' AND status = 'B' ORDER BY id LIMIT 2"
    ))  # fmt: skip
    lab.emu.sql("UPDATE transaction SET status = 'C' WHERE id = ?", [cancelled])
    refused = plan("close_lines", str(cancelled), lab.ctx)
    assert refused.refusal is not None and refused.refusal.endswith("is cancelled")
    assert execute(plan("close_lines", str(so_id), lab.ctx), lab.ctx, OPS).verified
    assert lab.one(f"SELECT status FROM transaction WHERE id = {so_id}") == "H"


def test_lines_with_a_fulfillment_in_progress_are_left_open(lab: Lab) -> None:
    so_id, if_id, line = lab.emu.sql(
        "SELECT l.previousdoc, l.nextdoc, l.previousline FROM nexttransactionlinelink l "
        "JOIN transaction so ON so.id = l.previousdoc "
        "WHERE l.linktype = 'ShipRcpt' AND so.status IN ('D', 'E') ORDER BY 1, 3"
    )[0]
    open_lines = [r[0] for r in lab.emu.sql(OPEN_LINES, [so_id])]
    lab.emu.sql(
        "UPDATE transactionline SET quantityshiprecv = 0 WHERE transaction = ? AND id = ?",
        [so_id, line],
    )
    lab.emu.sql("UPDATE transaction SET status = 'B' WHERE id = ?", [if_id])
    p = plan("close_lines", str(so_id), lab.ctx)
    assert line not in [c.line for c in p.changes]
    assert any(f"line {line}" in n and "packed" in n for n in p.notes)
    assert [c.line for c in p.changes] == [n for n in open_lines if n != line]
    if p.has_work:
        assert execute(p, lab.ctx, OPS).status is OutcomeStatus.DONE
        assert (
            lab.one(
                f"SELECT isclosed FROM transactionline WHERE transaction = {so_id} AND id = {line}"
            )
            == "F"
        )


def test_every_open_line_in_progress_is_refused(lab: Lab) -> None:
    so_id, if_id = lab.emu.sql(
        "SELECT l.previousdoc, l.nextdoc FROM nexttransactionlinelink l "
        "JOIN transaction so ON so.id = l.previousdoc "
        "WHERE l.linktype = 'ShipRcpt' AND so.status IN ('D', 'E') ORDER BY 1"
    )[0]
    linked = [r[0] for r in lab.emu.sql(
        "SELECT previousline FROM nexttransactionlinelink WHERE nextdoc = ? ORDER BY 1", [if_id]
    )]  # fmt: skip
    lab.emu.sql(
        f"UPDATE transactionline SET isclosed = 'T' WHERE transaction = {so_id} AND mainline = 'F'"
        f" AND id NOT IN ({', '.join(map(str, linked))})"
    )
    lab.emu.sql(
        f"UPDATE transactionline SET quantityshiprecv = 0 WHERE transaction = {so_id}"
        f" AND id IN ({', '.join(map(str, linked))})"
    )
    lab.emu.sql("UPDATE transaction SET status = 'A' WHERE id = ?", [if_id])
    p = plan("close_lines", str(so_id), lab.ctx)
    assert p.refusal is not None and "fulfillment in progress" in p.refusal
    assert "picked" in p.refusal
    before = snapshot(lab.emu)
    outcome = execute(p, lab.ctx, ADMIN)
    assert outcome.status is OutcomeStatus.REFUSED and "fulfillment in progress" in outcome.message
    assert diff(before, snapshot(lab.emu)) == {}


def test_changed_state_between_plan_and_execute_is_refused(lab: Lab) -> None:
    so_id = order_with_open_lines(lab)
    p = plan("close_lines", str(so_id), lab.ctx)
    first = p.changes[0].line
    lab.emu.sql(
        "UPDATE transactionline SET quantityshiprecv = quantityshiprecv + 0.5 "
        "WHERE transaction = ? AND id = ?",
        [so_id, first],
    )
    outcome = execute(p, lab.ctx, OPS)
    assert outcome.status is OutcomeStatus.REFUSED
    assert "changed since this plan was made" in outcome.message
    assert (
        lab.one(
            f"SELECT isclosed FROM transactionline WHERE transaction = {so_id} AND id = {first}"
        )
        == "F"
    )
