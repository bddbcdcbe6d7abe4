"""Timing hooks that make the emulator inject a real fault on exactly the write of a plan.

The fault itself is the emulator's (a real 500 or a really dropped connection over HTTP); the
hook only switches the emulator's fault rates on around the record-API write and off again
before the client's first retry, which random rates cannot do on demand.
"""

from __future__ import annotations

import time
from typing import Any

from suiteops.emulator.faults import FaultRates
from suiteops.netsuite.records import RecordClient


class FaultOnWrite:
    """Record API whose transforms and patches meet `faults` on their first attempt only."""

    def __init__(self, client: Any, emu: Any, faults: FaultRates):
        self.emu, self.faults, self.writes = emu, faults, 0
        self.records = RecordClient(client.http, client.base_url, client.retry, sleep=self._sleep)

    def _sleep(self, seconds: float) -> None:
        self.emu.set_faults(FaultRates())
        time.sleep(seconds)

    def _faulty(self, method: str, *args: Any, **kwargs: Any) -> Any:
        self.writes += 1
        self.emu.set_faults(self.faults)
        try:
            return getattr(self.records, method)(*args, **kwargs)
        finally:
            self.emu.set_faults(FaultRates())

    def transform(self, *args: Any, **kwargs: Any) -> Any:
        return self._faulty("transform", *args, **kwargs)

    def patch(self, *args: Any, **kwargs: Any) -> Any:
        return self._faulty("patch", *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.records, name)
