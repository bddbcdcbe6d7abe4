"""The engine's edges: unreadable live state, bugs midway, plan records and keys."""

from __future__ import annotations

import json
from typing import Any

import pytest

from suiteops.actions import OutcomeStatus, execute, plan
from suiteops.actions.base import fingerprint, idempotency_key
from suiteops.emulator.faults import FaultRates

from .conftest import OPS, Lab
from .tables import diff, snapshot


def pending(lab: Lab) -> int:
    return lab.one("SELECT id FROM transaction WHERE type = 'SalesOrd' AND status = 'B'")


def test_keys_follow_action_target_and_state() -> None:
    state = {"lines": [{"line": 1, "isclosed": "F"}]}
    key = idempotency_key("close_lines", "7", fingerprint(state))
    assert key == idempotency_key("close_lines", "7", fingerprint(dict(state)))
    assert key != idempotency_key("close_lines", "8", fingerprint(state))
    assert key != idempotency_key("bill_order", "7", fingerprint(state))
    changed = {"lines": [{"line": 1, "isclosed": "T"}]}
    assert key != idempotency_key("close_lines", "7", fingerprint(changed))


def test_plan_json_names_calls_changes_and_key(lab: Lab) -> None:
    p = plan("close_lines", str(pending(lab)), lab.ctx)
    data = json.loads(p.to_json())
    assert data["idempotency_key"] == p.idempotency_key
    assert data["calls"][0]["method"] == "PATCH"
    assert [c["line"] for c in data["changes"]] == [c.line for c in p.changes]


def test_unreadable_live_state_fails_before_sending(make_lab: Any) -> None:
    lab = make_lab(env={"SUITEOPS_NETSUITE_MAX_ATTEMPTS": "1"})
    so_id = pending(lab)
    p = plan("close_lines", str(so_id), lab.ctx)
    before = snapshot(lab.emu)
    lab.emu.set_faults(FaultRates(rate_500=1.0))
    outcome = execute(p, lab.ctx, OPS)
    lab.emu.set_faults(FaultRates())
    assert outcome.status is OutcomeStatus.FAILED
    assert outcome.message.startswith("Failed before sending anything")
    assert diff(before, snapshot(lab.emu)) == {}
    assert execute(p, lab.ctx, OPS).status is OutcomeStatus.DONE


class Broken:
    """A record API with a programming error in it (a fault no real part produces)."""

    def patch(self, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("bug in the middle")


def test_an_unexpected_error_is_audited_then_raised(
    lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = plan("close_lines", str(pending(lab)), lab.ctx)
    monkeypatch.setattr(lab.ctx.client, "records", Broken())
    with pytest.raises(RuntimeError, match="bug in the middle"):
        execute(p, lab.ctx, OPS)
    (entry,) = lab.services.cache.audit.entries().itertuples()
    assert entry.result == "failed" and entry.error == "RuntimeError: bug in the middle"
