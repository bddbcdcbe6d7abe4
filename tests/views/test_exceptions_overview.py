"""Exceptions inbox, overview tiles and their day-over-day trend."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from suiteops.views.exceptions import (
    COLUMNS,
    action_link,
    bulk_action_link,
    counts,
    inbox,
    summary,
)
from suiteops.views.overview import day_trend, run_totals, tile, tiles
from suiteops.views.registry import STUCK_DAYS, VIEWS


@pytest.fixture
def tracking() -> pd.DataFrame:
    """Three fulfillments, one of them shipped without tracking."""
    return pd.DataFrame(
        {
            "if_id": [501, 502, 503],
            "if_number": ["IF501", "IF502", "IF503"],
            "so_id": [10, 11, 12],
            "so_number": ["SO10", "SO11", "SO12"],
            "tracking_numbers": ["1Z1", None, " "],
            "ship_date": pd.to_datetime(["2026-12-01", "2026-12-02", "2026-12-03"]),
        }
    )


def test_inbox_lists_stuck_orders_once_per_order(backlog: pd.DataFrame) -> None:
    box = inbox({"pending_fulfillment": backlog})
    assert list(box.columns) == list(COLUMNS)
    stuck = backlog[backlog["age_days"] >= STUCK_DAYS]
    assert sorted(box["target"]) == sorted(stuck["so_id"].unique())
    first = box.iloc[0]
    assert first["so_number"] == "SO10" and first["age_days"] == 33
    assert first["amount"] == 35.5 and first["lines"] == 2 and first["location"] == "East"
    assert first["act"] == "/actions?action=close_lines&target=10#SO10"
    assert first["page"] == "/pending_fulfillment#Pending fulfillment"


def test_inbox_tracking_exceptions_target_fulfillments(tracking: pd.DataFrame) -> None:
    box = inbox({"fulfillment_tracking": tracking})
    assert box["target"].tolist() == [502, 503]
    assert set(box["action"]) == {"reread_tracking"}
    assert box["act"][0].startswith("/actions?action=reread_tracking&target=502")


def test_inbox_merges_types_and_sorts_oldest_first(
    backlog: pd.DataFrame, tracking: pd.DataFrame
) -> None:
    box = inbox(
        {
            "pending_fulfillment": backlog,
            "partially_fulfilled": backlog,
            "fulfillment_tracking": tracking,
            "unknown_query": backlog,
        }
    )
    assert set(box["query"]) == {
        "pending_fulfillment",
        "partially_fulfilled",
        "fulfillment_tracking",
    }
    ages = box["age_days"].dropna().tolist()
    assert ages == sorted(ages, reverse=True)
    per_type = counts(box).set_index("type")["entries"].to_dict()
    assert per_type == {
        "Partially fulfilled": 4,
        "Shipped without tracking": 2,
        "Stuck in pending fulfillment": 3,
    }
    assert [(m.label, m.value) for m in summary(box)] == [
        ("Exceptions", 9),
        ("Partially fulfilled", 4),
        ("Shipped without tracking", 2),
        ("Stuck in pending fulfillment", 3),
    ]


def test_empty_inbox_has_the_columns() -> None:
    box = inbox({"pending_fulfillment": pd.DataFrame({"so_id": [], "age_days": []})})
    assert box.empty and list(box.columns) == list(COLUMNS)


def test_action_link_escapes_the_target() -> None:
    assert (
        action_link("bill_order", "a&b=c")
        == "/actions?action=bill_order&target=a%26b%3Dc#bill_order"
    )


def _history(rows: list[tuple[str, str, str | None, int, float | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["run_id", "at", "group", "rows", "amount"])
    frame["at"] = pd.to_datetime(frame["at"], utc=True)
    frame["query"] = "pending_fulfillment"
    return frame


@pytest.fixture
def history() -> pd.DataFrame:
    """Three runs: two on Dec 3 (the later one counts), one on Dec 4 split by location."""
    return _history(
        [
            ("r1", "2026-12-03T08:00:00Z", None, 50, 500.0),
            ("r2", "2026-12-03T20:00:00Z", None, 40, 400.0),
            ("r3", "2026-12-04T09:00:00Z", "East", 30, 250.5),
            ("r3", "2026-12-04T09:00:00Z", "West", 15, 100.0),
        ]
    )


def test_run_totals_sum_groups(history: pd.DataFrame) -> None:
    got = [(t.rows, t.amount) for t in run_totals(history)]
    assert got == [(50, 500.0), (40, 400.0), (45, 350.5)]


def test_day_trend_compares_with_the_last_run_of_an_earlier_day(history: pd.DataFrame) -> None:
    latest, previous = day_trend(history)
    assert latest is not None and previous is not None
    assert (latest.rows, previous.rows) == (45, 40)
    assert latest.at.date() == dt.date(2026, 12, 4)


def test_tile_shows_count_amount_and_trend(history: pd.DataFrame) -> None:
    got = tile("pending_fulfillment", history, exceptions=7)
    assert (got.rows, got.amount, got.delta_rows, got.delta_amount) == (45, 350.5, 5, -49.5)
    assert got.exceptions == 7 and got.page == "app_pages/pending_fulfillment.py"


def test_tile_without_an_earlier_day_has_no_trend(history: pd.DataFrame) -> None:
    same_day = history[history["run_id"] == "r3"]
    got = tile("pending_fulfillment", same_day, exceptions=0)
    assert got.rows == 45 and got.delta_rows is None and got.delta_amount is None


def test_tile_without_amounts_has_no_amount_trend() -> None:
    history = _history(
        [("a", "2026-12-03T08:00:00Z", None, 5, None), ("b", "2026-12-04T08:00:00Z", None, 8, None)]
    )
    got = tile("pending_fulfillment", history, exceptions=0)
    assert (got.rows, got.amount, got.delta_rows, got.delta_amount) == (8, None, 3, None)


def test_tiles_cover_every_view_even_never_refreshed(backlog: pd.DataFrame) -> None:
    box = inbox({"pending_fulfillment": backlog})
    got = tiles({}, box)
    assert [t.query for t in got] == list(VIEWS)
    assert got[0].exceptions == 3 and got[0].rows is None and got[1].exceptions == 0


def test_has_tracking_flag_decides_over_the_number_column() -> None:
    frame = pd.DataFrame(
        {
            "if_id": [1, 2, 3],
            "so_id": [7, 8, 9],
            "tracking_number": [None, "1Z", None],
            "has_tracking": [True, True, False],
        }
    )
    assert inbox({"fulfillment_tracking": frame})["target"].tolist() == [3]


def test_a_row_reason_overrides_the_default(backlog: pd.DataFrame) -> None:
    failures = backlog.assign(failure_reason="auto-bill attempted, no bill")
    failures.loc[0, "failure_reason"] = None
    box = inbox({"billing_failures": failures}).set_index("target")
    assert box.loc[11, "reason"] == "auto-bill attempted, no bill"
    assert box.loc[10, "reason"] == "auto-bill attempted, no bill"  # first non-null of SO10
    only_null = inbox({"billing_failures": failures.iloc[[0]]})
    assert only_null["reason"].tolist() == [VIEWS["billing_failures"].exception.reason]  # type: ignore[union-attr]


def test_every_deep_link_names_a_real_action_of_the_right_target_kind() -> None:
    from suiteops.actions.base import TargetKind
    from suiteops.actions.registry import ACTIONS
    from suiteops.views.columns import Role

    kinds = {Role.SO_ID: TargetKind.SALES_ORDER, Role.FULFILLMENT_ID: TargetKind.FULFILLMENT}
    for view in VIEWS.values():
        rule = view.exception
        if rule is not None and rule.action:
            assert rule.action in ACTIONS, f"{view.query}: no action {rule.action!r}"
            assert ACTIONS[rule.action].target_kind is kinds[rule.target], view.query


def test_bulk_action_link_targets_each_selected_row_once(tracking: pd.DataFrame) -> None:
    view = VIEWS["fulfillment_tracking"]
    link = bulk_action_link(view, tracking, [2, 0, 2])
    assert link == "/actions?action=reread_tracking&target=503&target=501"


def test_bulk_action_link_writes_float_ids_as_integers() -> None:
    frame = pd.DataFrame({"so_id": [20002.0, None, 20010.0], "so_number": ["A", "B", "C"]})
    link = bulk_action_link(VIEWS["billing_failures"], frame, [0, 1, 2])
    assert link == "/actions?action=bill_order&target=20002&target=20010"


def test_bulk_action_link_needs_a_selection_and_an_action(tracking: pd.DataFrame) -> None:
    assert bulk_action_link(VIEWS["fulfillment_tracking"], tracking, []) is None
    no_action = [v for v in VIEWS.values() if v.exception is None or v.exception.action is None]
    assert all(bulk_action_link(v, tracking, [0]) is None for v in no_action)
