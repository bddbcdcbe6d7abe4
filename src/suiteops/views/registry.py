"""The data views: which cached query each page shows, with which figures, and its exceptions.

One `ViewSpec` per data page (a dispatch table the pages, the overview, the exceptions inbox and
the benchmark all read), so adding a query to the dashboard is one entry here and a thin page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import pandas as pd
import plotly.graph_objects as go

from suiteops.views import charts
from suiteops.views.columns import Role, column

Figure = Callable[[pd.DataFrame], go.Figure]
Mask = Callable[[pd.DataFrame], pd.Series]

# An order waiting longer than this in pending fulfillment is an exception, not just backlog.
STUCK_DAYS = 3


@dataclass(frozen=True)
class ExceptionSpec:
    """How rows of a view become exceptions: which rows, the reason, and the action to take."""

    label: str
    reason: str
    action: str | None
    target: Role = Role.SO_ID
    rows: Mask | None = None


@dataclass(frozen=True)
class ViewSpec:
    """One data page: its query, title, page script, icon, figures and exception rule."""

    query: str
    title: str
    page: str
    icon: str
    figures: tuple[Figure, ...] = ()
    exception: ExceptionSpec | None = None
    kpi_label: str = "Amount"

    def exception_rows(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The rows of `frame` that are exceptions (none when the view has no exception rule)."""
        if self.exception is None:
            return frame.iloc[0:0]
        if self.exception.rows is None:
            return frame
        return frame[self.exception.rows(frame)].reset_index(drop=True)


def _older_than(days: int) -> Mask:
    def mask(frame: pd.DataFrame) -> pd.Series:
        age = column(frame, Role.AGE)
        if age is None:
            return pd.Series(True, index=frame.index)
        return pd.to_numeric(frame[age], errors="coerce").fillna(0) >= days

    return mask


def _without_tracking(frame: pd.DataFrame) -> pd.Series:
    flag = column(frame, Role.HAS_TRACKING)
    if flag is not None:
        return ~frame[flag].astype("boolean").fillna(False).astype(bool)
    name = column(frame, Role.TRACKING)
    if name is None:
        return pd.Series(False, index=frame.index)
    text = frame[name].astype("object")
    return text.isna() | (text.astype(str).str.strip() == "")


VIEWS: Mapping[str, ViewSpec] = MappingProxyType(
    {
        v.query: v
        for v in (
            ViewSpec(
                "pending_fulfillment",
                "Pending fulfillment",
                "app_pages/pending_fulfillment.py",
                "📦",
                figures=(
                    charts.backlog_figure,
                    lambda f: charts.age_figure(f, "Days waiting for fulfillment"),
                ),
                exception=ExceptionSpec(
                    "Stuck in pending fulfillment",
                    f"open lines not fulfilled for {STUCK_DAYS}+ days",
                    "close_lines",
                    rows=_older_than(STUCK_DAYS),
                ),
            ),
            ViewSpec(
                "partially_fulfilled",
                "Partially fulfilled",
                "app_pages/partially_fulfilled.py",
                "🧩",
                figures=(
                    charts.backlog_figure,
                    lambda f: charts.age_figure(f, "Days since the last shipment"),
                ),
                exception=ExceptionSpec(
                    "Partially fulfilled", "part shipped, lines still open", "close_lines"
                ),
            ),
            ViewSpec(
                "fulfillment_tracking",
                "Tracking",
                "app_pages/tracking.py",
                "🚚",
                figures=(
                    lambda f: charts.daily_figure(
                        f, "Fulfillments per ship date", Role.FULFILLMENT_ID, "fulfillments"
                    ),
                    lambda f: charts.age_figure(f, "Days since shipment"),
                ),
                exception=ExceptionSpec(
                    "Shipped without tracking",
                    "shipped with no tracking number",
                    "reread_tracking",
                    target=Role.FULFILLMENT_ID,
                    rows=_without_tracking,
                ),
            ),
            ViewSpec(
                "billing_failures",
                "Billing failures",
                "app_pages/billing_failures.py",
                "🧾",
                figures=(
                    lambda f: charts.daily_figure(f, "Billing failures over time"),
                    lambda f: charts.age_figure(f, "Age of unbilled orders"),
                ),
                exception=ExceptionSpec("Billing failed", "fulfilled but not billed", "bill_order"),
            ),
            ViewSpec(
                "lot_inventory_gaps",
                "Lot inventory gaps",
                "app_pages/lot_inventory.py",
                "🏷️",
                figures=(lambda f: charts.sku_figure(f, "Lot shortfall by SKU"),),
                exception=ExceptionSpec(
                    "Lot inventory short", "not enough lot quantity at the line's location", None
                ),
                kpi_label="Units short",
            ),
            ViewSpec(
                "lot_assignment_missing",
                "Lots not assigned",
                "app_pages/lot_inventory.py",
                "🏷️",
                figures=(lambda f: charts.sku_figure(f, "Fulfilled lot items without lots"),),
                exception=ExceptionSpec(
                    "Lot assignment missing",
                    "lot item fulfilled without a lot number",
                    None,
                    target=Role.FULFILLMENT_ID,
                ),
                kpi_label="Units shipped without lots",
            ),
        )
    }
)
