"""Finance's reconciliation: orders vs bills vs payments per day and channel, and mismatches.

The cached query `reconciliation` has one row per sales order (order total, billed amount, bill
count, paid amount, difference = ordered - billed). These functions aggregate it per day and
channel and list the orders whose billed amount differs from the order total.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from suiteops.views.charts import LAYOUT
from suiteops.views.kpis import Metric

TOLERANCE = 0.005  # amounts are cents: anything under half a cent is equal
DAILY_COLUMNS = (
    "day", "channel", "orders", "ordered", "billed_orders", "billed", "paid", "difference",
    "mismatches",
)  # fmt: skip


def _numeric(frame: pd.DataFrame, name: str) -> pd.Series:
    return pd.to_numeric(frame[name], errors="coerce").fillna(0.0)


def mismatch_mask(frame: pd.DataFrame) -> pd.Series:
    """Orders whose billed amount differs from their total by at least a cent."""
    return (_numeric(frame, "order_total") - _numeric(frame, "billed_amount")).abs() > TOLERANCE


def mismatches(frame: pd.DataFrame) -> pd.DataFrame:
    """The mismatching orders, largest absolute difference first."""
    out = frame[mismatch_mask(frame)].copy()
    gap = (_numeric(out, "order_total") - _numeric(out, "billed_amount")).abs()
    order = gap.sort_values(ascending=False, kind="stable").index
    return out.loc[order].reset_index(drop=True)


def daily(frame: pd.DataFrame) -> pd.DataFrame:
    """Per day and channel: orders, ordered, billed orders, billed, paid, difference, mismatches."""
    if frame.empty:
        return pd.DataFrame({c: [] for c in DAILY_COLUMNS})
    work = pd.DataFrame(
        {
            "day": pd.to_datetime(frame["trandate"], errors="coerce").dt.date,
            "channel": frame["channel"].astype("object").where(frame["channel"].notna(), "(none)"),
            "ordered": _numeric(frame, "order_total"),
            "billed": _numeric(frame, "billed_amount"),
            "paid": _numeric(frame, "paid_amount"),
            "billed_order": (pd.to_numeric(frame["bill_count"], errors="coerce").fillna(0) > 0),
            "mismatch": mismatch_mask(frame),
        }
    )
    work["difference"] = work["ordered"] - work["billed"]
    grouped = work.groupby(["day", "channel"], sort=True).agg(
        orders=("ordered", "size"),
        ordered=("ordered", "sum"),
        billed_orders=("billed_order", "sum"),
        billed=("billed", "sum"),
        paid=("paid", "sum"),
        difference=("difference", "sum"),
        mismatches=("mismatch", "sum"),
    )
    out = grouped.reset_index().round({"ordered": 2, "billed": 2, "paid": 2, "difference": 2})
    return out.astype({"orders": "int64", "billed_orders": "int64", "mismatches": "int64"})[
        list(DAILY_COLUMNS)
    ]


def totals(frame: pd.DataFrame) -> list[Metric]:
    """Orders, ordered, billed, paid, difference and mismatches over the whole frame."""
    ordered = round(float(_numeric(frame, "order_total").sum()), 2)
    billed = round(float(_numeric(frame, "billed_amount").sum()), 2)
    return [
        Metric("Orders", len(frame)),
        Metric("Ordered", ordered),
        Metric("Billed", billed),
        Metric("Paid", round(float(_numeric(frame, "paid_amount").sum()), 2)),
        Metric("Ordered − billed", round(ordered - billed, 2)),
        Metric("Mismatched orders", int(mismatch_mask(frame).sum())),
    ]


def daily_figure(table: pd.DataFrame) -> go.Figure:
    """Ordered and billed per day (all channels) as lines, the difference as bars."""
    per_day = table.groupby("day", sort=True)[["ordered", "billed", "difference"]].sum()
    days = [d.isoformat() for d in per_day.index]
    fig = go.Figure()
    fig.add_scatter(x=days, y=per_day["ordered"].round(2).tolist(), name="ordered", mode="lines")
    fig.add_scatter(x=days, y=per_day["billed"].round(2).tolist(), name="billed", mode="lines")
    fig.add_bar(x=days, y=per_day["difference"].round(2).tolist(), name="ordered − billed")
    return fig.update_layout(title="Ordered vs billed per day", **LAYOUT)


def channel_figure(table: pd.DataFrame) -> go.Figure:
    """Unbilled amount (ordered − billed) per channel."""
    per = table.groupby("channel", sort=True)["difference"].sum().round(2)
    fig = go.Figure(go.Bar(x=per.index.tolist(), y=per.tolist(), name="ordered − billed"))
    return fig.update_layout(title="Ordered − billed by channel", **LAYOUT)
