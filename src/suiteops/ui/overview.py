"""The overview page and the exceptions inbox page (both read every exception view's cache)."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import streamlit as st

from suiteops.services import Services
from suiteops.ui import widgets
from suiteops.ui.connection import arrow_table, frame, once, snapshot
from suiteops.ui.data_page import page_header
from suiteops.ui.refresh import refresh_controls
from suiteops.views import exceptions
from suiteops.views.kpis import Metric, format_value
from suiteops.views.overview import Tile, tiles
from suiteops.views.registry import VIEWS

TILES_PER_ROW = 3


def current_inbox() -> tuple[str, pd.DataFrame]:
    """The exceptions inbox of the current snapshots (built once per set of snapshots), and the
    identity of that set."""
    snaps = {name: s for name in VIEWS if (s := snapshot(name)) is not None}
    source = "+".join(s.key for s in snaps.values())
    box = once(
        source, "inbox", "", lambda: exceptions.inbox({n: frame(s) for n, s in snaps.items()})
    )
    return source, box


def overview_page() -> None:
    """A tile per exception type (count, amount, trend vs the previous day), each with a link."""
    svc = page_header("Overview", "🧭")
    refresh_controls(svc, None, key="overview")
    _, box = current_inbox()
    shown = tiles({name: svc.cache.history(name) for name in VIEWS}, box)
    for start in range(0, len(shown), TILES_PER_ROW):
        row = shown[start : start + TILES_PER_ROW]
        for col, item in zip(st.columns(TILES_PER_ROW), row, strict=False):
            with col.container(border=True):
                _tile(item)


def _tile(item: Tile) -> None:
    if item.rows is None:
        st.metric(item.title, "—", help="Not refreshed yet")
    else:
        st.metric(
            item.title,
            format_value(item.rows),
            delta=item.delta_rows,
            delta_color="inverse",
            help="Rows now; change vs the previous day",
        )
    amount = "—" if item.amount is None else format_value(item.amount)
    trend = "" if item.delta_amount is None else f" ({item.delta_amount:+,.2f} vs previous day)"
    st.caption(f"{item.amount_label} {amount}{trend}")
    if item.as_of is not None:
        st.caption(f"as of {item.as_of:%Y-%m-%d %H:%M} UTC")
    st.caption(f"**{item.exceptions:,}** to act on: {item.exception_label.lower()}")
    st.page_link(item.page, label=f"Open {VIEWS[item.query].title}", icon=item.icon)


def inbox_page() -> None:
    """Every exception of every type in one list, with its reason, age and where to act."""
    svc: Services = page_header("Exceptions inbox", "📥")
    refresh_controls(svc, None, key="inbox")
    source, box = current_inbox()
    types = sorted(box["type"].dropna().unique())
    chosen = st.multiselect("Exception types", types, key="inbox-types")
    shown, table, summary = once(source, "inbox-shown", repr(chosen), lambda: _select(box, chosen))
    widgets.metrics_row(summary)
    widgets.table(table, ("act", "page"), key="inbox", dates=())
    widgets.download_buttons(shown, "exceptions", key="inbox")


def _select(box: pd.DataFrame, types: list[str]) -> tuple[pd.DataFrame, pa.Table, list[Metric]]:
    shown = (box[box["type"].isin(types)] if types else box).reset_index(drop=True)
    return shown, arrow_table(shown), exceptions.summary(shown)
