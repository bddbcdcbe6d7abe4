"""Asynchronous REST requests (`Prefer: respond-async`) and idempotency keys.

DOC:chapter_161251386312, DOC:subsect_161278579295, DOC:subsect_164494900632:
- the request is accepted with 202 and `Location: /services/rest/async/v1/job/{id}`; the work
  runs on a background worker; `GET job/{id}` shows `completed` and `progress` (`pending`,
  `succeeded`, `failed`); a job has one task (`task/1`) whose `result` replays the response the
  synchronous request would have given (204 + `Location`, or the error JSON);
- `X-NetSuite-Idempotency-Key` on an async request: the same key again is refused with 400
  IDEMPOTENCY_ERROR and a `Location` of the first job, whatever the body (keys never expire in
  the emulator). On synchronous requests the key is ignored, as NetSuite documents it only for
  asynchronous ones.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from suiteops.emulator.problems import ErrorCode, Problem, unexpected

JOB_PREFIX = "/services/rest/async/v1/job"


@dataclass(frozen=True)
class Outcome:
    """The response a request produced: status, the new record's path, or an error body."""

    status: int
    location: str | None = None
    error: dict[str, object] | None = None


@dataclass(frozen=True)
class JobView:
    """What `GET job/{id}` shows."""

    id: int
    created: dt.datetime
    completed: bool
    progress: str
    outcome: Outcome | None


class IdempotencyConflict(Exception):
    """The idempotency key was used before, by job `job_id`."""

    def __init__(self, job_id: int):
        super().__init__(f"idempotency key already used by job {job_id}")
        self.job_id = job_id


def job_path(job_id: int) -> str:
    """The job's path (the `Location` of a 202)."""
    return f"{JOB_PREFIX}/{job_id}"


def run_to_outcome(work: Callable[[], str]) -> Outcome:
    """Run `work` (which returns the new record's path) and capture its response."""
    try:
        return Outcome(204, location=work())
    except Problem as problem:
        return Outcome(problem.status, error=problem.body())
    except Exception:
        return Outcome(500, error=unexpected(uuid.uuid4().hex[:20]).body())


class JobStore:
    """Background execution of async requests, their status and idempotency keys."""

    def __init__(self, clock: Callable[[], dt.datetime]):
        self._clock = clock
        self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="emulator-job")
        self._jobs: dict[int, tuple[dt.datetime, Future[Outcome]]] = {}
        self._keys: dict[str, int] = {}
        self._lock = threading.Lock()

    def submit(self, work: Callable[[], str], key: str | None) -> int:
        """Queue `work`; return the job id, or raise `IdempotencyConflict`."""
        with self._lock:
            if key is not None and key in self._keys:
                raise IdempotencyConflict(self._keys[key])
            job_id = len(self._jobs) + 1
            future = self._executor.submit(run_to_outcome, work)
            self._jobs[job_id] = (self._clock(), future)
            if key is not None:
                self._keys[key] = job_id
        return job_id

    def view(self, job_id: int) -> JobView:
        """The job's state, or 404 NONEXISTENT_ID."""
        with self._lock:
            found = self._jobs.get(job_id)
        if found is None:
            raise Problem(404, ErrorCode.NONEXISTENT_ID, f"The async job {job_id} does not exist.")
        created, future = found
        if not future.done():
            return JobView(job_id, created, False, "pending", None)
        outcome = future.result()
        progress = "succeeded" if outcome.status < 400 else "failed"
        return JobView(job_id, created, True, progress, outcome)

    def close(self) -> None:
        """Finish queued jobs and stop the workers."""
        self._executor.shutdown(wait=True)
