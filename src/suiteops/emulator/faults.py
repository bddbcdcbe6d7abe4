"""Injected faults: random 429s and 500s, dropped connections and truncated bodies.

One seeded RNG draw per request decides its fate, so a run with the same seed and the same
request order injects the same faults.

- `RATE_429` / `RATE_500`: answered before the request is handled (nothing changes on the
  server), in NetSuite's error shape.
- `DROP`: the request *is* handled (a write commits) and then the connection is closed with no
  response at all, like a proxy or load balancer cutting a slow call. ASGI has no "abort"
  message, so this reaches the uvicorn protocol object behind `send` and closes its transport;
  when that is not available it falls back to an exception, which uvicorn turns into a bare
  500 text response (the closest real behaviour).
- `TRUNCATE`: the request is handled and answered with its status and headers, but the body is
  cut in half and `Content-Length` matches the cut body. The HTTP framing is valid, so the
  client sees a success whose JSON is broken (what a buggy proxy or a partial read that the
  framing does not reveal produces); the client must detect it by parsing.
"""

from __future__ import annotations

import asyncio
import random
import threading
from dataclasses import dataclass
from enum import Enum

from starlette.types import Send


class Fault(Enum):
    """What happens to one request."""

    NONE = "none"
    RATE_429 = "429"
    RATE_500 = "500"
    DROP = "drop"
    TRUNCATE = "truncate"


@dataclass(frozen=True)
class FaultRates:
    """Probabilities (0..1, summing to at most 1) of each injected fault per request."""

    rate_429: float = 0.0
    rate_500: float = 0.0
    rate_drop: float = 0.0
    rate_truncate: float = 0.0

    def __post_init__(self) -> None:
        for name in ("rate_429", "rate_500", "rate_drop", "rate_truncate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"FaultRates.{name} must be between 0 and 1, got {value!r}")
        if self.total > 1.0 + 1e-9:
            raise ValueError(f"FaultRates must sum to at most 1, got {self.total:g}")

    @property
    def total(self) -> float:
        """The probability that a request gets any fault."""
        return self.rate_429 + self.rate_500 + self.rate_drop + self.rate_truncate


class FaultInjector:
    """Draws a `Fault` per request from a seeded RNG; rates can change while serving."""

    def __init__(self, rates: FaultRates, seed: int):
        self._rates = rates
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    @property
    def rates(self) -> FaultRates:
        """The rates in force."""
        return self._rates

    def set_rates(self, rates: FaultRates) -> None:
        """Replace the rates for every later request."""
        self._rates = rates

    def draw(self) -> Fault:
        """Decide the fate of one request."""
        rates = self._rates
        if rates.total == 0.0:
            return Fault.NONE
        with self._lock:
            roll = self._rng.random()
        for fault, rate in (
            (Fault.RATE_429, rates.rate_429),
            (Fault.RATE_500, rates.rate_500),
            (Fault.DROP, rates.rate_drop),
            (Fault.TRUNCATE, rates.rate_truncate),
        ):
            if roll < rate:
                return fault
            roll -= rate
        return Fault.NONE


class ConnectionDropped(Exception):
    """Raised when the transport could not be reached to drop the connection quietly."""


async def drop_connection(send: Send) -> None:
    """Close the client connection without sending a response (uvicorn h11/httptools)."""
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        raise ConnectionDropped("cannot reach the transport; uvicorn answers 500 instead")
    transport.close()
    # Let the protocol's connection_lost() run so uvicorn knows the client is gone and does not
    # try to answer on a closed transport.
    for _ in range(3):
        await asyncio.sleep(0)
        if getattr(cycle, "disconnected", True):
            break
    cycle.disconnected = True


def truncate_body(body: bytes) -> bytes:
    """The first half of `body` (at least one byte short of it when it is not empty)."""
    return body[: len(body) // 2]
