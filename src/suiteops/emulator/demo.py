"""The one shared demo emulator behind the dashboard and the CLI when no account is configured.

`ensure_demo_emulator(data_dir)` reuses the emulator recorded in `data_dir/emulator.json` when
its `/health` answers for the demo account; otherwise it starts
`python -m suiteops.cli emulator --db data_dir/emulator.duckdb --state-file data_dir/emulator.json`
as a detached background process (its own session, output in `data_dir/emulator.log`) and waits
for it. An exclusive lock on `data_dir/emulator.lock` keeps two starters from racing. The data
lives in the DuckDB file, so demo writes survive restarts; delete that file to regenerate the
data (seed and scale only apply when the file is created). `stop_demo_emulator(data_dir)`
(`suiteops emulator --stop`) stops it.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from suiteops.emulator.server import DEMO_CREDENTIALS, DemoCredentials
from suiteops.errors import ConfigError

START_TIMEOUT_SECONDS = 180.0
STATE_FILE = "emulator.json"


@dataclass(frozen=True)
class DemoEndpoint:
    """Where the demo emulator listens and the credentials it accepts."""

    base_url: str
    account: str
    credentials: DemoCredentials


def ensure_demo_emulator(
    data_dir: Path, *, seed: int = 7, scale: str | int = "demo", latency_ms: float = 0.0
) -> DemoEndpoint:
    """Return the running demo emulator for `data_dir`, starting it when needed."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    found = _running(data_dir)
    if found is not None:
        return found
    with _exclusive(data_dir / "emulator.lock"):
        found = _running(data_dir)
        if found is not None:
            return found
        process = _spawn(data_dir, seed=seed, scale=scale, latency_ms=latency_ms)
        return _wait(data_dir, process)


def stop_demo_emulator(data_dir: Path, *, timeout: float = 15.0) -> bool:
    """Stop the shared demo emulator of `data_dir`; True when one was running and has stopped.

    Only the process the state file records is signalled, and only while `/health` answers for
    the demo account, so a stale file never makes us signal an unrelated process.
    """
    state_file = Path(data_dir) / STATE_FILE
    if _running(Path(data_dir)) is None:
        return False
    try:
        pid = int(json.loads(state_file.read_text(encoding="utf-8"))["pid"])
        os.kill(pid, signal.SIGTERM)
    except (OSError, ValueError, KeyError, TypeError):
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _running(Path(data_dir)) is None:
            return True
        time.sleep(0.1)
    raise ConfigError(f"the demo emulator (pid {pid}) did not stop within {timeout:.0f} s")


def _endpoint(base_url: str) -> DemoEndpoint:
    return DemoEndpoint(base_url, DEMO_CREDENTIALS.account, DEMO_CREDENTIALS)


def _running(data_dir: Path) -> DemoEndpoint | None:
    try:
        state = json.loads((data_dir / STATE_FILE).read_text(encoding="utf-8"))
        base_url = str(state["base_url"])
        reply = httpx.get(f"{base_url}/health", timeout=2.0)
    except (OSError, ValueError, KeyError, TypeError, httpx.HTTPError):
        return None
    if reply.status_code != 200 or reply.json().get("account") != DEMO_CREDENTIALS.account:
        return None
    return _endpoint(base_url)


@contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _spawn(
    data_dir: Path, *, seed: int, scale: str | int, latency_ms: float
) -> subprocess.Popen[bytes]:
    (data_dir / STATE_FILE).unlink(missing_ok=True)
    command = [
        sys.executable, "-m", "suiteops.cli", "emulator",
        "--seed", str(seed), "--scale", str(scale), "--latency-ms", str(latency_ms),
        "--db", str(data_dir / "emulator.duckdb"), "--state-file", str(data_dir / STATE_FILE),
    ]  # fmt: skip
    with (data_dir / "emulator.log").open("ab") as log:
        return subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip


def _wait(data_dir: Path, process: subprocess.Popen[bytes]) -> DemoEndpoint:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        found = _running(data_dir)
        if found is not None:
            return found
        if process.poll() is not None:
            raise ConfigError(
                f"the demo emulator exited with status {process.returncode}; see "
                f"{data_dir / 'emulator.log'}"
            )
        time.sleep(0.1)
    process.terminate()
    raise ConfigError(
        f"the demo emulator did not start within {START_TIMEOUT_SECONDS:.0f} s; "
        f"see {data_dir / 'emulator.log'}"
    )
