"""The retry loop with the one fault the emulator never produces: a `Retry-After` header
(NetSuite documents none; PostHog honours one if sent). A scripted httpx transport stands in."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from suiteops.errors import RateLimitError
from suiteops.netsuite import RetryPolicy
from suiteops.netsuite.requester import Call, Requester


def _scripted(responses: list[httpx.Response]) -> httpx.Client:
    replies: Iterator[httpx.Response] = iter(responses)
    return httpx.Client(transport=httpx.MockTransport(lambda request: next(replies)))


def _throttled(retry_after: str) -> httpx.Response:
    body = {
        "status": 429,
        "o:errorDetails": [{"detail": "busy", "o:errorCode": "CONCURRENCY_LIMIT_EXCEEDED"}],
    }
    return httpx.Response(429, json=body, headers={"Retry-After": retry_after})


def test_retry_after_is_honoured_as_the_wait() -> None:
    slept: list[float] = []
    http = _scripted([_throttled("0.75"), httpx.Response(200, json={"ok": True})])
    policy = RetryPolicy(base=0.01, cap=5.0, jitter=lambda ceiling: ceiling)
    requester = Requester(http, policy, sleep=slept.append)
    body = requester.send(Call("POST", "http://ns.test/q", idempotent=True), lambda r: r.json())
    assert body == {"ok": True}
    assert slept == [0.75] and requester.retries == 1 and requester.requests == 2


def test_retry_after_longer_than_the_budget_gives_up_at_once() -> None:
    slept: list[float] = []
    http = _scripted([_throttled("30")])
    policy = RetryPolicy(cap=60.0, budget=10.0)
    requester = Requester(http, policy, sleep=slept.append)
    with pytest.raises(RateLimitError) as info:
        requester.send(Call("GET", "http://ns.test/q", query="q"), lambda r: r)
    assert info.value.retry_after == 30.0 and slept == []
