"""The app starting up end to end: first start on an empty cache, and demo mode.

Slower than the page AppTests (each starts an emulator and refreshes every query), so they live
here beside the browser suite; they need no browser.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from e2e.dashenv import emulator_env, environment
from suiteops.cache import Cache
from suiteops.cli.dashboard import APP
from suiteops.ui.layout import DEMO_TEXT

CACHED = {
    "pending_fulfillment", "partially_fulfilled", "fulfillment_tracking", "billing_failures",
    "lot_inventory_gaps", "lot_assignment_missing", "reconciliation",
}  # fmt: skip


pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _clear_streamlit_caches() -> Iterator[None]:
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def _rows(at: AppTest, label: str) -> float:
    return next(float(str(m.value).replace(",", "")) for m in at.metric if m.label == label)


def test_first_start_with_an_empty_cache_refreshes_everything(
    emulator_factory: Any, tmp_path: Path
) -> None:
    small = emulator_factory(scale="tiny")
    with environment(emulator_env(small, tmp_path / "data")):
        at = AppTest.from_file(str(APP), default_timeout=120).run()  # app.py, default page
        assert not at.exception, [e.value for e in at.exception]
        assert "First start" in at.info[0].value
        assert "Refreshed 7 of 7 queries" in at.status[0].proto.label
        assert "Auto-refresh is off" in at.sidebar.caption[0].value
        reader = Cache(tmp_path / "data")
        try:
            cached = {r.query for r in reader.runs(limit=50) if r.ok}
            snap = reader.read("pending_fulfillment")
            assert snap is not None and _rows(at, "Pending fulfillment") == snap.meta.rows
        finally:
            reader.close()
        assert cached == CACHED
        again = AppTest.from_file(str(APP), default_timeout=120).run()  # a second session
        assert not any("First start" in i.value for i in again.info)


def test_demo_mode_starts_the_emulator_refreshes_and_says_so(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    env = {
        "SUITEOPS_DATA_DIR": str(data),
        "SUITEOPS_EMULATOR_SCALE": "tiny",
        "SUITEOPS_REFRESH_AUTO": "false",
        "SUITEOPS_NETSUITE_ACCOUNT": "",
    }
    try:
        with environment(env):
            at = AppTest.from_file(str(APP), default_timeout=180).run()
        assert not at.exception, [e.value for e in at.exception]
        assert any(DEMO_TEXT in i.value for i in at.info)
        assert "Refreshed 7 of 7 queries" in at.status[0].proto.label
        assert _rows(at, "Pending fulfillment") > 0
    finally:
        state = data / "emulator.json"
        if state.exists():  # stop the demo emulator this test started
            os.kill(int(json.loads(state.read_text())["pid"]), signal.SIGTERM)


def test_auto_refresh_refreshes_what_is_stale_once_per_interval(
    emulator_factory: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from suiteops import refresh

    small = emulator_factory(scale="tiny")
    env = emulator_env(small, tmp_path / "data", auto_refresh=True)
    with environment(env):
        AppTest.from_file(str(APP), default_timeout=120).run()  # first start fills the cache
        monkeypatch.setattr(refresh, "stale", lambda services, now: ["lot_inventory_gaps"])
        at = AppTest.from_file(str(APP), default_timeout=120).run()
        assert not at.exception, [e.value for e in at.exception]
        captions = [c.value for c in at.caption]  # of the rerun the refresh asked for
    reader = Cache(tmp_path / "data")
    try:
        runs = [r for r in reader.runs("lot_inventory_gaps", 10) if r.ok]
    finally:
        reader.close()
    # the first start's run, then one scheduled run: the rerun after it, still "stale" here,
    # is within the interval and does not refresh again
    assert len(runs) == 2
    assert any("Auto-refresh every 60 s" in c for c in captions), captions


def test_a_failed_refresh_keeps_the_last_good_data_and_shows_the_error(
    emulator_factory: Any, tmp_path: Path
) -> None:
    from suiteops.emulator.faults import FaultRates

    small = emulator_factory(scale="tiny")
    env = emulator_env(small, tmp_path / "data") | {"SUITEOPS_NETSUITE_MAX_ATTEMPTS": "1"}
    with environment(env):
        AppTest.from_file(str(APP), default_timeout=120).run()  # first start fills the cache
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.switch_page("app_pages/billing_failures.py")
        at.run()
        rows = _rows(at, "Rows")
        small.set_faults(FaultRates(rate_500=1.0))
        at.button(key="billing_failures-refresh").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Refreshed 0 of 1 queries" in at.status[0].proto.label
    line = next(e.value for e in at.error if "last refresh failed" in e.value)
    assert line.startswith("As of ") and "500" in line
    assert _rows(at, "Rows") == rows  # the last good snapshot is still what is shown
