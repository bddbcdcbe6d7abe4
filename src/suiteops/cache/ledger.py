"""The run ledger, KPI history and audit log live in one SQLite file: `<root>/ledger.sqlite3`.

Why SQLite and not DuckDB: these tables are written by several processes at once — the
`suiteops refresh` CLI, the Streamlit server (scheduled refreshes) and recovery actions from the
dashboard or the CLI. DuckDB lets only one process hold a file once anybody writes to it (a
second process gets `Could not set lock on file`), so a shared DuckDB ledger would fail exactly
when two of them overlap. SQLite in WAL mode allows one writer at a time plus concurrent readers
across processes, and a busy timeout makes a second writer wait its turn instead of failing.
The rows are small (one per run, group or action), so SQLite's speed is ample. The query results
themselves live in DuckDB snapshot files (see `snapshots`), which are written by one process and
then only read.

A connection is opened per operation: `sqlite3` connections must not cross threads, Streamlit
serves every session from its own thread, and opening one costs well under a millisecond.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from suiteops.errors import CacheError

BUSY_TIMEOUT_MS = 15_000

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, query TEXT NOT NULL, version INTEGER NOT NULL,
    checksum TEXT NOT NULL, params TEXT NOT NULL, account TEXT NOT NULL, mode TEXT NOT NULL,
    status TEXT NOT NULL, started TEXT NOT NULL, finished TEXT, rows INTEGER NOT NULL DEFAULT 0,
    pages INTEGER NOT NULL DEFAULT 0, retries INTEGER NOT NULL DEFAULT 0, error TEXT,
    snapshot TEXT, pid INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_query ON runs (query, started);
CREATE INDEX IF NOT EXISTS runs_by_status ON runs (status);
CREATE TABLE IF NOT EXISTS history (
    run_id TEXT NOT NULL, query TEXT NOT NULL, at TEXT NOT NULL, grp TEXT,
    rows INTEGER NOT NULL, amount REAL
);
CREATE INDEX IF NOT EXISTS history_by_query ON history (query, at);
CREATE TABLE IF NOT EXISTS audit (
    entry_id INTEGER PRIMARY KEY AUTOINCREMENT, actor TEXT NOT NULL, at TEXT NOT NULL,
    action TEXT NOT NULL, target TEXT NOT NULL, plan TEXT NOT NULL, result TEXT NOT NULL,
    record_ids TEXT NOT NULL, error TEXT, idempotency_key TEXT
);
CREATE INDEX IF NOT EXISTS audit_by_at ON audit (at);
CREATE INDEX IF NOT EXISTS audit_by_key ON audit (idempotency_key);
"""


class LedgerDB:
    """The SQLite file shared by the run ledger, the KPI history and the audit log."""

    def __init__(self, path: Path):
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with self.connect() as con:
                con.execute("PRAGMA journal_mode=WAL")
                con.executescript(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise CacheError(f"{path}: cannot open the run ledger: {exc}") from exc

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A short-lived connection; commits on clean exit, rolls back on error, then closes."""
        try:
            con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            raise CacheError(f"{self.path}: cannot open the run ledger: {exc}") from exc
        with closing(con):
            con.row_factory = sqlite3.Row
            con.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            try:
                with con:
                    yield con
            except sqlite3.Error as exc:
                raise CacheError(f"{self.path}: run ledger error: {exc}") from exc


def pid_alive(pid: int) -> bool:
    """True when a process with this id exists on this host."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
