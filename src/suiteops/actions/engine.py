"""Plan and execute recovery actions: exactly once, verified, audited, then refresh the cache.

    execute(plan, ctx, actor)
      ├─ role check                         missing role → refused (audited)
      ├─ single-flight lock per target      (fcntl, see `locks`)
      │   ├─ audit has this key as "done"   → noop that says who did it and when
      │   ├─ plan was a refusal             → refused
      │   ├─ re-plan from live state        fingerprint differs → refused: "re-plan"
      │   ├─ nothing to change              → noop
      │   ├─ perform the calls
      │   ├─ verify by re-reading           the re-read decides: after-state holds → done
      │   │                                 (even if the reply was lost); missing → failed
      │   └─ audit the outcome with record ids and error (any other exception: audited, raised)
      └─ refresh the affected cached queries (outside the lock)

A failure midway leaves NetSuite consistent because every plan is one record write (a PATCH of
one sales order, or one transform sent async with an idempotency key), and a retry re-plans
from live state: whatever the failed attempt did get through is seen and not repeated.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from suiteops.actions.base import (
    Action,
    ActionContext,
    Outcome,
    OutcomeStatus,
    Plan,
    Verification,
    make_plan,
)
from suiteops.actions.locks import target_lock
from suiteops.actions.registry import get_action
from suiteops.actions.roles import Actor
from suiteops.cache import AuditEntry
from suiteops.errors import ActionRefused, SuiteOpsError


def plan(action: Action | str, target: str, ctx: ActionContext) -> Plan:
    """Plan `action` on `target` from live NetSuite state; refusals come back as plans."""
    spec = get_action(action) if isinstance(action, str) else action
    target = str(target).strip()
    try:
        return spec.planner(target, ctx)
    except ActionRefused as exc:
        return make_plan(spec.name, target, {"refusal": exc.reason}, refusal=exc.reason)


def execute(plan_: Plan, ctx: ActionContext, actor: Actor) -> Outcome:
    """Execute a confirmed plan once; every attempt is audited with `actor`."""
    action = get_action(plan_.action)
    if not actor.may_run(action):
        why = f"{actor.email} may not run {action.label!r}: it needs the {action.role} role"
        return _audit(ctx, actor, plan_, _outcome(action, plan_, OutcomeStatus.REFUSED, why))
    scope = action.target_kind.name.lower()
    with target_lock(ctx.data_dir, scope, plan_.target, timeout=ctx.lock_timeout):
        try:
            result = _execute_locked(action, plan_, ctx)
        except Exception as exc:  # a bug, not a NetSuite answer: audit the attempt, then raise
            error = f"{type(exc).__name__}: {exc}"
            failed = _outcome(action, plan_, OutcomeStatus.FAILED, error, error=error)
            _audit(ctx, actor, plan_, failed)
            raise
        outcome = _audit(ctx, actor, plan_, result)
    if outcome.status is OutcomeStatus.DONE and action.affects and ctx.refresh is not None:
        outcome = replace(outcome, message=f"{outcome.message} {_refresh(ctx, action)}")
    return outcome


def _outcome(
    action: Action, planned: Plan, status: OutcomeStatus, message: str, **extra: Any
) -> Outcome:
    return Outcome(status, action.name, planned.target, message, plan=planned, **extra)


def _execute_locked(action: Action, planned: Plan, ctx: ActionContext) -> Outcome:
    """Under the lock: the idempotency check, the re-plan, then perform and verify."""
    early = _already_done(action, planned, ctx)
    if early is not None:
        return early
    fresh = _replan(action, planned, ctx)
    if isinstance(fresh, Outcome):
        return fresh
    return _perform(action, fresh, ctx)


def _already_done(action: Action, planned: Plan, ctx: ActionContext) -> Outcome | None:
    done = ctx.cache.audit.find_by_key(planned.idempotency_key, result="done")
    if done is None:
        return None
    when = done.at.strftime("%Y-%m-%d %H:%M:%S UTC")
    message = (
        f"No-op: this exact plan was already executed by {done.actor} at {when}; "
        "nothing was sent again."
    )
    return _outcome(
        action,
        planned,
        OutcomeStatus.NOOP,
        message,
        record_ids=done.record_ids,
        verified=True,
        artifact=planned.artifact,
    )


def _replan(action: Action, planned: Plan, ctx: ActionContext) -> Plan | Outcome:
    """The plan re-made from live state, or the outcome that stops here (refused / no-op)."""
    stop = partial(_outcome, action, planned)
    if planned.refusal is not None:
        return stop(OutcomeStatus.REFUSED, f"Refused: {planned.refusal}")
    try:
        fresh = plan(action, planned.target, ctx)
    except SuiteOpsError as exc:
        return stop(
            OutcomeStatus.FAILED,
            f"Failed before sending anything: could not re-read live state ({exc}). Safe to retry.",
            error=str(exc),
        )
    if fresh.refusal is not None:
        return stop(OutcomeStatus.REFUSED, f"Refused: {fresh.refusal}")
    if fresh.state_fingerprint != planned.state_fingerprint:
        return stop(
            OutcomeStatus.REFUSED,
            "Refused: the live NetSuite state changed since this "
            "plan was made; nothing was sent. Re-plan, review and confirm again.",
        )
    if not fresh.has_work:
        note = fresh.notes[0] if fresh.notes else "live state already matches; nothing to change."
        return stop(OutcomeStatus.NOOP, f"No-op: {note}", artifact=fresh.artifact)
    return fresh


def _perform(action: Action, planned: Plan, ctx: ActionContext) -> Outcome:
    """Perform, then let a live re-read decide: a write whose reply was lost or garbled but
    whose after-state holds is done; one whose after-state is missing failed."""
    try:
        record_ids, error = action.performer(planned, ctx), None
    except SuiteOpsError as exc:
        record_ids, error = (), str(exc)
    try:
        check = action.verifier(planned, ctx, record_ids)
    except SuiteOpsError as exc:
        check = Verification(False, f"re-reading to verify failed: {exc}")
    ids = check.record_ids or record_ids
    if check.ok:
        said = f" (NetSuite's reply was an error: {error})" if error else ""
        message = f"Done and verified: {check.message}{said}"
        return _outcome(
            action,
            planned,
            OutcomeStatus.DONE,
            message,
            record_ids=ids,
            verified=True,
            artifact=planned.artifact,
        )
    message = f"Performed but NOT verified: {check.message}"
    if error is not None:
        message = (
            f"Failed: {error}. Re-reading shows the change did not happen "
            f"({check.message}). Safe to retry: re-plan from live state."
        )
    return _outcome(
        action, planned, OutcomeStatus.FAILED, message, record_ids=ids, error=error or check.message
    )


def _audit(ctx: ActionContext, actor: Actor, planned: Plan, outcome: Outcome) -> Outcome:
    ctx.cache.audit.append(
        AuditEntry(
            actor=actor.email,
            at=ctx.clock(),
            action=outcome.action,
            target=outcome.target,
            plan=(outcome.plan or planned).to_json(),
            result=outcome.status.value,
            record_ids=tuple(str(r) for r in outcome.record_ids),
            error=outcome.error,
            idempotency_key=planned.idempotency_key,
        )
    )
    return outcome


def _refresh(ctx: ActionContext, action: Action) -> str:
    assert ctx.refresh is not None
    try:
        return ctx.refresh(action.affects)
    except SuiteOpsError as exc:
        return f"The cached views were not refreshed ({exc}); refresh them from the dashboard."
