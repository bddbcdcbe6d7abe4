"""The standard data page: freshness, refresh, filters, KPIs, figures, linked table, downloads."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from suiteops.cache.reader import Snapshot
from suiteops.services import Services
from suiteops.ui import widgets
from suiteops.ui.connection import filter_options, linked, prepare, services, snapshot
from suiteops.ui.layout import demo_banner, freshness_line
from suiteops.ui.refresh import refresh_controls
from suiteops.views import filters as vf
from suiteops.views.exceptions import bulk_action_link
from suiteops.views.freshness import freshness
from suiteops.views.links import LinkTarget
from suiteops.views.registry import VIEWS, ViewSpec


def page_header(title: str, icon: str) -> Services:
    """Title, demo banner; returns the services."""
    svc = services()
    st.title(f"{icon} {title}")
    demo_banner(svc.settings)
    return svc


def link_target(svc: Services) -> LinkTarget:
    """Where links of this deployment point: the NetSuite account and the Shopify store."""
    account = svc.settings.netsuite.account or svc.endpoint.account
    return LinkTarget(account=account, shopify_store=svc.settings.shopify_store)


def status_line(svc: Services, query: str) -> None:
    """The freshness line of one cached query."""
    spec = svc.catalog[query]
    status = svc.cache.status([spec], datetime.now(UTC))[0]
    freshness_line(freshness(status, spec.refresh))


def data_page(query: str) -> None:
    """A whole data page for the cached query `query` (see `VIEWS`)."""
    view = VIEWS[query]
    svc = page_header(view.title, view.icon)
    cached_view(svc, view)


def cached_view(svc: Services, view: ViewSpec) -> pd.DataFrame | None:
    """Freshness, refresh button and the rendered view; returns the frame shown (or None)."""
    line = st.empty()  # drawn after the button, so that a refresh shows its new age
    refresh_controls(svc, [view.query], key=view.query)
    with line.container():
        status_line(svc, view.query)
    snap = snapshot(view.query)
    if snap is None:
        st.info("Nothing cached yet for this view: press **Refresh now**.")
        return None
    data, links = linked(snap, link_target(svc))
    return render_view(view, snap, data, links, filter_options(snap, data))


def render_view(
    view: ViewSpec,
    snap: Snapshot,
    data: pd.DataFrame,
    links: tuple[str, ...],
    opts: vf.FilterOptions,
) -> pd.DataFrame:
    """Filters, KPIs, figures, the table (link columns `links`) and downloads of `data`, the
    linked rows of `snap`; returns the frame shown."""
    key = view.query
    chosen = widgets.filter_widgets(opts, key)
    rule = view.exception
    narrowable = rule is not None and rule.rows is not None
    only = narrowable and st.toggle(
        f"Only: {rule.label.lower()}",
        key=f"{key}-only-exceptions",  # type: ignore[union-attr]
    )
    ready = prepare(snap.key, view, data, chosen, only)
    widgets.metrics_row(ready.metrics)
    widgets.figures(ready.figures, key)
    actionable = rule is not None and rule.action is not None
    selected = widgets.table(ready.table, links, key, ready.dates, selectable=actionable)
    if actionable:
        bulk_action(view, ready.shown, selected)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    widgets.download_buttons(ready.shown, view.query, key, stamp)
    return ready.shown


def bulk_action(view: ViewSpec, shown: pd.DataFrame, selected: list[int]) -> None:
    """Under an actionable table: run the view's recovery action on the selected rows."""
    link = bulk_action_link(view, shown, selected)
    if link is None:
        st.caption("Select rows to run a recovery action on all of them.")
        return
    count = link.count("target=")
    st.link_button(f"Act on {count} selected target(s)…", link, type="primary")


def lot_page() -> None:
    """Both lot views on one page, one tab each."""
    svc = page_header("Lot inventory", "🏷️")
    names = ("lot_inventory_gaps", "lot_assignment_missing")
    for tab, name in zip(st.tabs([VIEWS[n].title for n in names]), names, strict=True):
        with tab:
            cached_view(svc, VIEWS[name])
