"""The cache's records: run provenance, audit entries and per-query status, plus UTC helpers.

Every timestamp the cache stores is UTC. A naive `datetime` handed in is taken to be UTC; every
`datetime` handed out is timezone-aware UTC. Stored text is ISO 8601 with microseconds and a
`+00:00` offset, so text order is time order (SQLite filters compare the text).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any


class RunStatus(Enum):
    """Where a refresh run stands; only `OK` runs have a published snapshot."""

    RUNNING = "running"
    OK = "ok"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


class RunMode(Enum):
    """How a snapshot was built: the whole result, or the previous snapshot merged with a delta."""

    FULL = "full"
    INCREMENTAL = "incremental"


def utc(moment: datetime) -> datetime:
    """`moment` as an aware UTC datetime (naive values are taken to be UTC already)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def to_text(moment: datetime | None) -> str | None:
    """The stored, sortable text form of `moment` (None stays None)."""
    if moment is None:
        return None
    return utc(moment).isoformat(timespec="microseconds")


def from_text(text: str | None) -> datetime | None:
    """Parse text written by `to_text` back into an aware UTC datetime."""
    return None if text is None else utc(datetime.fromisoformat(text))


def now_utc() -> datetime:
    """The current time, aware UTC."""
    return datetime.now(UTC)


def params_json(params: dict[str, Any] | None) -> str:
    """Parameters as canonical JSON text (dates and decimals as their ISO / plain text)."""
    return json.dumps(params or {}, sort_keys=True, default=str)


@dataclass(frozen=True)
class RunRecord:
    """Provenance of one refresh run of one query, as kept in the run ledger."""

    run_id: str
    query: str
    version: int
    checksum: str
    params: str
    account: str
    mode: RunMode
    status: RunStatus
    started: datetime
    finished: datetime | None
    rows: int
    pages: int
    retries: int
    error: str | None
    snapshot: str | None

    @property
    def ok(self) -> bool:
        """True when this run published a snapshot."""
        return self.status is RunStatus.OK

    @property
    def duration(self) -> timedelta | None:
        """How long the run took (None while it is still running)."""
        return None if self.finished is None else self.finished - self.started


@dataclass(frozen=True)
class AuditEntry:
    """One audited recovery action: who did what to which target, the plan and the result.

    `plan` is JSON text; `record_ids` are the NetSuite record ids the action created or changed.
    `entry_id` is assigned by the audit log and is None on entries not yet appended.
    """

    actor: str
    at: datetime
    action: str
    target: str
    plan: str
    result: str
    record_ids: tuple[str, ...] = ()
    error: str | None = None
    idempotency_key: str | None = None
    entry_id: int | None = None


@dataclass(frozen=True)
class QueryStatus:
    """Freshness and health of one cached query, for `suiteops status` and the dashboard."""

    name: str
    title: str
    version: int
    last_ok_run: RunRecord | None
    age: timedelta | None
    rows: int | None
    last_status: RunStatus | None
    last_error: str | None
    stale: bool
    never_refreshed: bool
    version_changed: bool = False
