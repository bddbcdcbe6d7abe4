"""Re-read tracking: the cached fulfillment_tracking rows of one fulfillment, from live state."""

from __future__ import annotations

import dataclasses

from suiteops.actions import OutcomeStatus, execute, plan
from suiteops.refresh import refresh, single_flight

from .conftest import SUPPORT, Lab
from .tables import diff, snapshot

NO_TRACKING = """
SELECT f.id, f.tranid FROM transaction f
WHERE f.type = 'ItemShip' AND f.status = 'C'
  AND NOT EXISTS (SELECT 1 FROM trackingnumbermap m WHERE m.transaction = f.id)
  AND NOT EXISTS (SELECT 1 FROM itemfulfillmentpackage p WHERE p.itemfulfillment = f.id)
ORDER BY f.id
"""


def cached(lab: Lab) -> list[tuple[object, ...]]:
    snap = lab.services.cache.read("fulfillment_tracking")
    assert snap is not None
    frame = snap.frame()
    return sorted(zip(frame["tracking_key"], frame["if_id"], frame["tracking_number"],
                      strict=True), key=lambda r: str(r[0]))  # fmt: skip


def test_refused_until_the_query_is_cached(lab: Lab) -> None:
    if_id = lab.one(NO_TRACKING)
    p = plan("reread_tracking", str(if_id), lab.ctx)
    assert p.refusal == "fulfillment_tracking is not cached yet: refresh it first"


def test_new_tracking_number_reaches_the_cache_and_nothing_else_changes(lab: Lab) -> None:
    refresh(lab.services, ["fulfillment_tracking"])
    if_id, if_number = lab.emu.sql(NO_TRACKING)[0]
    p = plan("reread_tracking", str(if_id), lab.ctx)
    assert not p.has_work and p.notes[0] == f"The cache already matches NetSuite for {if_number}."
    lab.emu.sql("INSERT INTO trackingnumber VALUES (990001, '1ZNEW0001')")
    lab.emu.sql("INSERT INTO trackingnumbermap VALUES (?, 990001)", [if_id])
    before_cache, before_ns = cached(lab), snapshot(lab.emu)
    p = plan("reread_tracking", str(if_id), lab.ctx)
    assert {(c.record, c.before, c.after) for c in p.changes} == {
        (f"{if_number} row {if_id}-N", "cached", None),
        (f"{if_number} row {if_id}-M990001", None, "live"),
    }
    assert "NetSuite now: 1ZNEW0001" in p.notes[0]
    outcome = execute(p, lab.ctx, SUPPORT)
    assert outcome.status is OutcomeStatus.DONE and outcome.verified, outcome.message
    after_cache = cached(lab)
    others = [r for r in before_cache if r[1] != if_id]
    assert [r for r in after_cache if r[1] != if_id] == others
    assert [r for r in after_cache if r[1] == if_id] == [(f"{if_id}-M990001", if_id, "1ZNEW0001")]
    assert diff(before_ns, snapshot(lab.emu)) == {}
    assert not plan("reread_tracking", str(if_id), lab.ctx).has_work
    assert execute(p, lab.ctx, SUPPORT).status is OutcomeStatus.NOOP


def test_refresh_between_plan_and_execute_is_refused(lab: Lab) -> None:
    refresh(lab.services, ["fulfillment_tracking"])
    if_id = lab.one(NO_TRACKING)
    lab.emu.sql("INSERT INTO trackingnumber VALUES (990002, '1ZNEW0002')")
    lab.emu.sql("INSERT INTO trackingnumbermap VALUES (?, 990002)", [if_id])
    p = plan("reread_tracking", str(if_id), lab.ctx)
    refresh(lab.services, ["fulfillment_tracking"], full=True)
    outcome = execute(p, lab.ctx, SUPPORT)
    assert outcome.status is OutcomeStatus.REFUSED and "changed since" in outcome.message


def test_running_refresh_blocks_the_republish(lab: Lab) -> None:
    refresh(lab.services, ["fulfillment_tracking"])
    if_id = lab.one(NO_TRACKING)
    lab.emu.sql("INSERT INTO trackingnumber VALUES (990003, '1ZNEW0003')")
    lab.emu.sql("INSERT INTO trackingnumbermap VALUES (?, 990003)", [if_id])
    p = plan("reread_tracking", str(if_id), lab.ctx)
    before = cached(lab)
    with single_flight(lab.settings.data_dir, ["pending_fulfillment"]):
        outcome = execute(p, lab.ctx, SUPPORT)
    assert outcome.status is OutcomeStatus.FAILED
    assert "another refresh is already running" in (outcome.error or "")
    assert cached(lab) == before
    assert execute(p, lab.ctx, SUPPORT).status is OutcomeStatus.DONE


def test_snapshot_of_another_query_version_is_refused(lab: Lab) -> None:
    refresh(lab.services, ["fulfillment_tracking"])
    spec = lab.services.catalog["fulfillment_tracking"]
    old = dataclasses.replace(spec, version=spec.version - 1, checksum="0" * 64)
    with lab.services.cache.writer(old, params={}) as writer:
        writer.commit()
    p = plan("reread_tracking", str(lab.one(NO_TRACKING)), lab.ctx)
    assert p.refusal is not None and f"catalog has version {spec.version}" in p.refusal
