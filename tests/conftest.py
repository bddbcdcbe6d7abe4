"""Shared fixtures: a real NetSuite emulator on a free loopback port.

- `emulator` (session scope): demo scale, seed 7, no latency or faults, concurrency limit 15.
  Treat it as read-only: tests that write, inject faults or change knobs use `emulator_factory`.
- `emulator_factory` (function scope): `emulator_factory(**EmulatorConfig overrides) -> Emulator`,
  defaulting to the "tiny" scale; every emulator it starts is stopped at teardown.
- `free_port()`: a currently free TCP port on 127.0.0.1 (for servers other than the emulator,
  which picks its own port when `port=0`).

The emulator is imported inside the fixtures so that test modules which do not use it are
collected even when the emulator cannot start.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from suiteops.emulator.server import Emulator


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port on `host` that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


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
