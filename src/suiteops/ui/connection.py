"""The connection factory: one `Services` per Streamlit server process, and cached frames.

`services()` is the single `st.cache_resource` the brief asks for: settings from the environment
and `.streamlit/secrets.toml`, the query catalog, the DuckDB cache and (in demo mode) the shared
embedded emulator. Frames are cached per snapshot identity, so a new refresh is picked up on the
next rerun and an unchanged snapshot is never re-read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from suiteops.cache.reader import Snapshot
from suiteops.config import load_settings
from suiteops.services import Services, open_services
from suiteops.views.columns import date_only
from suiteops.views.filters import FilterOptions, Filters, apply, options
from suiteops.views.kpis import Metric, metrics
from suiteops.views.links import LinkTarget, add_links
from suiteops.views.registry import ViewSpec

T = TypeVar("T")


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


def once(source: str, what: str, selection: str, build: Callable[[], T]) -> T:
    """`build()` computed once per snapshot (`source`), kind of result and selection, shared by
    every session (do not mutate what it returns)."""
    return _once(source, what, selection, build)  # type: ignore[no-any-return]


@st.cache_resource(max_entries=64, show_spinner=False)
def _once(source: str, what: str, selection: str, _build: Callable[[], object]) -> object:
    return _build()


@dataclass(frozen=True)
class Prepared:
    """What a data page draws for one selection: rows, their Arrow table, KPIs, figures."""

    shown: pd.DataFrame
    table: pa.Table
    metrics: tuple[Metric, ...]
    figures: tuple[go.Figure, ...]
    dates: tuple[str, ...]


def prepare(
    source: str, view: ViewSpec, data: pd.DataFrame, chosen: Filters, only: bool
) -> Prepared:
    """Filter `data` (the view's linked rows of snapshot `source`) and compute what the page
    shows, once per snapshot and selection: a rerun that changes nothing redraws from this."""
    return once(source, view.query, f"{chosen!r} only={only}",
                lambda: _prepare(view, data, chosen, only))  # fmt: skip


def arrow_table(frame: pd.DataFrame) -> pa.Table:
    """`frame` as an Arrow table for `st.dataframe`, with 32-bit string offsets (smaller and
    quicker to send than pandas' large strings)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    fields = [
        pa.field(f.name, pa.string()) if pa.types.is_large_string(f.type) else f
        for f in table.schema
    ]
    return table.cast(pa.schema(fields))


def _prepare(view: ViewSpec, data: pd.DataFrame, chosen: Filters, only: bool) -> Prepared:
    shown = apply(data, chosen)
    if only:
        shown = view.exception_rows(shown)
    return Prepared(
        shown=shown,
        table=arrow_table(shown),
        metrics=tuple(metrics(shown)),
        figures=tuple(make(shown) for make in view.figures),
        dates=date_only(shown),
    )
