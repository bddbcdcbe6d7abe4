"""Perform a plan's REST record API calls through the client, and shared verification helpers.

A PATCH goes synchronously: it sets fields to fixed values, so applying it twice changes nothing
more than applying it once, and the engine's re-read decides whether it held. A transform
creates a record, so it goes async with an idempotency key derived from the plan's key
(DOC:subsect_164494900632) and the client may retry it: a repeat of the key answers 400
IDEMPOTENCY_ERROR carrying the earlier job's Location, which is then polled instead of billing
twice. The job is polled to completion before the plan is verified.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from suiteops.actions.base import (
    ActionContext,
    CallOp,
    FieldChange,
    Plan,
    PlannedCall,
    Verification,
)
from suiteops.errors import ActionError, IdempotencyError
from suiteops.netsuite.records import JobResult, RecordRef


def call_key(plan: Plan, index: int) -> str:
    """The idempotency key of the plan's `index`-th call (a UUID derived from the plan's key)."""
    return str(uuid.uuid5(uuid.UUID(plan.idempotency_key), str(index)))


def perform_calls(plan: Plan, ctx: ActionContext) -> tuple[str, ...]:
    """Send every planned call in order; return the NetSuite ids changed or created."""
    ids: list[str] = []
    for index, call in enumerate(plan.calls):
        ids.extend(_DISPATCH[call.op](call, ctx, call_key(plan, index)))
    return tuple(dict.fromkeys(ids))


def _patch(call: PlannedCall, ctx: ActionContext, key: str) -> list[str]:
    records = ctx.client.records
    body = dict(call.body or {})
    result = records.patch(call.record_type, call.record_id, body, idempotency_key=None)
    _settle(records, result, ctx.job_timeout)
    return [str(call.record_id)]


def _transform(call: PlannedCall, ctx: ActionContext, key: str) -> list[str]:
    records = ctx.client.records
    assert call.to_type is not None
    body = dict(call.body) if call.body else None
    try:
        result = records.transform(
            call.record_type,
            call.record_id,
            call.to_type,
            body,
            idempotency_key=key,
            async_=call.async_,
        )
    except IdempotencyError as exc:
        if not exc.location:
            raise
        result = records.poll_job(exc.location, ctx.job_timeout)
    record_id = _settle(records, result, ctx.job_timeout)
    if record_id is None:
        raise ActionError(f"NetSuite did not say which record the transform created ({result!r})")
    return [record_id]


def _settle(records: Any, result: Any, timeout: float) -> str | None:
    """Wait for an async job to finish; the id of the record written (None if not told)."""
    if isinstance(result, JobResult) and not result.completed:
        result = records.poll_job(result.location, timeout)
    if isinstance(result, JobResult):
        if not result.completed:
            raise ActionError(
                f"NetSuite job {result.location} still {result.progress} after {timeout:.0f} s; "
                "re-plan later: the plan will see whatever it did"
            )
        if not result.succeeded:
            raise ActionError(f"NetSuite job failed: {result.error}")
        return result.record_id
    return str(result.id) if isinstance(result, RecordRef) else None


_DISPATCH: Mapping[CallOp, Callable[[PlannedCall, ActionContext, str], list[str]]] = (
    MappingProxyType(
        {
            CallOp.PATCH: _patch,
            CallOp.TRANSFORM: _transform,
        }
    )
)


def verify_fields(
    changes: tuple[FieldChange, ...],
    seen: Mapping[tuple[str, int | None], object],
    record_ids: tuple[str, ...] = (),
) -> Verification:
    """Compare each change's `after` with the value re-read for (field, line)."""
    wrong = [
        f"{c.field}{'' if c.line is None else f' (line {c.line})'}: expected {c.after!r}, "
        f"found {seen.get((c.field, c.line))!r}"
        for c in changes
        if seen.get((c.field, c.line)) != c.after
    ]
    if wrong:
        return Verification(False, "; ".join(wrong), record_ids)
    text = f"{len(changes)} field change(s) re-read from NetSuite and hold."
    return Verification(True, text, record_ids)
