"""What every real-browser test shares: Debian's Chromium, its launch flags, the loopback guard.

Chromium comes from Debian (`apt-get install -y chromium`), driven by Playwright with
`executable_path`; `playwright install` is never run. Without it the browser tests skip and say
how to install it, unless SUITEOPS_E2E_REQUIRED=1 (CI), where they fail instead.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from suiteops.cli.dashboard import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
# Requests the page may make: loopback, and the browser's own data/blob/about URLs.
LOCAL = re.compile(r"^(https?|wss?)://127\.0\.0\.1(:\d+)?/|^(data|blob|about):")


def require_chromium() -> None:
    """Skip (or, with SUITEOPS_E2E_REQUIRED=1, fail) when Debian's Chromium is missing."""
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} not found: install it with `apt-get install -y chromium`"
    if os.environ.get("SUITEOPS_E2E_REQUIRED") == "1":
        pytest.fail(message + " (SUITEOPS_E2E_REQUIRED=1: browser tests are mandatory)")
    pytest.skip(message)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    """Wait until the Streamlit server at `url` answers its health check (or fail with its log)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"streamlit exited with {proc.returncode}: {log.read_text()}")
        try:
            if httpx.get(f"{url}/_stcore/health", timeout=2).text == "ok":
                return
        except httpx.HTTPError:
            pass  # not listening yet
        time.sleep(0.2)
    raise AssertionError(f"streamlit did not become healthy: {log.read_text()}")
