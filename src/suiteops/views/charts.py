"""Plotly figures of the data pages, each beside the pure aggregation it draws.

Every `*_table` function returns the numbers a figure shows, so tests (and the benchmark) can
check a figure against an independent computation without reading plotly internals.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from suiteops.views.columns import Role, column
from suiteops.views.filters import AgeBucket, age_buckets

# green (fresh) to red (old), one colour per AgeBucket in order
BUCKET_COLOURS = ("#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027")
LAYOUT = {"margin": {"l": 10, "r": 10, "t": 40, "b": 10}, "height": 360}
TOP_SKUS = 20


def backlog_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Orders per location and age bucket: columns location, bucket, orders (zero rows kept)."""
    loc, age = column(frame, Role.LOCATION), column(frame, Role.AGE)
    if loc is None or age is None:
        return pd.DataFrame({"location": [], "bucket": [], "orders": []})
    so = column(frame, Role.SO_ID)
    work = pd.DataFrame(
        {
            "location": frame[loc].fillna("(none)").astype(str),
            "bucket": age_buckets(frame[age]),
            "key": frame[so] if so else range(len(frame)),
        }
    )
    counts = work.dropna(subset=["bucket"]).groupby(["location", "bucket"])["key"].nunique()
    locations = sorted(work["location"].unique())
    index = pd.MultiIndex.from_product([locations, [b.value for b in AgeBucket]])
    table = counts.reindex(index, fill_value=0).rename("orders").reset_index()
    table.columns = ["location", "bucket", "orders"]
    return table.astype({"orders": "int64"})


def backlog_figure(frame: pd.DataFrame, title: str = "Backlog by location and age") -> go.Figure:
    """Stacked bars: orders per location, one colour per age bucket."""
    table = backlog_table(frame)
    fig = go.Figure()
    for bucket, colour in zip(AgeBucket, BUCKET_COLOURS, strict=True):
        part = table[table["bucket"] == bucket.value]
        fig.add_bar(
            x=part["location"].tolist(),
            y=part["orders"].tolist(),
            name=bucket.value,
            marker_color=colour,
        )
    return fig.update_layout(barmode="stack", title=title, yaxis_title="orders", **LAYOUT)


def age_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows per whole day of age: columns days, rows (only days that occur)."""
    age = column(frame, Role.AGE)
    if age is None:
        return pd.DataFrame({"days": [], "rows": []})
    days = pd.to_numeric(frame[age], errors="coerce").dropna().round().astype("int64")
    table = days.value_counts().sort_index().rename_axis("days").rename("rows").reset_index()
    return table


def age_figure(frame: pd.DataFrame, title: str = "Days waiting") -> go.Figure:
    """Bars: how many rows have waited each number of days (the lag distribution)."""
    table = age_table(frame)
    fig = go.Figure(go.Bar(x=table["days"].tolist(), y=table["rows"].tolist(), name="rows"))
    return fig.update_layout(title=title, xaxis_title="days", yaxis_title="rows", **LAYOUT)


def daily_table(frame: pd.DataFrame, key: Role = Role.SO_ID) -> pd.DataFrame:
    """Per date: distinct `key` values (orders, or fulfillments) and the amount (0 without an
    amount column). Columns day, count, amount."""
    date = column(frame, Role.DATE)
    if date is None:
        return pd.DataFrame({"day": [], "count": [], "amount": []})
    amount = column(frame, Role.AMOUNT)
    ids = column(frame, key)
    work = pd.DataFrame(
        {
            "day": pd.to_datetime(frame[date], errors="coerce").dt.normalize(),
            "key": frame[ids] if ids else range(len(frame)),
            "amount": pd.to_numeric(frame[amount], errors="coerce") if amount else 0.0,
        }
    ).dropna(subset=["day"])
    grouped = work.groupby("day").agg(count=("key", "nunique"), amount=("amount", "sum"))
    out = grouped.reset_index().astype({"count": "int64"}).round({"amount": 2})
    out["day"] = out["day"].dt.date  # only the few grouped days become date objects
    return out


def daily_figure(
    frame: pd.DataFrame, title: str = "Over time", key: Role = Role.SO_ID, noun: str = "orders"
) -> go.Figure:
    """Bars of `noun` per day, with the amount as a line on a second axis when there is one."""
    table = daily_table(frame, key)
    days = [d.isoformat() for d in table["day"]]
    fig = go.Figure(go.Bar(x=days, y=table["count"].tolist(), name=noun))
    layout: dict[str, object] = {"yaxis": {"title": noun}}
    if column(frame, Role.AMOUNT) is not None:
        fig.add_scatter(x=days, y=table["amount"].tolist(), name="amount", yaxis="y2",
                        mode="lines")  # fmt: skip
        layout["yaxis2"] = {"title": "amount", "overlaying": "y", "side": "right"}
    return fig.update_layout(title=title, **layout, **LAYOUT)


def sku_table(frame: pd.DataFrame, top: int = TOP_SKUS) -> pd.DataFrame:
    """The `top` SKUs by summed quantity (shortfall/open units): columns sku, units."""
    sku, qty = column(frame, Role.SKU), column(frame, Role.QUANTITY)
    if sku is None:
        return pd.DataFrame({"sku": [], "units": []})
    values = pd.to_numeric(frame[qty], errors="coerce").fillna(0) if qty else 1.0
    work = pd.DataFrame({"sku": frame[sku].astype(str), "units": values})
    table = work.groupby("sku")["units"].sum().reset_index()
    table = table.sort_values(["units", "sku"], ascending=[False, True]).head(top)
    return table.reset_index(drop=True)


def sku_figure(frame: pd.DataFrame, title: str = "Shortfall by SKU") -> go.Figure:
    """Horizontal bars: units per SKU, largest on top."""
    table = sku_table(frame).iloc[::-1]
    fig = go.Figure(
        go.Bar(x=table["units"].tolist(), y=table["sku"].tolist(), orientation="h", name="units")
    )
    return fig.update_layout(title=title, xaxis_title="units", **LAYOUT)
