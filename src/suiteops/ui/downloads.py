"""Finance downloads: any cached dataset, filtered, as CSV or XLSX of exactly the rows shown."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from suiteops.ui import widgets
from suiteops.ui.connection import filter_options, linked, snapshot
from suiteops.ui.data_page import link_target, page_header, status_line
from suiteops.views import filters as vf


def downloads_page() -> None:
    """Pick a cached dataset, filter it, check the preview, download it."""
    svc = page_header("Downloads", "⬇️")
    titles = {spec.title: name for name, spec in svc.catalog.items() if not spec.live}
    title = st.selectbox("Dataset", list(titles), key="downloads-dataset")
    if title is None:
        st.info("No cached queries in the catalog.")
        return
    name = titles[title]
    status_line(svc, name)
    snap = snapshot(name)
    if snap is None:
        st.info("Nothing cached yet for this dataset: refresh it first.")
        return
    data, links = linked(snap, link_target(svc))
    chosen = widgets.filter_widgets(filter_options(snap, data), key=f"downloads-{name}")
    shown = vf.apply(data, chosen)
    st.caption(f"{len(shown):,} of {len(data):,} rows · snapshot {snap.meta.run_id}")
    widgets.table(shown, links, key=f"downloads-{name}")
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    widgets.download_buttons(shown, name, key=f"downloads-{name}", stamp=stamp)
