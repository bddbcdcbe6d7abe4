"""Finance's reconciliation page: per day and channel, orders vs billed vs paid, mismatches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from suiteops.ui import widgets
from suiteops.ui.connection import filter_options, linked, once, snapshot
from suiteops.ui.data_page import link_target, page_header, status_line
from suiteops.ui.refresh import refresh_controls
from suiteops.views import filters as vf
from suiteops.views import reconciliation as rec
from suiteops.views.kpis import Metric

QUERY = "reconciliation"


def reconciliation_page() -> None:
    """Totals, per day/channel aggregates with charts, the mismatching orders, downloads."""
    svc = page_header("Reconciliation", "⚖️")
    line = st.empty()  # drawn after the button, so that a refresh shows its new age
    refresh_controls(svc, [QUERY], key=QUERY)
    with line.container():
        status_line(svc, QUERY)
    snap = snapshot(QUERY)
    if snap is None:
        st.info("Nothing cached yet: press **Refresh now**.")
        return
    data, links = linked(snap, link_target(svc))
    chosen = widgets.filter_widgets(filter_options(snap, data), key=QUERY)
    ready = once(snap.key, QUERY, repr(chosen), lambda: _model(vf.apply(data, chosen)))
    widgets.metrics_row(ready.totals)
    widgets.figures(ready.figures, key=QUERY)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    st.subheader("Per day and channel")
    widgets.table(ready.daily, (), key=f"{QUERY}-daily")
    widgets.download_buttons(ready.daily, "reconciliation_daily", f"{QUERY}-daily", stamp)
    st.subheader("Mismatches: billed differs from the order total")
    widgets.table(ready.mismatches, links, key=f"{QUERY}-mismatches")
    widgets.download_buttons(
        ready.mismatches, "reconciliation_mismatches", f"{QUERY}-mismatches", stamp
    )


@dataclass(frozen=True)
class _Model:
    totals: tuple[Metric, ...]
    daily: pd.DataFrame
    figures: tuple[go.Figure, ...]
    mismatches: pd.DataFrame


def _model(shown: pd.DataFrame) -> _Model:
    daily = rec.daily(shown)
    return _Model(
        totals=tuple(rec.totals(shown)),
        daily=daily,
        figures=(rec.daily_figure(daily), rec.channel_figure(daily)),
        mismatches=rec.mismatches(shown),
    )
