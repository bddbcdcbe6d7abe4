"""Retry policy as small pure functions, and the adaptive (AIMD) in-flight limit.

Oracle's advice for 429s: wait before the first retry, grow the delay, and do not retry in
lockstep across threads (DOC:bridgehead_1509974866), hence exponential backoff with full jitter.
Practitioners also see 401 "Invalid login attempt" under load (netsuite.md §1.7), so a 401 may
be retried `retry_401` times. Writes are retried only when they carry an idempotency key: NetSuite
documents no idempotency for synchronous writes (DOC:subsect_164494900632).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from suiteops.errors import AuthError, NetSuiteError

WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})


def _full_jitter(ceiling: float) -> float:
    return random.uniform(0.0, ceiling)


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before trying a request again."""

    max_attempts: int = 6
    base: float = 0.25
    cap: float = 10.0
    budget: float = 120.0
    retry_401: int = 1
    jitter: Callable[[float], float] = field(default=_full_jitter, compare=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(
                f"RetryPolicy.max_attempts must be at least 1, got {self.max_attempts}"
            )
        if self.base < 0 or self.cap < 0 or self.budget < 0 or self.retry_401 < 0:
            raise ValueError("RetryPolicy.base, cap, budget and retry_401 must not be negative")

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed attempt `attempt` (1-based).

        Full jitter over `min(cap, base * 2**(attempt-1))`; a `Retry-After` from the server is a
        floor (never wait less than it asked), still capped by `cap`.
        """
        ceiling = min(self.cap, self.base * 2 ** (attempt - 1))
        wait = self.jitter(ceiling)
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.cap))
        return wait

    def should_retry(
        self,
        error: NetSuiteError,
        *,
        attempt: int,
        method: str,
        idempotent: bool,
        retries_401: int,
    ) -> bool:
        """True when a request that failed with `error` on attempt `attempt` may be tried again."""
        if attempt >= self.max_attempts:
            return False
        if method.upper() in WRITE_METHODS and not idempotent:
            return False
        if isinstance(error, AuthError) and error.status == 401:
            return retries_401 < self.retry_401
        return error.retryable

    def within_budget(self, elapsed: float, wait: float) -> bool:
        """True when waiting `wait` more seconds keeps the request inside its time budget."""
        return elapsed + wait <= self.budget


class AdaptiveLimit:
    """An in-flight cap that halves on a 429 and grows by one after `recover_after` successes.

    Additive increase, multiplicative decrease: the cap never goes below 1 nor above `ceiling`.
    With `recover_after=None` (the default) the cap grows by one per window of `cap` successes,
    TCP's congestion-avoidance rule: slow when the cap is high, quick when it is low.
    `acquire` blocks while as many requests as the cap allows are in flight and returns the
    current epoch; a 429 halves the cap only for a request sent in the current epoch, so one
    burst of 429s (every request in flight at the moment of overload) halves it once, not once
    per request.
    """

    def __init__(self, ceiling: int, *, recover_after: int | None = None):
        if ceiling < 1:
            raise ValueError(f"concurrency must be at least 1, got {ceiling}")
        self.ceiling = ceiling
        self.recover_after = recover_after
        self._cap = ceiling
        self._in_flight = 0
        self._successes = 0
        self._max_in_flight = 0
        self._epoch = 0
        self._cond = threading.Condition()

    @property
    def cap(self) -> int:
        """The current in-flight cap."""
        return self._cap

    @property
    def max_in_flight(self) -> int:
        """The most requests ever in flight at once through this limit."""
        return self._max_in_flight

    def acquire(self) -> int:
        """Wait for a free slot under the current cap, take it, and return the epoch."""
        with self._cond:
            self._cond.wait_for(lambda: self._in_flight < self._cap)
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)
            return self._epoch

    def release(self) -> None:
        """Give a slot back."""
        with self._cond:
            self._in_flight -= 1
            self._cond.notify_all()

    def throttled(self, epoch: int | None = None) -> None:
        """A 429 came back for a request sent in `epoch`: halve the cap (once per epoch)."""
        with self._cond:
            if epoch is not None and epoch != self._epoch:
                return
            self._cap = max(1, self._cap // 2)
            self._successes = 0
            self._epoch += 1

    def succeeded(self) -> None:
        """A request succeeded: after a window of successes, allow one more in flight."""
        with self._cond:
            self._successes += 1
            window = self.recover_after or self._cap
            if self._successes >= window and self._cap < self.ceiling:
                self._cap += 1
                self._successes = 0
                self._cond.notify_all()
