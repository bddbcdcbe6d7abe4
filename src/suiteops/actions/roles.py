"""Role gating: who may run which action, and whether actions are available at all.

Roles are ops, finance, support and admin (`config.ROLES`); admin may run everything. The role
map comes from configuration (`auth.roles`). In demo mode (the embedded emulator) a local demo
user holds every role. Against a real account, an actor needs a login (OIDC through `st.login`
on the dashboard, which only the ui layer touches) and a role from the map; without a login
configured, actions are disabled and `Access.reason` says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from suiteops.actions.base import Action
from suiteops.config import ROLES, Settings
from suiteops.errors import PermissionDenied


class Role(Enum):
    """The closed set of roles."""

    OPS = "ops"
    FINANCE = "finance"
    SUPPORT = "support"
    ADMIN = "admin"


@dataclass(frozen=True)
class Actor:
    """Someone acting: the e-mail recorded in the audit log and the roles they hold."""

    email: str
    roles: frozenset[str]
    demo: bool = False

    def may_run(self, action: Action) -> bool:
        """True when this actor holds the action's role (or admin)."""
        return action.role in self.roles or Role.ADMIN.value in self.roles


@dataclass(frozen=True)
class Access:
    """The outcome of gating: an actor allowed to act, or the reason nobody is."""

    actor: Actor | None
    reason: str | None = None

    @property
    def enabled(self) -> bool:
        """True when there is an actor (who may still lack a given action's role)."""
        return self.actor is not None


def resolve_access(settings: Settings, email: str | None, *, login_configured: bool) -> Access:
    """Decide who acts: the demo user in demo mode, else the logged-in e-mail and its roles."""
    if settings.demo:
        return Access(Actor(email or settings.demo_user, frozenset(ROLES), demo=True))
    if not login_configured and email is None:
        return Access(
            None,
            "Actions are disabled: SuiteOps is connected to NetSuite account "
            f"{settings.netsuite.account} and no login is configured, so no action could be "
            "attributed to a person. Configure [auth] (OIDC) in .streamlit/secrets.toml and map "
            "e-mails to roles with auth.roles.",
        )
    if not email:
        return Access(None, "Log in to run recovery actions.")
    roles = settings.roles.get(email.strip().lower(), frozenset())
    if not roles:
        return Access(
            None,
            f"{email} holds no SuiteOps role; an admin can add it to auth.roles "
            "(email=ops+finance).",
        )
    return Access(Actor(email.strip().lower(), frozenset(roles)))


def require(actor: Actor, action: Action) -> None:
    """Raise `PermissionDenied` unless `actor` may run `action`."""
    if not actor.may_run(action):
        held = ", ".join(sorted(actor.roles)) or "none"
        raise PermissionDenied(
            f"{actor.email} may not run {action.label!r}: it needs the {action.role} role "
            f"(held: {held})"
        )
