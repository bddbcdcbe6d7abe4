"""The browser clicks one recovery action through to the audit log (demo mode, real Chromium).

`streamlit run app.py` in demo mode (no account configured, so the demo user holds every role;
the demo emulator recorded in the temporary data_dir is a fresh tiny one), Debian
Chromium through Playwright. Requests leaving 127.0.0.1 fail the test. Without
/usr/bin/chromium the test skips saying how to install it, unless SUITEOPS_E2E_REQUIRED=1.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e.chromium import (
    ARTIFACTS,
    CHROMIUM,
    LAUNCH_ARGS,
    LOCAL,
    free_port,
    require_chromium,
    wait_healthy,
)

from suiteops.cli.dashboard import ROOT, streamlit_command

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo(emulator_factory: Callable[..., Any], tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """A demo-mode dashboard; yields its URL and the emulator it uses.

    Demo mode reuses the emulator recorded in data_dir/emulator.json when its /health answers
    for the demo account (`suiteops.emulator.demo`), so the test records a fresh tiny emulator
    of its own there instead of waiting for a background one to start.
    """
    require_chromium()
    emu = emulator_factory()
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    state = {"base_url": emu.base_url, "account": emu.account, "pid": os.getpid()}
    (data_dir / "emulator.json").write_text(json.dumps(state), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUITEOPS_")}
    env |= {"SUITEOPS_DATA_DIR": str(data_dir), "SUITEOPS_REFRESH_AUTO": "false"}
    port, log = free_port(), tmp_path / "streamlit.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(streamlit_command(port, "127.0.0.1"), cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc, log)
        yield f"http://127.0.0.1:{port}", emu
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def test_close_lines_from_deep_link_to_audit_log(demo: tuple[str, Any], tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    url, emu = demo
    so_id = emu.sql("SELECT id FROM transaction WHERE type = 'SalesOrd' AND status = 'B'")[0][0]
    outside: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS,
                                     env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path),
                                          "XDG_CACHE_HOME": str(tmp_path)})  # fmt: skip
        page = browser.new_page(viewport={"width": 1280, "height": 1800})
        page.route("**/*", lambda route: _guard(route, outside))
        page.goto(f"{url}/actions?action=close_lines&target={so_id}")
        _click(page, "Plan")
        # the first deep link after start runs app.py's st.navigation (titled sections), not a
        # legacy multipage listing of the page files
        nav = page.locator('[data-testid="stSidebarNav"]')
        nav.get_by_text("Exceptions inbox").wait_for(timeout=60_000)
        nav_text = nav.inner_text()
        page.get_by_text("isclosed").first.wait_for(timeout=60_000)
        _shoot(page, "actions-1-plan")
        _click(page, "Execute…")
        _click(page, "Confirm")
        page.get_by_text("Done and verified").wait_for(timeout=60_000)
        _shoot(page, "actions-2-done")
        page.goto(f"{url}/audit")
        grid = page.locator('[data-testid="stDataFrame"]').first.locator("table")
        grid.locator("td").first.wait_for(state="attached", timeout=60_000)
        cells = grid.locator("td").all_inner_texts()
        _shoot(page, "actions-3-audit")
        browser.close()
    assert "Recovery actions" in nav_text and "\napp\n" not in f"\n{nav_text}\n"
    assert str(so_id) in cells and "done" in cells and "demo@suiteops.local" in cells
    assert emu.sql("SELECT status FROM transaction WHERE id = ?", [so_id]) == [("H",)]
    assert not outside, f"requests left 127.0.0.1: {outside}"


def _guard(route: Any, outside: list[str]) -> None:
    if LOCAL.match(route.request.url):
        route.continue_()
    else:
        outside.append(route.request.url)
        route.abort()


def _click(page: Any, name: str) -> None:
    button = page.get_by_role("button", name=name, exact=True)
    button.wait_for(timeout=60_000)
    page.wait_for_timeout(300)
    button.click()


def _shoot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
