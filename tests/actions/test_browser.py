"""The browser clicks one recovery action through to the audit log (demo mode, real Chromium).

`streamlit run app.py` in demo mode (no account configured: the embedded emulator is started
under a temporary data_dir at the tiny scale and the demo user holds every role), Debian
Chromium through Playwright. Requests leaving 127.0.0.1 fail the test. Without
/usr/bin/chromium the test skips saying how to install it, unless SUITEOPS_E2E_REQUIRED=1.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from suiteops.cli.dashboard import ROOT, streamlit_command
from suiteops.config import load_settings
from suiteops.services import open_services

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
LOCAL = re.compile(r"^(https?|wss?)://127\.0\.0\.1(:\d+)?/|^(data|blob|about):")
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} not found: install it with `apt-get install -y chromium`"
    if os.environ.get("SUITEOPS_E2E_REQUIRED") == "1":
        pytest.fail(message + " (SUITEOPS_E2E_REQUIRED=1: browser tests are mandatory)")
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stop_demo_emulator(data_dir: Path) -> None:
    state = data_dir / "emulator.json"
    if state.exists():
        pid = int(json.loads(state.read_text())["pid"])
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A demo-mode dashboard (its own demo emulator); yields its URL and environment."""
    _require_chromium()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUITEOPS_")}
    env |= {"SUITEOPS_DATA_DIR": str(tmp_path / "data"), "SUITEOPS_EMULATOR_SCALE": "tiny",
            "SUITEOPS_REFRESH_AUTO": "false"}  # fmt: skip
    port, log = _free_port(), tmp_path / "streamlit.log"
    try:
        services = open_services(load_settings(env=env, toml_path=None))  # starts the emulator
        services.close()
        with open(log, "wb") as out:
            proc = subprocess.Popen(streamlit_command(port, "127.0.0.1"), cwd=ROOT, env=env,
                                    stdout=out, stderr=subprocess.STDOUT)  # fmt: skip
        try:
            _wait_healthy(f"http://127.0.0.1:{port}", proc, log)
            yield f"http://127.0.0.1:{port}", env
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    finally:
        _stop_demo_emulator(tmp_path / "data")


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"streamlit exited with {proc.returncode}: {log.read_text()}")
        try:
            if httpx.get(f"{url}/_stcore/health", timeout=2).text == "ok":
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"streamlit did not become healthy: {log.read_text()}")


def _status(env: dict[str, str], so_id: int) -> str:
    services = open_services(load_settings(env=env, toml_path=None))
    try:
        with services.client() as client:
            rows = client.fetch("SELECT status FROM transaction WHERE id = :so_id",
                                {"so_id": so_id}).rows  # fmt: skip
        return str(rows[0]["status"])
    finally:
        services.close()


def _pending_order(env: dict[str, str]) -> int:
    services = open_services(load_settings(env=env, toml_path=None))
    try:
        with services.client() as client:
            rows = client.fetch("SELECT id FROM transaction WHERE type = 'SalesOrd' AND "
                                "status = 'B' ORDER BY id").rows  # fmt: skip
        return int(rows[0]["id"])
    finally:
        services.close()


def test_close_lines_from_deep_link_to_audit_log(demo: tuple[str, dict[str, str]],
                                                 tmp_path: Path) -> None:  # fmt: skip
    from playwright.sync_api import sync_playwright

    url, env = demo
    so_id = _pending_order(env)
    outside: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS,
                                     env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path),
                                          "XDG_CACHE_HOME": str(tmp_path)})  # fmt: skip
        page = browser.new_page(viewport={"width": 1280, "height": 1800})
        page.route("**/*", lambda route: _guard(route, outside))
        page.goto(f"{url}/actions?action=close_lines&target={so_id}")
        _click(page, "Plan")
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
    assert str(so_id) in cells and "done" in cells and "demo@suiteops.local" in cells
    assert _status(env, so_id) == "H"
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
