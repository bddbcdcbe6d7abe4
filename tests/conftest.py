"""Shared fixtures: a real NetSuite emulator on a free loopback port.

- `emulator` (session scope): demo scale, seed 7, no latency or faults, concurrency limit 15.
  Treat it as read-only: tests that write, inject faults or change knobs use `emulator_factory`.
- `emulator_factory` (function scope): `emulator_factory(**EmulatorConfig overrides) -> Emulator`,
  defaulting to the "tiny" scale; every emulator it starts is stopped at teardown.
- `_hermetic_data_dir` (session, autouse): points `SUITEOPS_DATA_DIR` at a session temp folder so
  no test writes the working tree's `.suiteops/`, and stops any demo emulator a test started
  there (the demo emulator is a detached process and would otherwise outlive the suite).

The emulator is imported inside the fixtures so that test modules which do not use it are
collected even when the emulator cannot start.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from suiteops.emulator.server import Emulator


@pytest.fixture(scope="session", autouse=True)
def _hermetic_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep the suite's data out of the working tree and stop demo emulators it started."""
    data_dir = tmp_path_factory.mktemp("suiteops-data")
    previous = os.environ.get("SUITEOPS_DATA_DIR")
    os.environ["SUITEOPS_DATA_DIR"] = str(data_dir)
    try:
        yield data_dir
    finally:
        if previous is None:
            os.environ.pop("SUITEOPS_DATA_DIR", None)
        else:
            os.environ["SUITEOPS_DATA_DIR"] = previous
        for state in tmp_path_factory.getbasetemp().rglob("emulator.json"):
            _stop_recorded_emulator(state)


def _stop_recorded_emulator(state: Path) -> None:
    """SIGTERM the detached demo emulator a state file records, if it is still running.

    Only a process whose command line is `suiteops.cli emulator` is stopped: some tests record
    an in-process emulator (their own pid) in a state file.
    """
    try:
        pid = int(json.loads(state.read_text())["pid"])
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if pid != os.getpid() and b"suiteops.cli" in command and b"emulator" in command:
            os.kill(pid, signal.SIGTERM)
    except (OSError, ValueError, KeyError, TypeError):
        pass  # already gone, or the file was half written: nothing left to stop


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    """One demo-scale emulator (seed 7) shared by the whole session; do not write to it."""
    from suiteops.emulator.server import EmulatorConfig, start_emulator

    config = EmulatorConfig(seed=7, scale="demo", concurrency_limit=15)
    with start_emulator(config) as emu:
        yield emu


@pytest.fixture
def emulator_factory() -> Iterator[Callable[..., Emulator]]:
    """Start fresh emulators with `EmulatorConfig` overrides; each is stopped after the test."""
    from suiteops.emulator.server import EmulatorConfig, start_emulator

    started: list[Emulator] = []

    def factory(**overrides: Any) -> Emulator:
        overrides.setdefault("scale", "tiny")
        emu = start_emulator(EmulatorConfig(**overrides))
        started.append(emu)
        return emu

    yield factory
    for emu in reversed(started):
        emu.stop()
