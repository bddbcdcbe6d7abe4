"""Re-read tracking: one fulfillment's packages and tracking numbers, live, into the cache.

The plan runs the cached `fulfillment_tracking` query live for this one fulfillment (the
catalog's own SQL wrapped as `SELECT * FROM (...) WHERE if_id = n`, with the parameters the
cached snapshot was refreshed with) and compares it with the cached rows: tracking numbers
added or gone, status, carrier. Executing republishes the snapshot with this fulfillment's
rows replaced, through the cache's atomic writer, so the tracking page, the exceptions inbox
and the order timeline show the new state at once. Nothing is written to NetSuite.

The republished snapshot is a new run of the query (its provenance says so); the other
fulfillments' rows are carried over unchanged from the previous snapshot. The refresh lock is
held while republishing, so a refresh never interleaves; if one is running, the action fails
cleanly and can be re-planned when it ends.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from suiteops.actions import live
from suiteops.actions.base import (
    Action,
    ActionContext,
    FieldChange,
    Plan,
    TargetKind,
    Verification,
    fingerprint,
    make_plan,
)
from suiteops.errors import ActionError, ActionRefused
from suiteops.refresh import single_flight
from suiteops.sql import keyset_query
from suiteops.views.columns import Role, column

NAME = "reread_tracking"
QUERY = "fulfillment_tracking"
PAGE_ROWS = 5000


def _spec(ctx: ActionContext) -> Any:
    if ctx.catalog is None or QUERY not in ctx.catalog:
        raise ActionRefused(f"the {QUERY} query is not in the catalog")
    return ctx.catalog[QUERY]


def _columns(spec: Any) -> tuple[str, str, str | None]:
    """(key column, fulfillment id column, tracking number column) of the query."""
    empty = pd.DataFrame(columns=[c.name for c in spec.columns])
    if_col = column(empty, Role.FULFILLMENT_ID)
    if not spec.key or not if_col:
        raise ActionRefused(f"{QUERY} declares no key or fulfillment id column")
    return spec.key, if_col, column(empty, Role.TRACKING)


def cached_rows(snap: Any, if_col: str, if_id: int) -> list[dict[str, Any]]:
    """The snapshot's rows of fulfillment `if_id`, with Python values (Decimal, date...)."""
    cursor = snap.connection.cursor()
    try:
        cursor.execute(f'SELECT * FROM rows WHERE "{if_col}" = ?', [if_id])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        cursor.close()


def live_rows(ctx: ActionContext, spec: Any, snap: Any, if_col: str, if_id: int) -> list[dict]:
    """The query's rows for fulfillment `if_id`, read live with the snapshot's parameters."""
    sql = keyset_query(spec.sql(ctx.fields), if_col, after=if_id - 1, upto=if_id)
    params = spec.bind(json.loads(snap.meta.params or "{}"), ctx.clock().date())
    result = ctx.client.fetch(
        sql, params, columns=spec.columns, param_types=spec.param_types, name=f"action:{NAME}"
    )
    return [dict(r) for r in result.rows]


def diff(
    before: Sequence[dict[str, Any]], after: Sequence[dict[str, Any]], key: str, label: str
) -> list[FieldChange]:
    """Row-by-key differences between cached and live rows, as field changes."""
    old = {r[key]: r for r in before}
    new = {r[key]: r for r in after}
    changes = []
    for k in sorted(old.keys() | new.keys()):
        a, b = old.get(k), new.get(k)
        if a is None or b is None:
            changes.append(
                FieldChange(
                    f"{label} row {k}", "row", None, "cached" if a else None, "live" if b else None
                )
            )
            continue
        changes += [
            FieldChange(f"{label} row {k}", f, None, a.get(f), b[f])
            for f in b
            if _text(a.get(f)) != _text(b[f])
        ]
    return changes


def plan(target: str, ctx: ActionContext) -> Plan:
    """Compare one fulfillment's cached tracking rows with live NetSuite."""
    if_id = live.parse_id(target, "item fulfillment")
    head = live.header(ctx.client, if_id, "ItemShip", "item fulfillment")
    spec = _spec(ctx)
    key, if_col, tracking_col = _columns(spec)
    snap = ctx.cache.read(QUERY)
    if snap is None:
        raise ActionRefused(f"{QUERY} is not cached yet: refresh it first")
    if snap.meta.checksum != spec.checksum:
        raise ActionRefused(
            f"the cached {QUERY} comes from version {snap.meta.version} of the query, the "
            f"catalog has version {spec.version}: refresh it first"
        )
    before = cached_rows(snap, if_col, if_id)
    after = live_rows(ctx, spec, snap, if_col, if_id)
    changes = diff(before, after, key, head["tranid"])
    state = {"snapshot": snap.meta.run_id, "cached": before, "live": after}
    notes = [_numbers_note(head["tranid"], before, after, tracking_col)]
    if not after:
        notes.append(f"{head['tranid']} is outside the cached query's range ({snap.meta.params}).")
    if not changes:
        notes.insert(0, f"The cache already matches NetSuite for {head['tranid']}.")
    facts = {"if_id": if_id, "rows": after, "snapshot": snap.meta.run_id}
    return make_plan(NAME, target, state, changes=changes, notes=notes, facts=facts)


def _numbers_note(tranid: str, before: list[dict], after: list[dict], col: str | None) -> str:
    if col is None:
        return f"{tranid}: {len(before)} cached row(s), {len(after)} live row(s)."
    old = sorted({r[col] for r in before if r.get(col)})
    new = sorted({r[col] for r in after if r.get(col)})
    return (
        f"{tranid} tracking numbers — cached: {', '.join(old) or 'none'}; "
        f"NetSuite now: {', '.join(new) or 'none'}."
    )


def perform(plan_: Plan, ctx: ActionContext) -> tuple[str, ...]:
    """Republish the snapshot with this fulfillment's rows replaced by the live ones."""
    spec = _spec(ctx)
    _, if_col, _ = _columns(spec)
    # The refresh lock: no refresh may publish between the check below and our publish.
    with single_flight(Path(ctx.data_dir), [QUERY]):
        snap = ctx.cache.read(QUERY)
        if snap is None or snap.meta.run_id != plan_.facts["snapshot"]:
            raise ActionError(f"{QUERY} was refreshed meanwhile; re-plan")
        if_id = int(plan_.facts["if_id"])
        params = json.loads(snap.meta.params or "{}")
        with ctx.cache.writer(spec, params=params, account=snap.meta.account) as writer:
            for page in _other_rows(snap, if_col, if_id):
                writer.append(page)
            writer.append(list(plan_.facts["rows"]))
            writer.commit()
    return (str(if_id),)


def _other_rows(snap: Any, if_col: str, if_id: int) -> Any:
    cursor = snap.connection.cursor()
    try:
        cursor.execute(f'SELECT * FROM rows WHERE "{if_col}" IS DISTINCT FROM ?', [if_id])
        names = [d[0] for d in cursor.description]
        while batch := cursor.fetchmany(PAGE_ROWS):
            yield [dict(zip(names, row, strict=True)) for row in batch]
    finally:
        cursor.close()


def verify(plan_: Plan, ctx: ActionContext, record_ids: tuple[str, ...]) -> Verification:
    """Re-read the cache: this fulfillment's rows are exactly the live rows planned."""
    spec = _spec(ctx)
    key, if_col, _ = _columns(spec)
    snap = ctx.cache.read(QUERY)
    if snap is None:
        return Verification(False, f"{QUERY} has no snapshot after the update")
    got = cached_rows(snap, if_col, int(plan_.facts["if_id"]))
    want = list(plan_.facts["rows"])
    if _rows_print(got, key) != _rows_print(want, key):
        return Verification(False, "the cached rows differ from the live rows written")
    return Verification(
        True,
        f"{len(got)} cached row(s) now match NetSuite; {len(plan_.changes)} change(s) applied.",
    )


def _rows_print(rows: Sequence[dict[str, Any]], key: str) -> str:
    ordered = sorted(rows, key=lambda r: str(r[key]))
    return fingerprint([{k: _text(v) for k, v in r.items()} for r in ordered])


def _text(value: Any) -> str | None:
    """A comparable text form (DuckDB gives Decimal('3.0000') where NetSuite says 3)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
        return value.isoformat()
    if isinstance(value, Decimal | float):
        return format(Decimal(str(value)).normalize(), "f")
    return str(value)


ACTION = Action(
    name=NAME,
    label="Re-read tracking",
    role="support",
    target_kind=TargetKind.FULFILLMENT,
    confirmation="Update the cached tracking rows of this fulfillment from NetSuite?",
    bulk_confirmation="Re-read tracking for every selected fulfillment?",
    description="Read one fulfillment's tracking numbers live and update the cached rows.",
    planner=plan,
    performer=perform,
    verifier=verify,
    writes_netsuite=False,
)
