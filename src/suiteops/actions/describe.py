"""Plans and outcomes as tables and text, the same for the page and the CLI."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from suiteops.actions.base import Outcome, Plan

CHANGE_COLUMNS = ("record", "field", "line", "before", "after")


def changes_frame(plan: Plan) -> pd.DataFrame:
    """The plan's before/after table: one row per field (and line) it changes."""
    rows = [(c.record, c.field, c.line, _show(c.before), _show(c.after)) for c in plan.changes]
    frame = pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))
    return frame.astype({"line": "Int64"})


def calls_text(plan: Plan) -> list[str]:
    """One line per REST call: `METHOD /path body`."""
    out = []
    for call in plan.calls:
        body = "" if call.body is None else " " + json.dumps(call.body, sort_keys=True)
        mode = " (async, idempotency key)" if call.async_ else ""
        out.append(f"{call.method} {call.path}{body}{mode}")
    return out


def plan_text(plan: Plan) -> str:
    """The whole plan as plain text for a terminal."""
    lines = [f"{plan.action} on {plan.target}"]
    if plan.refusal:
        lines.append(f"  REFUSED: {plan.refusal}")
    for text in calls_text(plan):
        lines.append(f"  call: {text}")
    for c in plan.changes:
        where = "" if c.line is None else f" line {c.line}"
        lines.append(
            f"  change: {c.record}{where} {c.field}: {_show(c.before)} -> {_show(c.after)}"
        )
    lines += [f"  note: {n}" for n in plan.notes]
    if plan.artifact:
        lines.append(f"  file: {plan.artifact.filename} ({len(plan.artifact.data)} bytes)")
    if not plan.refusal and not plan.has_work:
        lines.append("  nothing to do")
    lines.append(f"  idempotency key: {plan.idempotency_key}")
    return "\n".join(lines)


def outcome_text(outcome: Outcome) -> str:
    """One outcome as one line (plus its record ids)."""
    ids = f" [records: {', '.join(outcome.record_ids)}]" if outcome.record_ids else ""
    return (
        f"{outcome.status.value.upper()} {outcome.action} {outcome.target}: {outcome.message}{ids}"
    )


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "T" if value else "F"
    return str(value)
