"""One HTTP request with retries: the loop shared by SuiteQL paging and the record API."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from suiteops.errors import NetSuiteError
from suiteops.netsuite.responses import error_from_exception, error_from_response
from suiteops.netsuite.retry import AdaptiveLimit, RetryPolicy

log = logging.getLogger("suiteops.netsuite")
T = TypeVar("T")


@dataclass(frozen=True)
class Call:
    """What to send: method, URL, body and headers, and how to name it in errors."""

    method: str
    url: str
    params: Mapping[str, str | int] | None = None
    json: Any = None
    headers: Mapping[str, str] | None = None
    query: str | None = None
    idempotent: bool = False


class Requester:
    """Sends `Call`s through one `httpx.Client`, retrying per a `RetryPolicy`.

    Counts retries across all calls (thread-safe) for the client's `Result.retries`.
    """

    def __init__(
        self,
        http: httpx.Client,
        policy: RetryPolicy,
        *,
        limit: AdaptiveLimit | None = None,
        secrets: Iterable[str] = (),
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.http = http
        self.policy = policy
        self.limit = limit
        self._secrets = tuple(secrets)
        self._sleep = sleep
        self._clock = clock
        self._lock = threading.Lock()
        self.retries = 0
        self.requests = 0

    def send(self, call: Call, parse: Callable[[httpx.Response], T]) -> T:
        """Send `call` until `parse` accepts a success response or the policy gives up."""
        started = self._clock()
        attempt = 0
        retries_401 = 0
        while True:
            attempt += 1
            try:
                return parse(self._attempt(call))
            except NetSuiteError as error:
                if not self._again(call, error, attempt, retries_401, started):
                    raise
                retries_401 += int(error.status == 401)

    def _again(
        self, call: Call, error: NetSuiteError, attempt: int, retries_401: int, started: float
    ) -> bool:
        """Decide on a retry and, if so, wait; False means give up."""
        policy = self.policy
        retry = policy.should_retry(
            error,
            attempt=attempt,
            method=call.method,
            idempotent=call.idempotent,
            retries_401=retries_401,
        )
        wait = policy.delay(attempt, error.retry_after) if retry else 0.0
        if not retry or not policy.within_budget(self._clock() - started, wait):
            return False
        with self._lock:
            self.retries += 1
        log.info(
            "retrying %s after %s (attempt %d, waiting %.2fs)", call.query, error, attempt, wait
        )
        self._sleep(wait)
        return True

    def _attempt(self, call: Call) -> httpx.Response:
        """One attempt; a non-success status or an httpx failure raises `NetSuiteError`."""
        epoch = self.limit.acquire() if self.limit is not None else None
        try:
            with self._lock:
                self.requests += 1
            response = self.http.request(
                call.method, call.url, params=call.params, json=call.json, headers=call.headers
            )
        except httpx.HTTPError as exc:
            raise error_from_exception(exc, query=call.query, secrets=self._secrets) from None
        finally:
            if self.limit is not None:
                self.limit.release()
        if response.status_code >= 400:
            if response.status_code == 429 and self.limit is not None:
                self.limit.throttled(epoch)
            raise error_from_response(response, query=call.query, secrets=self._secrets)
        if self.limit is not None:
            self.limit.succeeded()
        return response
