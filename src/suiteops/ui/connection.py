"""The connection factory: one `Services` per Streamlit server process, and cached frames.

`services()` is the single `st.cache_resource` the brief asks for: settings from the environment
and `.streamlit/secrets.toml`, the query catalog, the DuckDB cache and (in demo mode) the shared
embedded emulator. Frames are cached per snapshot identity, so a new refresh is picked up on the
next rerun and an unchanged snapshot is never re-read.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from suiteops.cache.reader import Snapshot
from suiteops.config import load_settings
from suiteops.services import Services, open_services
from suiteops.views.filters import FilterOptions, options
from suiteops.views.links import LinkTarget, add_links


@st.cache_resource(show_spinner="Connecting to NetSuite…")
def services() -> Services:
    """The process-wide services (settings, catalog, cache, NetSuite endpoint)."""
    return open_services(load_settings())


def snapshot(name: str) -> Snapshot | None:
    """The published snapshot of query `name` (None before its first refresh)."""
    return services().cache.read(name)


def linked(snap: Snapshot, target: LinkTarget) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """`snap`'s rows with record links (see `views.links.add_links`), built once per snapshot."""
    return _linked(snap.key, target.account, target.shopify_store, snap)


@st.cache_resource(max_entries=64, show_spinner=False)
def _linked(
    key: str, account: str, store: str, _snap: Snapshot
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    return add_links(frame(_snap), LinkTarget(account, store))


def filter_options(snap: Snapshot, data: pd.DataFrame) -> FilterOptions:
    """What `snap`'s rows offer to filter on, computed once per snapshot."""
    return _options(snap.key, data)


@st.cache_resource(max_entries=64, show_spinner=False)
def _options(key: str, _data: pd.DataFrame) -> FilterOptions:
    return options(_data)


def frame(snap: Snapshot) -> pd.DataFrame:
    """Every row of `snap`, read once per snapshot and shared by all sessions (do not mutate)."""
    return _frame(snap.key, snap)


@st.cache_resource(max_entries=64, show_spinner=False)
def _frame(key: str, _snap: Snapshot) -> pd.DataFrame:
    return _snap.frame()
