"""Page chrome: the demo banner, the freshness line and error notices."""

from __future__ import annotations

import streamlit as st

from suiteops.config import Settings
from suiteops.views.freshness import Freshness, Level

DEMO_TEXT = "Demo data from the embedded NetSuite emulator"


def demo_banner(settings: Settings) -> None:
    """Say plainly that the data is demo data when no NetSuite account is configured."""
    if settings.demo:
        st.info(f"**{DEMO_TEXT}.** Configure a NetSuite account to see real data.", icon="🧪")


def freshness_line(fresh: Freshness) -> None:
    """The as-of / age / version line, escalated to a warning or error when it must be."""
    show = {
        Level.FRESH: st.caption,
        Level.STALE: st.warning,
        Level.FAILED: st.error,
        Level.EMPTY: st.info,
    }[fresh.level]
    show(fresh.text)
