"""Export pending exceptions: every exception of every type in one CSV, with what to do.

Built from the cache snapshots (the same rows the dashboard shows, through the exceptions inbox
of `suiteops.views.exceptions`), not from live NetSuite: it is a report, and each row carries the
snapshot time it came from. Each row gets its reason and a suggested action; rows an action can
fix name it so the CSV can be fed back into a bulk run.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import pandas as pd

from suiteops.actions.base import (
    Action,
    ActionContext,
    Artifact,
    Plan,
    TargetKind,
    Verification,
    make_plan,
)
from suiteops.views.exceptions import inbox
from suiteops.views.registry import VIEWS

NAME = "export_exceptions"

SUGGESTIONS: Mapping[str, str] = MappingProxyType(
    {
        "pending_fulfillment": (
            "Fulfil the open lines, or run 'Close remaining order lines' if they will not ship."
        ),
        "partially_fulfilled": (
            "Ship the remaining lines, or run 'Close remaining order lines' to close what will "
            "not ship."
        ),
        "fulfillment_tracking": (
            "Run 'Re-read tracking'; if still missing, add the tracking number on the "
            "fulfillment in NetSuite, then 'Rebuild fulfillment payload'."
        ),
        "billing_failures": (
            "Run 'Reconcile cash sale / invoice', or 'Retry order sync' to let the connector "
            "bill it."
        ),
        "lot_inventory_gaps": (
            "Receive or transfer lot inventory to the line's location, or change the line's "
            "location."
        ),
        "lot_assignment_missing": "Assign lot numbers to the fulfillment's lines in NetSuite.",
    }
)

COLUMNS = (
    "type",
    "reason",
    "suggested_action",
    "action",
    "target",
    "so_number",
    "order_name",
    "customer",
    "location",
    "lines",
    "age_days",
    "amount",
    "query",
    "snapshot_as_of",
)


def exceptions_frame(cache: Any) -> tuple[pd.DataFrame, dict[str, str]]:
    """Every exception row from the cached snapshots, and each snapshot's run id per query."""
    frames: dict[str, pd.DataFrame] = {}
    as_of: dict[str, str] = {}
    runs: dict[str, str] = {}
    for name in VIEWS:
        snap = cache.read(name)
        if snap is None:
            continue
        frames[name] = snap.frame()
        finished = snap.meta.finished
        as_of[name] = finished.isoformat(timespec="seconds") if finished else ""
        runs[name] = str(snap.meta.run_id)
    box = inbox(frames)
    out = box.assign(
        suggested_action=[SUGGESTIONS.get(q, "Review in NetSuite.") for q in box["query"]],
        snapshot_as_of=[as_of.get(q, "") for q in box["query"]],
    )
    return out[list(COLUMNS)], runs


def plan(target: str, ctx: ActionContext) -> Plan:
    """Build the CSV of every cached exception (`target` is ignored: use "all")."""
    frame, runs = exceptions_frame(ctx.cache)
    data = frame.to_csv(index=False).encode()
    stamp = ctx.clock().strftime("%Y%m%d-%H%M")
    artifact = Artifact(f"exceptions-{stamp}.csv", "text/csv", data)
    notes = [f"{len(frame)} exception row(s) from {len(runs)} cached queries."]
    missing = [name for name in VIEWS if name not in runs]
    if missing:
        notes.append("Not cached yet (refresh first): " + ", ".join(missing) + ".")
    state = {"snapshots": runs, "rows": len(frame)}
    return make_plan(
        NAME, target or "all", state, notes=notes, artifact=artifact, facts={"rows": len(frame)}
    )


def perform(plan_: Plan, ctx: ActionContext) -> tuple[str, ...]:
    """Nothing to send: the CSV is the artifact."""
    return ()


def verify(plan_: Plan, ctx: ActionContext, record_ids: tuple[str, ...]) -> Verification:
    """The CSV parses back with every column and the planned number of rows."""
    assert plan_.artifact is not None
    back = pd.read_csv(io.BytesIO(plan_.artifact.data))
    if tuple(back.columns) != COLUMNS or len(back) != plan_.facts["rows"]:
        return Verification(False, "the CSV does not read back as written")
    return Verification(True, f"CSV with {len(back)} row(s) built.")


ACTION = Action(
    name=NAME,
    label="Export pending exceptions",
    role="ops",
    target_kind=TargetKind.NONE,
    confirmation="Record this export in the audit log?",
    bulk_confirmation="Export the pending exceptions?",
    description="Every exception of every type in one CSV, with reason and suggested action.",
    planner=plan,
    performer=perform,
    verifier=verify,
    writes_netsuite=False,
)
