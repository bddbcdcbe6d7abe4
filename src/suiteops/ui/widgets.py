"""Streamlit widgets for the data pages: filters, KPI metrics, the linked table, downloads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from suiteops.views import downloads
from suiteops.views.columns import date_only
from suiteops.views.filters import AgeBucket, FilterOptions, Filters
from suiteops.views.kpis import Metric
from suiteops.views.links import DISPLAY_PATTERN


def filter_widgets(opts: FilterOptions, key: str) -> Filters:
    """Filter widgets (in an expander) for what `opts` offers; returns the chosen `Filters`."""
    with st.expander("Filters", expanded=False):
        left, right = st.columns(2)
        locations = _multi(left, "Location", opts.locations, f"{key}-loc")
        channels = _multi(right, "Channel", opts.channels, f"{key}-channel")
        types = _multi(left, "Customer type", opts.customer_types, f"{key}-ctype")
        buckets: list[str] = []
        if opts.has_age:
            labels = [b.value for b in AgeBucket]
            buckets = right.multiselect("Age", labels, key=f"{key}-age")
        start, end = _date_range(opts.date_range, f"{key}-dates")
    return Filters(
        locations=tuple(locations),
        start=start,
        end=end,
        age_buckets=tuple(AgeBucket(b) for b in buckets),
        channels=tuple(channels),
        customer_types=tuple(types),
    )


def _multi(where: object, label: str, values: Sequence[str], key: str) -> list[str]:
    if not values:
        return []
    return list(where.multiselect(label, list(values), key=key))  # type: ignore[attr-defined]


def _date_range(
    bounds: tuple[dt.date, dt.date] | None, key: str
) -> tuple[dt.date | None, dt.date | None]:
    if bounds is None:
        return None, None
    picked = st.date_input(
        "Date range", value=bounds, min_value=bounds[0], max_value=bounds[1], key=key
    )
    if isinstance(picked, tuple) and len(picked) == 2:
        start, end = picked
        return (None if start == bounds[0] else start), (None if end == bounds[1] else end)
    return None, None


METRICS_PER_ROW = 4


def metrics_row(metrics: Sequence[Metric]) -> None:
    """`st.metric` tiles, at most `METRICS_PER_ROW` to a row so that values are never cut."""
    for start in range(0, len(metrics), METRICS_PER_ROW):
        row = metrics[start : start + METRICS_PER_ROW]
        for col, metric in zip(st.columns(METRICS_PER_ROW), row, strict=False):
            col.metric(
                metric.label, metric.formatted(), delta=metric.delta, help=metric.help or None
            )


def figures(figs: Sequence[go.Figure], key: str) -> None:
    """Plotly figures, two per row."""
    for start in range(0, len(figs), 2):
        row = figs[start : start + 2]
        for i, (col, fig) in enumerate(zip(st.columns(len(row)), row, strict=True)):
            col.plotly_chart(fig, key=f"{key}-fig-{start + i}", config={"displaylogo": False})


LINK_LABELS = {"act": "act on it", "page": "view", "link": "record"}


def table(
    frame: pd.DataFrame | pa.Table,
    links: Sequence[str],
    key: str,
    dates: Sequence[str] | None = None,
    *,
    selectable: bool = False,
) -> list[int]:
    """A table as `st.dataframe`: link columns as `LinkColumn` showing the record number,
    date-only timestamps (`dates`, found in `frame` when None) as dates. With `selectable`,
    rows can be selected (for bulk actions); returns the selected row positions."""
    if dates is None:
        dates = date_only(frame) if isinstance(frame, pd.DataFrame) else ()
    config: dict[str, object] = {
        name: st.column_config.DateColumn(name, format="YYYY-MM-DD") for name in dates
    }
    for name in links:
        label = LINK_LABELS.get(name, name.replace("_", " "))
        config[name] = st.column_config.LinkColumn(label, display_text=DISPLAY_PATTERN)
    if not selectable:
        st.dataframe(frame, hide_index=True, column_config=config)
        return []
    event = st.dataframe(
        frame,
        hide_index=True,
        column_config=config,
        key=f"{key}-table",
        on_select="rerun",
        selection_mode="multi-row",
    )
    return list(event.selection.rows)


def download_buttons(frame: pd.DataFrame, name: str, key: str, stamp: str = "") -> None:
    """CSV and XLSX buttons with exactly `frame`; the bytes are built only when clicked."""
    cols = st.columns(2)
    for col, fmt in zip(cols, downloads.Format, strict=True):
        col.download_button(
            f"Download {fmt.extension.upper()}",
            data=partial(downloads.build, frame, fmt, name),
            file_name=downloads.file_name(name, fmt, stamp),
            mime=fmt.mime,
            key=f"{key}-download-{fmt.extension}",
            on_click="ignore",
        )
