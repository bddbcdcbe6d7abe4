"""The ASGI middleware in front of every endpoint: request ids, statistics, the account's
concurrency limit, per-request latency and injected faults.

- Every response carries `X-N-OperationId` (NetSuite's request id header).
- A request arriving while `concurrency_limit` others are in flight is refused with 429
  CONCURRENCY_LIMIT_EXCEEDED, on every endpoint (token endpoint included), as NetSuite counts
  all REST requests of the account (DOC:subsect_1559222360).
- Latency (`latency_ms` plus uniform jitter up to `jitter_ms`) is an `asyncio.sleep` while the
  request counts as in flight, so concurrent requests really overlap.
- `max_in_flight` counts every request being handled at once, refused ones included: it measures
  the client's concurrency, not the limit.
- `/health` bypasses all of this.
"""

from __future__ import annotations

import asyncio
import random
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from types import MappingProxyType

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from suiteops.emulator.faults import Fault, FaultInjector, drop_connection, truncate_body
from suiteops.emulator.problems import Problem, concurrency_exceeded, unexpected

REQUEST_ID_HEADER = "X-N-OperationId"


@dataclass(frozen=True)
class EmulatorStats:
    """A snapshot of what the emulator has served since the last reset."""

    requests: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    rejected_429: int = 0
    dropped: int = 0
    truncated: int = 0
    statuses: MappingProxyType[int, int] = field(default_factory=lambda: MappingProxyType({}))


class Knobs:
    """The runtime-adjustable latency and concurrency limit (the fault rates live in faults)."""

    def __init__(self, latency_ms: float, jitter_ms: float, concurrency_limit: int, seed: int):
        self.latency_ms = latency_ms
        self.jitter_ms = jitter_ms
        self.concurrency_limit = concurrency_limit
        self._rng = random.Random(seed ^ 0x5EED)

    def delay_seconds(self) -> float:
        """This request's latency."""
        jitter = self._rng.uniform(0.0, self.jitter_ms) if self.jitter_ms > 0 else 0.0
        return (self.latency_ms + jitter) / 1000.0


class Governor:
    """Pure ASGI middleware applying `Knobs` and `FaultInjector`, and counting `EmulatorStats`."""

    def __init__(self, app: ASGIApp, knobs: Knobs, faults: FaultInjector):
        self.app = app
        self.knobs = knobs
        self.faults = faults
        self._lock = threading.Lock()
        self._in_flight = 0
        self._counts: Counter[str] = Counter()
        self._statuses: Counter[int] = Counter()

    def stats(self) -> EmulatorStats:
        """A consistent snapshot of the counters."""
        with self._lock:
            return EmulatorStats(
                requests=self._counts["requests"],
                in_flight=self._in_flight,
                max_in_flight=self._counts["max_in_flight"],
                rejected_429=self._counts["rejected_429"],
                dropped=self._counts["dropped"],
                truncated=self._counts["truncated"],
                statuses=MappingProxyType(dict(self._statuses)),
            )

    def reset(self) -> None:
        """Zero every counter (requests in flight stay counted as in flight)."""
        with self._lock:
            self._counts.clear()
            self._statuses.clear()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == "/health":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex
        admitted = self._enter()
        released = False

        def release() -> None:
            # Called as the last body byte leaves (and again, harmlessly, at the end), so a
            # client that has its response never sees its own request still counted.
            nonlocal released
            with self._lock:
                if not released:
                    released = True
                    self._in_flight -= 1

        tagged = self._tagging_send(send, request_id, release)
        try:
            if not admitted:
                await self._respond(concurrency_exceeded(), tagged)
                return
            await asyncio.sleep(self.knobs.delay_seconds())
            await self._dispatch(self.faults.draw(), scope, receive, (send, tagged), request_id)
        finally:
            release()

    def _enter(self) -> bool:
        with self._lock:
            self._counts["requests"] += 1
            self._in_flight += 1
            if self._in_flight > self._counts["max_in_flight"]:
                self._counts["max_in_flight"] = self._in_flight
            return self._in_flight <= self.knobs.concurrency_limit

    def _tagging_send(self, send: Send, request_id: str, release: Callable[[], None]) -> Send:
        async def tagged(message: Message) -> None:
            if message["type"] == "http.response.body" and not message.get("more_body"):
                release()
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = [
                    *message.get("headers", []),
                    (REQUEST_ID_HEADER.lower().encode(), request_id.encode()),
                ]
                self._count_status(int(message["status"]))
            await send(message)

        return tagged

    def _count_status(self, status: int) -> None:
        with self._lock:
            self._statuses[status] += 1
            if status == 429:
                self._counts["rejected_429"] += 1

    async def _respond(self, problem: Problem, send: Send) -> None:
        response = problem.response()
        await response({"type": "http"}, _no_receive, send)

    async def _dispatch(
        self,
        fault: Fault,
        scope: Scope,
        receive: Receive,
        sends: tuple[Send, Send],
        request_id: str,
    ) -> None:
        raw_send, send = sends
        if fault is Fault.RATE_429:
            await self._respond(concurrency_exceeded(), send)
        elif fault is Fault.RATE_500:
            await self._respond(unexpected(request_id), send)
        elif fault is Fault.DROP:
            await self.app(scope, receive, _discard)
            with self._lock:
                self._counts["dropped"] += 1
            await drop_connection(raw_send)
        elif fault is Fault.TRUNCATE:
            await self._truncated(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _truncated(self, scope: Scope, receive: Receive, send: Send) -> None:
        captured: list[Message] = []

        async def capture(message: Message) -> None:
            captured.append(message)

        await self.app(scope, receive, capture)
        start = next(m for m in captured if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in captured if m["type"] == "http.response.body")
        cut = truncate_body(body)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(cut)).encode()))
        with self._lock:
            self._counts["truncated"] += 1
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": cut, "more_body": False})


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


async def _discard(message: Message) -> None:
    return None
