"""Finance's reconciliation page: per day and channel, orders vs billed vs paid, mismatches."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from suiteops.ui import widgets
from suiteops.ui.connection import filter_options, linked, snapshot
from suiteops.ui.data_page import link_target, page_header, status_line
from suiteops.ui.refresh import refresh_controls
from suiteops.views import filters as vf
from suiteops.views import reconciliation as rec

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
    shown = vf.apply(data, widgets.filter_widgets(filter_options(snap, data), key=QUERY))
    widgets.metrics_row(rec.totals(shown))
    table = rec.daily(shown)
    widgets.figures([rec.daily_figure(table), rec.channel_figure(table)], key=QUERY)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    st.subheader("Per day and channel")
    widgets.table(table, (), key=f"{QUERY}-daily")
    widgets.download_buttons(table, "reconciliation_daily", key=f"{QUERY}-daily", stamp=stamp)
    st.subheader("Mismatches: billed differs from the order total")
    wrong = rec.mismatches(shown)
    widgets.table(wrong, links, key=f"{QUERY}-mismatches")
    widgets.download_buttons(
        wrong, "reconciliation_mismatches", key=f"{QUERY}-mismatches", stamp=stamp
    )
