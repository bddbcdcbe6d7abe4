"""Recovery actions: planned from live NetSuite state, confirmed, executed once, verified, audited.

plan(action, target, ctx) -> Plan          the exact calls and before/after, or a refusal
execute(plan, ctx, actor) -> Outcome       lock, idempotency, calls, verify, audit, refresh
ACTIONS / get_action(name)                 the declared actions
bulk.plan_all / bulk.run_all               many targets, typed confirmation, per-row results
roles.resolve_access(settings, email, ...) who may act, or why nobody may
"""

from suiteops.actions.base import Action, ActionContext, Outcome, OutcomeStatus, Plan
from suiteops.actions.engine import execute, plan
from suiteops.actions.registry import ACTIONS, get_action

__all__ = [
    "ACTIONS",
    "Action",
    "ActionContext",
    "Outcome",
    "OutcomeStatus",
    "Plan",
    "execute",
    "get_action",
    "plan",
]
