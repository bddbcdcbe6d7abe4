"""Admin pages: the query catalog with cache status, and the refresh runs."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from suiteops.ui import widgets
from suiteops.ui.data_page import page_header
from suiteops.ui.refresh import refresh_controls
from suiteops.views.admin import queries_table, runs_table
from suiteops.views.kpis import Metric

RUN_LIMIT = 500


def queries_page() -> None:
    """Every query file: version, refresh interval, key, params, age, rows and health."""
    svc = page_header("Queries", "🗂️")
    refresh_controls(svc, None, key="queries")
    statuses = svc.cache.status(svc.catalog, datetime.now(UTC))
    table = queries_table(svc.catalog.values(), statuses)
    cached = table[table["refresh"] != "live"]
    widgets.metrics_row(
        [
            Metric("Queries", len(table)),
            Metric("Cached", len(cached)),
            Metric("Stale", int(cached["stale"].fillna(True).astype(bool).sum())),
            Metric("Failing", int((cached["last_status"] == "failed").sum())),
        ]
    )
    widgets.table(table, (), key="queries")
    widgets.download_buttons(table, "queries", key="queries")


def runs_page() -> None:
    """The refresh runs, newest first, filterable by query and status."""
    svc = page_header("Refresh runs", "🔁")
    refresh_controls(svc, None, key="runs")
    table = runs_table(svc.cache.runs(limit=RUN_LIMIT))
    left, right = st.columns(2)
    queries = left.multiselect("Query", sorted(table["query"].unique()), key="runs-query")
    states = right.multiselect("Status", sorted(table["status"].unique()), key="runs-status")
    if queries:
        table = table[table["query"].isin(queries)]
    if states:
        table = table[table["status"].isin(states)]
    table = table.reset_index(drop=True)
    widgets.metrics_row(
        [
            Metric("Runs", len(table)),
            Metric("Not OK", int((table["status"] != "ok").sum())),
            Metric("Rows fetched", int(table["rows"].sum())),
        ]
    )
    widgets.table(table, (), key="runs")
    widgets.download_buttons(table, "refresh_runs", key="runs")
