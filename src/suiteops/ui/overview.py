"""The overview page and the exceptions inbox page (both read every exception view's cache)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from suiteops.cache.reader import Snapshot
from suiteops.services import Services
from suiteops.ui import widgets
from suiteops.ui.connection import frame, snapshot
from suiteops.ui.data_page import page_header
from suiteops.ui.refresh import refresh_controls
from suiteops.views import exceptions
from suiteops.views.kpis import format_value
from suiteops.views.overview import Tile, tiles
from suiteops.views.registry import VIEWS

TILES_PER_ROW = 3


def current_inbox() -> pd.DataFrame:
    """The exceptions inbox of the current snapshots, built once per set of snapshots."""
    snaps = {name: s for name in VIEWS if (s := snapshot(name)) is not None}
    return _inbox(tuple(s.key for s in snaps.values()), snaps)


@st.cache_resource(max_entries=8, show_spinner=False)
def _inbox(keys: tuple[str, ...], _snaps: dict[str, Snapshot]) -> pd.DataFrame:
    return exceptions.inbox({name: frame(s) for name, s in _snaps.items()})


def overview_page() -> None:
    """A tile per exception type (count, amount, trend vs the previous day), each with a link."""
    svc = page_header("Overview", "🧭")
    refresh_controls(svc, None, key="overview")
    box = current_inbox()
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
    box = current_inbox()
    types = sorted(box["type"].dropna().unique())
    chosen = st.multiselect("Exception types", types, key="inbox-types")
    shown = box[box["type"].isin(chosen)] if chosen else box
    shown = shown.reset_index(drop=True)
    widgets.metrics_row(exceptions.summary(shown))
    widgets.table(shown, ("act", "page"), key="inbox")
    widgets.download_buttons(shown, "exceptions", key="inbox")
