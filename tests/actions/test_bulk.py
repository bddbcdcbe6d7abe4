"""Bulk runs: typed confirmation, one result row per target, safe re-runs."""

from __future__ import annotations

from dataclasses import replace

import pytest

from suiteops.actions import OutcomeStatus, get_action
from suiteops.actions.bulk import (
    RESULT_COLUMNS,
    clean_targets,
    confirmation,
    plan_all,
    results_frame,
    run_all,
)
from suiteops.actions.context import refresh_summary
from suiteops.errors import ActionError

from .conftest import OPS, Lab
from .tables import diff, snapshot


def test_confirmation_accepts_the_count_or_the_name() -> None:
    check = confirmation(get_action("close_lines"), ["1", "2", "3"])
    assert check.expected == ("3", "close_lines")
    assert check.accepts(" 3 ") and check.accepts("close_lines")
    assert not check.accepts("yes") and not check.accepts("2")
    assert "Type 3" in check.prompt


def test_targets_are_cleaned() -> None:
    assert clean_targets([" 7", "8", "", "7", 9]) == ("7", "8", "9")


def test_bulk_run_reports_each_target(lab: Lab) -> None:
    orders = [r[0] for r in lab.emu.sql(
        "SELECT id FROM transaction WHERE type = 'SalesOrd' AND status = 'B' ORDER BY id LIMIT 2"
    )]  # fmt: skip
    billed = lab.one("SELECT id FROM transaction WHERE type = 'SalesOrd' AND status = 'G'")
    targets = [str(orders[0]), str(billed), str(orders[1]), str(orders[0])]
    action = get_action("close_lines")
    plans = plan_all(action, targets, lab.ctx)
    assert [p.target for p in plans] == [str(orders[0]), str(billed), str(orders[1])]
    before = snapshot(lab.emu)
    with pytest.raises(ActionError, match="not confirmed"):
        run_all(plans, lab.ctx, OPS, typed="yes")
    assert diff(before, snapshot(lab.emu)) == {}
    seen: list[str] = []
    outcomes = run_all(plans, lab.ctx, OPS, typed="3", on_outcome=lambda o: seen.append(o.target))
    assert seen == [p.target for p in plans]
    frame = results_frame(outcomes)
    assert tuple(frame.columns) == RESULT_COLUMNS
    assert list(frame["status"]) == ["done", "noop", "done"]
    assert list(frame["record_ids"]) == [str(orders[0]), "", str(orders[1])]
    again = run_all(plan_all(action, targets, lab.ctx), lab.ctx, OPS, typed="close_lines")
    assert [o.status for o in again] == [OutcomeStatus.NOOP] * 3


def test_bulk_refreshes_the_affected_queries_once(lab: Lab) -> None:
    orders = [str(r[0]) for r in lab.emu.sql(
        "SELECT id FROM transaction WHERE type = 'SalesOrd' AND status = 'B' ORDER BY id LIMIT 3"
    )]  # fmt: skip
    ctx = replace(lab.ctx, refresh=lambda names: refresh_summary(lab.services, names))
    action = get_action("close_lines")
    outcomes = run_all(plan_all(action, orders, ctx), ctx, OPS, typed="3")
    assert [o.status for o in outcomes] == [OutcomeStatus.DONE] * 3
    runs = lab.services.cache.runs()
    assert sorted(r.query for r in runs) == sorted(action.affects)
    assert "Refreshed the cached" in outcomes[-1].message
    assert all("Refreshed" not in o.message for o in outcomes[:-1])
