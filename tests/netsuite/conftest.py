"""Fixtures for the client tests: an emulator over a bulk customer table.

`bulk_emulator` (module scope) serves the real SuiteQL dialect over an empty NetSuite schema plus
130,000 bulk customers (ids BULK_BASE+1..), so paging sizes are exact and known. The `bulk`
fixture resets the knobs and statistics around each test.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from nshelpers import bulk_loader

if TYPE_CHECKING:
    from suiteops.emulator.server import Emulator


@pytest.fixture(scope="module")
def bulk_emulator() -> Iterator[Emulator]:
    """An emulator over the bulk customer table (read-only; knobs reset after each test)."""
    from suiteops.emulator.server import EmulatorConfig, start_emulator

    emu = start_emulator(EmulatorConfig(concurrency_limit=15), loader=bulk_loader())
    yield emu
    emu.stop()


@pytest.fixture
def bulk(bulk_emulator: Emulator) -> Iterator[Emulator]:
    """`bulk_emulator`, with its knobs and statistics reset around the test."""
    from suiteops.emulator.faults import FaultRates

    bulk_emulator.reset_stats()
    yield bulk_emulator
    bulk_emulator.set_faults(FaultRates())
    bulk_emulator.set_latency(0.0, 0.0)
    bulk_emulator.set_concurrency_limit(15)
