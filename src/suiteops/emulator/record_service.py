"""`RecordService`: record reads and writes as the HTTP layer calls them.

Every write is one database transaction (serialised with other writes) that returns the path
of the record it changed or created; `submit` runs the same write as an async job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import duckdb

from suiteops.emulator.database import EmulatorDatabase
from suiteops.emulator.jobs import JobStore
from suiteops.emulator.problems import ErrorCode, bad_request
from suiteops.emulator.record_transforms import transform, upsert_sales_order
from suiteops.emulator.record_writes import patch_record
from suiteops.emulator.records import RecordType, read_transaction, resolve_id

Write = Callable[[duckdb.DuckDBPyConnection, dt.datetime], str]


class RecordService:
    """Reads and writes records on the emulator's database."""

    def __init__(self, db: EmulatorDatabase, clock: Callable[[], float]):
        self.db = db
        self.clock = clock
        self.jobs = JobStore(self.now)

    def now(self) -> dt.datetime:
        """The emulator's clock as a naive UTC datetime (how timestamps are stored)."""
        return dt.datetime.fromtimestamp(self.clock(), dt.UTC).replace(tzinfo=None)

    def get(self, type_name: str, key: str) -> dict[str, Any]:
        """GET one record by internal id or `eid:<externalId>`."""
        kind = RecordType.parse(type_name)
        cur = self.db.cursor()
        return read_transaction(cur, kind, resolve_id(cur, kind, key))

    def run(self, write: Write) -> str:
        """Run one write transaction now; return the record path."""
        with self.db.write() as cur:
            return write(cur, self.now())

    def submit(self, write: Write, idempotency_key: str | None) -> int:
        """Run one write as an async job; return the job id."""
        return self.jobs.submit(lambda: self.run(write), idempotency_key)

    def close(self) -> None:
        """Let queued jobs finish."""
        self.jobs.close()


def patch_write(type_name: str, key: str, body: dict[str, Any]) -> Write:
    """PATCH `/record/v1/{type}/{key}`."""
    kind = RecordType.parse(type_name)

    def write(cur: duckdb.DuckDBPyConnection, now: dt.datetime) -> str:
        record_id = resolve_id(cur, kind, key)
        read_transaction(cur, kind, record_id)  # 404 unless it exists with this type
        patch_record(cur, kind, record_id, body, now)
        return kind.location(record_id)

    return write


def upsert_write(type_name: str, key: str, body: dict[str, Any]) -> Write:
    """PUT `/record/v1/{type}/eid:{externalId}` (sales orders only)."""
    kind = RecordType.parse(type_name)
    if not key.startswith("eid:") or len(key) <= 4:
        raise bad_request(
            "PUT works only with an external id URL: /record/v1/<type>/eid:<id>.",
            ErrorCode.INVALID_REQUEST,
        )
    if kind.code != "SalesOrd":
        raise bad_request(
            f"The emulator upserts sales orders only, not {kind.rest_name}.", ErrorCode.USER_ERROR
        )

    def write(cur: duckdb.DuckDBPyConnection, now: dt.datetime) -> str:
        return kind.location(upsert_sales_order(cur, key[4:], body, now))

    return write


def transform_write(type_name: str, key: str, target_name: str, body: dict[str, Any]) -> Write:
    """POST `/record/v1/salesOrder/{id}/!transform/{target}`."""
    kind = RecordType.parse(type_name)
    target = RecordType.parse(target_name)
    if kind.code != "SalesOrd":
        raise bad_request(
            f"The emulator transforms sales orders only, not {kind.rest_name}.",
            ErrorCode.USER_ERROR,
        )

    def write(cur: duckdb.DuckDBPyConnection, now: dt.datetime) -> str:
        return target.location(transform(cur, resolve_id(cur, kind, key), target, body, now))

    return write
