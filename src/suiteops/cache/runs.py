"""The run ledger: one row per refresh run with its provenance, kept in the shared SQLite file.

A run is inserted as `running` with the writer's pid before any row is fetched, and finished as
`ok`, `failed` or `interrupted`. A process killed outright (SIGKILL, power loss) cannot finish
its row, so `reap()` marks `running` rows whose process no longer exists as `interrupted`.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from dataclasses import dataclass

from suiteops.cache.ledger import LedgerDB, pid_alive
from suiteops.cache.records import (
    RunMode,
    RunRecord,
    RunStatus,
    from_text,
    now_utc,
    to_text,
)

FIELDS = (
    "run_id", "query", "version", "checksum", "params", "account", "mode", "status", "started",
    "finished", "rows", "pages", "retries", "error", "snapshot",
)  # fmt: skip


@dataclass(frozen=True)
class RunStart:
    """What is known about a run when it starts."""

    query: str
    version: int
    checksum: str
    params: str
    account: str
    mode: RunMode


@dataclass(frozen=True)
class RunEnd:
    """How a run ended: its status, counters, error text and published snapshot file name."""

    status: RunStatus
    rows: int
    pages: int
    retries: int
    error: str | None = None
    snapshot: str | None = None


class RunLedger:
    """Insert, finish and list refresh runs."""

    def __init__(self, db: LedgerDB):
        self.db = db

    def start(self, start: RunStart) -> RunRecord:
        """Record a new `running` run and return it."""
        started = now_utc()
        run_id = f"{started:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
        with self.db.connect() as con:
            con.execute(
                "INSERT INTO runs (run_id, query, version, checksum, params, account, mode,"
                " status, started, pid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, start.query, start.version, start.checksum, start.params,
                 start.account, start.mode.value, RunStatus.RUNNING.value, to_text(started),
                 os.getpid()),
            )  # fmt: skip
        record = self.get(run_id)
        assert record is not None
        return record

    def finish(self, run_id: str, end: RunEnd) -> RunRecord:
        """Close a run with its outcome and return the finished record."""
        with self.db.connect() as con:
            con.execute(
                "UPDATE runs SET status = ?, finished = ?, rows = ?, pages = ?, retries = ?,"
                " error = ?, snapshot = ? WHERE run_id = ?",
                (end.status.value, to_text(now_utc()), end.rows, end.pages, end.retries,
                 end.error, end.snapshot, run_id),
            )  # fmt: skip
        record = self.get(run_id)
        assert record is not None
        return record

    def get(self, run_id: str) -> RunRecord | None:
        """The run with this id, or None."""
        with self.db.connect() as con:
            row = con.execute(f"SELECT {', '.join(FIELDS)} FROM runs WHERE run_id = ?", (run_id,))
            found = row.fetchone()
        return None if found is None else _record(found)

    def runs(
        self, name: str | None = None, limit: int = 100, status: RunStatus | None = None
    ) -> list[RunRecord]:
        """Runs newest first, optionally of one query and/or with one status."""
        clauses, values = [], []
        if name is not None:
            clauses.append("query = ?")
            values.append(name)
        if status is not None:
            clauses.append("status = ?")
            values.append(status.value)
        where = " AND ".join(clauses) or "1 = 1"
        sql = f"SELECT {', '.join(FIELDS)} FROM runs WHERE {where} ORDER BY started DESC LIMIT ?"
        with self.db.connect() as con:
            rows = con.execute(sql, (*values, int(limit))).fetchall()
        return [_record(r) for r in rows]

    def reap(self) -> int:
        """Mark `running` runs whose process has gone as `interrupted`; return how many."""
        with self.db.connect() as con:
            rows = con.execute("SELECT run_id, pid FROM runs WHERE status = 'running'").fetchall()
            dead = [(r["run_id"], r["pid"]) for r in rows if not pid_alive(r["pid"])]
            for run_id, pid in dead:
                con.execute(
                    "UPDATE runs SET status = ?, finished = ?, error = ? WHERE run_id = ?",
                    (RunStatus.INTERRUPTED.value, to_text(now_utc()),
                     f"process {pid} ended before the run finished (killed?)", run_id),
                )  # fmt: skip
        return len(dead)


def _record(row: sqlite3.Row) -> RunRecord:
    started = from_text(row["started"])
    assert started is not None
    return RunRecord(
        run_id=row["run_id"],
        query=row["query"],
        version=row["version"],
        checksum=row["checksum"],
        params=row["params"],
        account=row["account"],
        mode=RunMode(row["mode"]),
        status=RunStatus(row["status"]),
        started=started,
        finished=from_text(row["finished"]),
        rows=row["rows"],
        pages=row["pages"],
        retries=row["retries"],
        error=row["error"],
        snapshot=row["snapshot"],
    )
