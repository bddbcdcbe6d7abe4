"""The REST record API calls recovery actions need (netsuite.md §5).

Writes can go asynchronous (`Prefer: respond-async` → 202 + `Location` of a job,
DOC:chapter_161251386312) with an `X-NetSuite-Idempotency-Key`; a repeat of the key is a 400
`IDEMPOTENCY_ERROR` whose `Location` names the earlier job (DOC:subsect_164494900632), raised as
`IdempotencyError(location=...)` so the caller polls that job instead of writing twice. Only
keyed writes are retried: synchronous writes have no documented idempotency.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from suiteops.errors import NetSuiteError, ResponseError
from suiteops.netsuite.requester import Call, Requester
from suiteops.netsuite.responses import json_body
from suiteops.netsuite.retry import RetryPolicy

RECORD_PATH = "/services/rest/record/v1"
IDEMPOTENCY_HEADER = "X-NetSuite-Idempotency-Key"


@dataclass(frozen=True)
class RecordRef:
    """A record a synchronous write created or changed: its type, id and URL."""

    type: str
    id: str
    location: str


@dataclass(frozen=True)
class JobResult:
    """The state of an asynchronous job (`record_*` set once it succeeded)."""

    location: str
    completed: bool
    progress: str
    record_location: str | None = None
    record_id: str | None = None
    error: str | None = None

    @property
    def succeeded(self) -> bool:
        """True when the job completed without error."""
        return self.completed and self.error is None and self.progress != "failed"


class RecordClient:
    """GET, PATCH, transform, upsert and job polling on the record API."""

    def __init__(
        self,
        http: httpx.Client,
        base_url: str,
        retry: RetryPolicy,
        *,
        secrets: Iterable[str] = (),
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.base_url = base_url.rstrip("/")
        self._requester = Requester(http, retry, secrets=secrets, sleep=sleep)
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"RecordClient(base_url={self.base_url!r})"

    def get(self, type: str, id: int | str) -> dict[str, Any]:
        """The record as JSON."""
        call = Call("GET", self._url(type, id), query=f"GET {type} {id}")
        return self._requester.send(call, lambda r: json_body(r, query=call.query))

    def patch(
        self, type: str, id: int | str, body: Mapping[str, Any], *, idempotency_key: str | None
    ) -> RecordRef | JobResult:
        """Update fields (async with a key); `RecordRef` when synchronous, else the job."""
        return self._write("PATCH", self._url(type, id), body, idempotency_key, type)

    def transform(
        self,
        from_type: str,
        id: int | str,
        to_type: str,
        body: Mapping[str, Any] | None = None,
        *,
        idempotency_key: str | None,
        async_: bool = True,
    ) -> RecordRef | JobResult:
        """`POST .../<from>/<id>/!transform/<to>` (DOC:section_157901123882)."""
        url = f"{self._url(from_type, id)}/!transform/{to_type}"
        key = idempotency_key if async_ else None
        return self._write("POST", url, body or {}, key, to_type, async_=async_)

    def upsert(
        self, type: str, external_id: str, body: Mapping[str, Any], *, idempotency_key: str | None
    ) -> RecordRef | JobResult:
        """`PUT .../<type>/eid:<external id>` creates or updates (DOC:section_156335203191)."""
        return self._write(
            "PUT", self._url(type, f"eid:{external_id}"), body, idempotency_key, type
        )

    def job(self, location: str) -> JobResult:
        """The current state of the async job at `location` (with its result once done)."""
        url = self._absolute(location)
        body = self._requester.send(Call("GET", url, query="async job"), _json)
        completed = bool(body.get("completed"))
        progress = str(body.get("progress", "pending"))
        if not completed:
            return JobResult(location, False, progress)
        return self._job_outcome(url, progress)

    def poll_job(self, location: str, timeout: float = 60.0, *, interval: float = 0.2) -> JobResult:
        """Poll the job until it completes or `timeout` seconds pass (then its last state)."""
        deadline = time.monotonic() + timeout
        while True:
            state = self.job(location)
            if state.completed or time.monotonic() >= deadline:
                return state
            self._sleep(interval)

    def _job_outcome(self, url: str, progress: str) -> JobResult:
        """Read task 1's result: the response the synchronous request would have given."""
        tasks = self._requester.send(Call("GET", f"{url}/task", query="async job tasks"), _json)
        items = tasks.get("items") or []
        task_url = (_href(items[0]) if items else None) or f"{url}/task/1"
        result_call = Call("GET", f"{self._absolute(task_url)}/result", query="async job result")
        try:
            response = self._requester.send(result_call, lambda r: r)
        except NetSuiteError as error:
            return JobResult(url, True, "failed", error=str(error))
        location = response.headers.get("Location")
        if response.status_code == 204 or not response.content:
            record_id = _last_segment(location) if location else None
            return JobResult(url, True, progress, location, record_id)
        return _job_result(url, progress, _json(response))

    def _write(
        self,
        method: str,
        url: str,
        body: Mapping[str, Any],
        idempotency_key: str | None,
        type: str,
        *,
        async_: bool | None = None,
    ) -> RecordRef | JobResult:
        use_async = bool(idempotency_key) if async_ is None else async_
        headers = {"Prefer": "respond-async"} if use_async else {}
        if idempotency_key:
            headers[IDEMPOTENCY_HEADER] = idempotency_key
        call = Call(
            method,
            url,
            json=dict(body),
            headers=headers,
            query=f"{method} {type}",
            idempotent=bool(idempotency_key),
        )
        response = self._requester.send(call, lambda r: r)
        location = response.headers.get("Location")
        if response.status_code == 202:
            if not location:
                raise ResponseError("202 without a job Location", status=202, query=call.query)
            return JobResult(self._absolute(location), False, "pending")
        return _ref(type, location or url)

    def _url(self, type: str, id: int | str) -> str:
        return f"{self.base_url}{RECORD_PATH}/{type}/{id}"

    def _absolute(self, location: str) -> str:
        return location if "://" in location else f"{self.base_url}{location}"


def _json(response: httpx.Response) -> dict[str, Any]:
    return json_body(response)


def _href(item: Any) -> str | None:
    if isinstance(item, Mapping):
        for link in item.get("links") or []:
            if isinstance(link, Mapping) and link.get("href"):
                return str(link["href"])
    return None


def _last_segment(location: str) -> str:
    return location.rstrip("/").rsplit("/", 1)[-1]


def _ref(type: str, location: str) -> RecordRef:
    return RecordRef(type=type, id=_last_segment(location), location=location)


def _job_result(url: str, progress: str, result: Mapping[str, Any]) -> JobResult:
    error = result.get("error") or result.get("o:errorDetails") or result.get("title")
    if error or progress == "failed":
        return JobResult(url, True, "failed", error=str(error or "job failed"))
    location = result.get("location") or _href(result) or result.get("Location")
    record_id = _last_segment(str(location)) if location else result.get("id")
    return JobResult(
        url,
        True,
        progress,
        str(location) if location else None,
        str(record_id) if record_id is not None else None,
    )
