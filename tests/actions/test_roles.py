"""Role gating: demo user, logins, the role map, and what execute does without the role."""

from __future__ import annotations

from dataclasses import replace

import pytest

from suiteops.actions import ACTIONS, OutcomeStatus, execute, plan
from suiteops.actions.roles import Actor, Role, require, resolve_access
from suiteops.config import ROLES, NetSuiteSettings, Settings, parse_roles
from suiteops.errors import PermissionDenied

from .conftest import Lab
from .tables import diff, snapshot

REAL = Settings(
    netsuite=NetSuiteSettings(account="1234567"),
    roles=parse_roles("ana@example.com=ops,fin@example.com=finance+support,boss@example.com=admin"),
)


def test_roles_enum_matches_configuration() -> None:
    assert {r.value for r in Role} == set(ROLES)
    assert {a.role for a in ACTIONS.values()} <= set(ROLES)


def test_demo_user_holds_every_role() -> None:
    access = resolve_access(Settings(), None, login_configured=False)
    assert access.actor == Actor("demo@suiteops.local", frozenset(ROLES), demo=True)
    assert all(access.actor.may_run(a) for a in ACTIONS.values())


def test_real_account_without_login_disables_actions_and_says_why() -> None:
    access = resolve_access(REAL, None, login_configured=False)
    assert access.actor is None and not access.enabled
    assert "no login is configured" in (access.reason or "")
    assert "1234567" in (access.reason or "")


@pytest.mark.parametrize(("email", "reason"), [
    (None, "Log in"),
    ("stranger@example.com", "holds no SuiteOps role"),
])  # fmt: skip
def test_logins_without_roles_are_refused(email: str | None, reason: str) -> None:
    access = resolve_access(REAL, email, login_configured=True)
    assert access.actor is None and reason in (access.reason or "")


@pytest.mark.parametrize(("email", "allowed"), [
    ("ana@example.com", {"close_lines", "retry_sync", "export_exceptions"}),
    ("FIN@example.com", {"bill_order", "reread_tracking", "fulfillment_payload"}),
    ("boss@example.com", set(ACTIONS)),
])  # fmt: skip
def test_role_map_decides_who_runs_what(email: str, allowed: set[str]) -> None:
    actor = resolve_access(REAL, email, login_configured=True).actor
    assert actor is not None
    assert {name for name, a in ACTIONS.items() if actor.may_run(a)} == allowed
    for name in set(ACTIONS) - allowed:
        with pytest.raises(PermissionDenied, match=f"needs the {ACTIONS[name].role} role"):
            require(actor, ACTIONS[name])


def test_execute_without_the_role_is_refused_audited_and_changes_nothing(lab: Lab) -> None:
    so_id = lab.one("SELECT id FROM transaction WHERE type = 'SalesOrd' AND status = 'B'")
    p = plan("close_lines", str(so_id), lab.ctx)
    assert p.has_work
    support = Actor("help@example.com", frozenset({"support"}))
    before = snapshot(lab.emu)
    outcome = execute(p, lab.ctx, support)
    assert outcome.status is OutcomeStatus.REFUSED and "needs the ops role" in outcome.message
    assert diff(before, snapshot(lab.emu)) == {}
    entries = lab.services.cache.audit.entries(actor="help@example.com")
    assert list(entries["result"]) == ["refused"]
    ok = execute(p, lab.ctx, replace(support, roles=frozenset({"ops"})))
    assert ok.status is OutcomeStatus.DONE
