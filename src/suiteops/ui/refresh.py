"""Refreshing from the dashboard: a button with progress, and the on-schedule auto-refresh.

Both call `suiteops.refresh.refresh`, the same code as `suiteops refresh`, so they share its
single-flight lock: a second refresh (another user, the CLI, the scheduler) is told so instead
of running twice. The auto-refresh is a fragment that re-checks `refresh.stale` every
`AUTO_SECONDS` while the app is open; on first start with an empty cache that means everything.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from suiteops import refresh
from suiteops.errors import RefreshInProgress, SuiteOpsError
from suiteops.services import Services

AUTO_SECONDS = 60
_LAST_TRY = "auto-refresh-last-attempt"
_FIRST = "first-start-refresh-tried"


def refresh_controls(svc: Services, names: Sequence[str] | None, key: str) -> None:
    """A "Refresh now" button for `names` (None: every cached query) with a progress display."""
    label = "Refresh now" if names else "Refresh all"
    if st.button(
        label, key=f"{key}-refresh", type="primary", help="Fetch fresh data from NetSuite"
    ):
        run_refresh(svc, names)


def run_refresh(svc: Services, names: Sequence[str] | None) -> bool:
    """Refresh `names` showing progress; True when every run succeeded."""
    wanted = list(names) if names else None
    with st.status("Refreshing from NetSuite…", expanded=True) as box:
        bar = st.progress(0.0, text="starting")
        try:
            records = refresh.refresh(svc, wanted, on_progress=_progress(bar))
        except RefreshInProgress as exc:
            box.update(label=f"Not started: {exc}", state="error")
            return False
        except SuiteOpsError as exc:
            box.update(label=f"Refresh failed: {exc}", state="error")
            return False
        failed = [r for r in records if not r.ok]
        for record in failed:
            st.error(f"{record.query}: {record.error}")
        done = f"Refreshed {len(records) - len(failed)} of {len(records)} queries"
        box.update(label=done, state="error" if failed else "complete", expanded=bool(failed))
    return not failed


def progress_fraction(event: refresh.QueryProgress) -> float:
    """How far the whole refresh is (0..1): finished queries plus the current one's pages."""
    inner = 0.0
    if event.done is not None:
        inner = 1.0
    elif event.progress is not None and event.progress.pages_total:
        inner = min(1.0, event.progress.pages_done / event.progress.pages_total)
    return min(1.0, (event.position - 1 + inner) / max(1, event.count))


def progress_text(event: refresh.QueryProgress) -> str:
    """`pending_fulfillment (2/6): 3,000 of 7,412 rows` or `... done: 7,412 rows`."""
    head = f"{event.query} ({event.position}/{event.count})"
    if event.done is not None:
        return f"{head} {event.done.status.value}: {event.done.rows:,} rows"
    if event.progress is not None:
        return f"{head}: {event.progress.rows_done:,} of {event.progress.rows_total:,} rows"
    return f"{head}: starting ({event.mode.value})"


def _progress(bar: DeltaGenerator) -> refresh.ProgressCallback:
    def report(event: refresh.QueryProgress) -> None:
        bar.progress(progress_fraction(event), text=progress_text(event))

    return report


def first_start(svc: Services) -> None:
    """With an empty cache (first start), fetch every cached query before drawing any page."""
    cached = [name for name, spec in svc.catalog.items() if not spec.live]
    if st.session_state.get(_FIRST) or any(svc.cache.read(n) is not None for n in cached):
        return
    st.session_state[_FIRST] = True
    st.info("First start: nothing is cached yet, so everything is fetched from NetSuite now.")
    run_refresh(svc, None)


def auto_refresh(svc: Services) -> None:
    """Refresh stale queries on schedule (or say that the data may be stale when it is off)."""
    if not svc.settings.refresh_auto:
        st.caption("Auto-refresh is off: use **Refresh now** on a page.")
        return
    _scheduled(svc)


@st.fragment(run_every=AUTO_SECONDS)
def _scheduled(svc: Services) -> None:
    due = refresh.stale(svc, datetime.now(UTC))
    last = st.session_state.get(_LAST_TRY, 0.0)
    if due and time.monotonic() - last >= AUTO_SECONDS:
        st.session_state[_LAST_TRY] = time.monotonic()
        if run_refresh(svc, due):
            st.rerun()  # the page above was drawn from the older snapshot
    st.caption(f"Auto-refresh every {AUTO_SECONDS} s · checked {datetime.now(UTC):%H:%M:%S} UTC")
