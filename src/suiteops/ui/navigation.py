"""The dashboard's navigation: sections and pages, in the order the sidebar shows them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage


@dataclass(frozen=True)
class PageEntry:
    """One page of the navigation: its script (relative to the app root), title and emoji."""

    path: str
    title: str
    icon: str


SECTIONS: tuple[tuple[str, tuple[PageEntry, ...]], ...] = (
    (
        "Operations",
        (
            PageEntry("app_pages/overview.py", "Overview", "🧭"),
            PageEntry("app_pages/pending_fulfillment.py", "Pending fulfillment", "📦"),
            PageEntry("app_pages/partially_fulfilled.py", "Partially fulfilled", "🧩"),
            PageEntry("app_pages/tracking.py", "Tracking", "🚚"),
            PageEntry("app_pages/billing_failures.py", "Billing failures", "🧾"),
            PageEntry("app_pages/lot_inventory.py", "Lot inventory", "🏷️"),
            PageEntry("app_pages/exceptions.py", "Exceptions inbox", "📥"),
            PageEntry("app_pages/actions.py", "Recovery actions", "🛠️"),
        ),
    ),
    ("Support", (PageEntry("app_pages/order_lookup.py", "Order lookup", "🔎"),)),
    (
        "Finance",
        (
            PageEntry("app_pages/reconciliation.py", "Reconciliation", "⚖️"),
            PageEntry("app_pages/downloads.py", "Downloads", "⬇️"),
        ),
    ),
    (
        "Admin",
        (
            PageEntry("app_pages/queries.py", "Queries", "🗂️"),
            PageEntry("app_pages/runs.py", "Refresh runs", "🔁"),
            PageEntry("app_pages/audit.py", "Audit log", "📜"),
        ),
    ),
)


def build(root: Path) -> StreamlitPage:
    """`st.navigation` over every section's pages (scripts resolved under `root`)."""
    pages = {
        section: [
            st.Page(root / e.path, title=e.title, icon=e.icon, default=e.title == "Overview")
            for e in entries
        ]
        for section, entries in SECTIONS
    }
    return st.navigation(pages, expanded=True)
