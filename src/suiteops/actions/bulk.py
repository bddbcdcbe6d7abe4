"""Bulk runs: one action over many targets, typed confirmation, a result row per target.

Each target is planned, then executed on its own (its own lock, idempotency key and audit
entry), so one failing row never stops or undoes the others and a re-run of the same selection
skips what is already done. A bulk run is confirmed by typing the number of targets or the
action's name, never by one click.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from suiteops.actions.base import Action, ActionContext, Outcome, OutcomeStatus, Plan
from suiteops.actions.engine import execute, plan
from suiteops.actions.registry import get_action
from suiteops.actions.roles import Actor
from suiteops.errors import ActionError, SuiteOpsError

RESULT_COLUMNS = ("target", "status", "verified", "record_ids", "message")


@dataclass(frozen=True)
class BulkConfirmation:
    """What the person must type to confirm a bulk run, and the prompt saying so."""

    expected: tuple[str, ...]
    prompt: str

    def accepts(self, typed: str) -> bool:
        """True when `typed` is one of the accepted answers (surrounding spaces ignored)."""
        return typed.strip() in self.expected


def clean_targets(targets: Sequence[object]) -> tuple[str, ...]:
    """Targets as stripped text, blanks dropped, duplicates removed (first order kept)."""
    return tuple(dict.fromkeys(t for t in (str(x).strip() for x in targets) if t))


def confirmation(action: Action, targets: Sequence[str]) -> BulkConfirmation:
    """The typed confirmation for running `action` over `targets`."""
    count = str(len(targets))
    return BulkConfirmation(
        (count, action.name),
        f"{action.bulk_confirmation} Type {count} (the number of targets) or "
        f"{action.name} to confirm.",
    )


def plan_all(action: Action, targets: Sequence[str], ctx: ActionContext) -> list[Plan]:
    """Plan `action` for each target (refusals included, one plan per target)."""
    return [plan(action, t, ctx) for t in clean_targets(targets)]


def run_all(
    plans: Sequence[Plan],
    ctx: ActionContext,
    actor: Actor,
    *,
    typed: str,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Execute every plan after checking the typed confirmation; one outcome per plan.

    The cached queries the action affects are refreshed once at the end (not per target);
    the summary is appended to the last outcome that changed something."""
    if not plans:
        return []
    action = get_action(plans[0].action)
    check = confirmation(action, [p.target for p in plans])
    if not check.accepts(typed):
        raise ActionError(f"bulk run not confirmed: {check.prompt} (got {typed.strip()!r})")
    quiet = replace(ctx, refresh=None) if len(plans) > 1 else ctx
    outcomes = []
    for item in plans:
        outcomes.append(execute(item, quiet, actor))
        if on_outcome is not None:
            on_outcome(outcomes[-1])
    return _refresh_once(outcomes, ctx, action) if quiet is not ctx else outcomes


def _refresh_once(outcomes: list[Outcome], ctx: ActionContext, action: Action) -> list[Outcome]:
    done = [i for i, o in enumerate(outcomes) if o.status is OutcomeStatus.DONE]
    if not done or not action.affects or ctx.refresh is None:
        return outcomes
    try:
        summary = ctx.refresh(action.affects)
    except SuiteOpsError as exc:
        summary = f"The cached views were not refreshed ({exc}); refresh them from the dashboard."
    last = outcomes[done[-1]]
    outcomes[done[-1]] = replace(last, message=f"{last.message} {summary}".strip())
    return outcomes


def results_frame(outcomes: Sequence[Outcome]) -> pd.DataFrame:
    """The per-target result table."""
    rows = [
        (o.target, o.status.value, o.verified, ", ".join(o.record_ids), o.message) for o in outcomes
    ]
    return pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
