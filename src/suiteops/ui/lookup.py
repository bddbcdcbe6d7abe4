"""Support's order lookup page: one search box, live results, the chosen order's timeline."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import streamlit as st

from suiteops.errors import SuiteOpsError
from suiteops.netsuite.client import SuiteQLClient
from suiteops.services import Services
from suiteops.ui import widgets
from suiteops.ui.connection import services
from suiteops.ui.data_page import link_target, page_header
from suiteops.views import lookup
from suiteops.views.links import Record, record_url

LIVE_TTL = 15  # seconds a live answer is reused across reruns of the same search


@st.cache_resource(show_spinner=False)
def live_client(base_url: str, account: str, _svc: Services) -> SuiteQLClient:
    """One SuiteQL client per endpoint for live lookups (thread-safe, kept open)."""
    return _svc.client()


def run_live(svc: Services, name: str, values: Mapping[str, object]) -> pd.DataFrame:
    """Run the live query `name` with `values` through the client; rows as a frame."""
    spec = svc.catalog[name]
    client = live_client(svc.endpoint.base_url, svc.endpoint.account, svc)
    result = client.fetch(
        spec.sql(svc.settings.fields),
        spec.bind(dict(values), datetime.now(UTC).date()),
        key=spec.key,
        columns=spec.columns,
        param_types=spec.param_types,
        name=spec.name,
    )
    return lookup.matches(result.columns, result.rows)


@st.cache_data(ttl=LIVE_TTL, show_spinner="Searching NetSuite…")
def _search(term: str, endpoint: str) -> pd.DataFrame:
    return run_live(services(), "order_search", {"term": term})


@st.cache_data(ttl=LIVE_TTL, show_spinner="Reading the order's history…")
def _timeline(so_id: int, endpoint: str) -> pd.DataFrame:
    return run_live(services(), "order_timeline", {"so_id": so_id})


def lookup_page() -> None:
    """Search by Shopify order name or id, SO number, e-mail or tracking number."""
    svc = page_header("Order lookup", "🔎")
    with st.form("lookup-form"):
        raw = st.text_input(
            "Shopify order (#1001 or id), sales order number, customer e-mail or tracking number",
            key="lookup-term",
        )
        st.form_submit_button("Search", type="primary")
    if not raw.strip():
        st.caption("Searches NetSuite live; nothing here comes from the cache.")
        return
    try:
        term = lookup.clean_term(raw)
        found = _search(term, svc.endpoint.base_url)
    except (ValueError, SuiteOpsError) as exc:
        st.error(str(exc))
        return
    if found.empty:
        kind = lookup.term_kind(term).value
        st.warning(
            f"No sales order matches {term!r} (it looks like a {kind}; Shopify order names and "
            "ids, SO numbers, e-mails and tracking numbers were all searched)."
        )
        return
    st.caption(f"{len(found)} order(s) found")
    order = _pick(found)
    _story(svc, order)


def _pick(found: pd.DataFrame) -> dict[str, Any]:
    rows = found.to_dict("records")
    if len(rows) == 1:
        return rows[0]
    labels = [lookup.match_label(r) for r in rows]
    chosen = st.selectbox(
        "Orders found", range(len(rows)), format_func=labels.__getitem__, key="lookup-pick"
    )
    return rows[chosen or 0]


def _story(svc: Services, order: Mapping[str, Any]) -> None:
    account = link_target(svc).account
    so_url = record_url(account, Record.SALES_ORDER, order["so_id"], order.get("so_number"))
    st.subheader(f"{order.get('so_number')} · {order.get('order_name') or ''}")
    st.markdown(
        f"[Open in NetSuite]({so_url.split('#')[0]}) · {order.get('customer_name') or ''} · "
        f"{order.get('channel') or ''} · matched by {order.get('matched_by')}"
    )
    try:
        rows = _timeline(int(order["so_id"]), svc.endpoint.base_url)
    except SuiteOpsError as exc:
        st.error(f"Could not read the order's history: {exc}")
        return
    events = lookup.timeline(rows.to_dict("records"), account)
    widgets.metrics_row(lookup.story(order, events))
    table = lookup.timeline_frame(events)
    widgets.table(table, ("link",), key="lookup-timeline")
    widgets.download_buttons(table, f"order_{order.get('so_number')}", key="lookup-timeline")
