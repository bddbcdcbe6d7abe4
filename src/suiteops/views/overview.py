"""The overview: one tile per exception type with its count, amount and trend vs the previous day.

Counts and amounts are those of the latest published snapshot as the refresh history recorded
them (rows, and the sum of the query's KPI amount column); the trend compares them with the last
snapshot published on an earlier (UTC) day. `exceptions` counts the entries the inbox lists for
the view (for tracking, only fulfillments shipped without a tracking number).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from suiteops.views.registry import VIEWS


@dataclass(frozen=True)
class Totals:
    """Rows and amount of one published snapshot, and when it was published."""

    at: datetime
    rows: int
    amount: float | None


@dataclass(frozen=True)
class Tile:
    """One overview tile."""

    query: str
    title: str
    page: str
    icon: str
    rows: int | None
    amount: float | None
    delta_rows: int | None
    delta_amount: float | None
    exceptions: int
    as_of: datetime | None
    exception_label: str = ""
    amount_label: str = "Amount"


def run_totals(history: pd.DataFrame) -> list[Totals]:
    """Per published run (oldest first): total rows and amount over its KPI groups."""
    if history.empty:
        return []
    grouped = history.groupby("run_id").agg(
        at=("at", "max"), rows=("rows", "sum"), amount=("amount", lambda s: s.sum(min_count=1))
    )
    grouped = grouped.sort_values("at")
    return [
        Totals(
            row.at.to_pydatetime(),
            int(row.rows),
            None if pd.isna(row.amount) else round(float(row.amount), 2),
        )
        for row in grouped.itertuples()
    ]


def day_trend(history: pd.DataFrame) -> tuple[Totals | None, Totals | None]:
    """The latest run's totals and those of the last run on an earlier day (either may be None)."""
    totals = run_totals(history)
    if not totals:
        return None, None
    latest = totals[-1]
    earlier = [t for t in totals if t.at.date() < latest.at.date()]
    return latest, (earlier[-1] if earlier else None)


def tile(query: str, history: pd.DataFrame, exceptions: int) -> Tile:
    """The tile of one view from its refresh history and its number of inbox entries."""
    view = VIEWS[query]
    latest, previous = day_trend(history)
    delta_rows = delta_amount = None
    if latest is not None and previous is not None:
        delta_rows = latest.rows - previous.rows
        if latest.amount is not None and previous.amount is not None:
            delta_amount = round(latest.amount - previous.amount, 2)
    return Tile(
        query=query,
        title=view.title,
        exception_label=view.exception.label if view.exception else "",
        amount_label=view.kpi_label,
        page=view.page,
        icon=view.icon,
        rows=None if latest is None else latest.rows,
        amount=None if latest is None else latest.amount,
        delta_rows=delta_rows,
        delta_amount=delta_amount,
        exceptions=exceptions,
        as_of=None if latest is None else latest.at,
    )


def tiles(histories: Mapping[str, pd.DataFrame], inbox: pd.DataFrame) -> list[Tile]:
    """A tile per view in registry order; `histories` maps query name → its history frame."""
    per_query = inbox["query"].value_counts() if not inbox.empty else pd.Series(dtype="int64")
    return [
        tile(name, histories.get(name, pd.DataFrame()), int(per_query.get(name, 0)))
        for name in VIEWS
    ]
