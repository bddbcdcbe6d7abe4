"""The engine's edges: unreadable live state, bugs midway, plan records and keys."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


def test_no_secret_reaches_the_audit_log_or_the_data_folder(make_lab: Any) -> None:
    lab = make_lab(env={"SUITEOPS_NETSUITE_MAX_ATTEMPTS": "1"})
    so_id = pending(lab)
    p = plan("close_lines", str(so_id), lab.ctx)
    lab.emu.set_faults(FaultRates(rate_500=1.0))
    failed = execute(p, lab.ctx, OPS)
    lab.emu.set_faults(FaultRates())
    done = execute(p, lab.ctx, OPS)
    assert (failed.status, done.status) == (OutcomeStatus.FAILED, OutcomeStatus.DONE)
    cfg = lab.emu.config
    secrets = [cfg.consumer_key, cfg.consumer_secret, cfg.token_id, cfg.token_secret]
    texts = [failed.message, str(failed.error), done.message, p.to_json()]
    texts += [path.read_bytes().decode("latin-1") for path in
              lab.settings.data_dir.rglob("*") if path.is_file()]  # fmt: skip
    for secret in secrets:
        assert all(secret not in text for text in texts)


@given(st.dictionaries(st.text(max_size=8), st.one_of(
    st.integers(), st.text(max_size=12), st.none(), st.booleans(),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**6,
                max_value=10**6),
), max_size=8))  # fmt: skip
def test_fingerprint_ignores_key_order_and_keys_are_uuids(state: dict[str, Any]) -> None:
    reordered = dict(reversed(list(state.items())))
    assert fingerprint(state) == fingerprint(reordered)
    key = idempotency_key("close_lines", "7", fingerprint(state))
    assert str(uuid.UUID(key)) == key


def test_fingerprint_treats_equal_decimals_alike() -> None:
    assert fingerprint({"q": Decimal("3.0000")}) == fingerprint({"q": Decimal("3")})
    assert fingerprint({"q": Decimal("30")}) != fingerprint({"q": Decimal("3")})
    assert fingerprint({"q": Decimal("2.50")}) == fingerprint({"q": Decimal("2.5")})
