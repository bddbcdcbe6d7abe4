"""The emulator's one DuckDB database: a cursor per thread, writes serialised by a lock.

DuckDB connections are not thread-safe, so every thread that touches the database (the request
threads of the server's thread pool, the test thread calling `Emulator.sql`) gets its own cursor
on the same database. Writes take `write()`, which holds one lock for the whole transaction and
bumps `version`, so readers can key caches on the data they saw.

A database file is reused when it holds data generated with the same fingerprint (seed, scale
and schema); otherwise its tables are dropped and the data generated again, so a demo file
never outlives a schema change.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb

from suiteops.errors import ConfigError

Loader = Callable[[duckdb.DuckDBPyConnection], None]
_MARK = "suiteops_emulator_data"


class EmulatorDatabase:
    """A DuckDB database (in memory or a file) shared by the emulator's threads."""

    def __init__(
        self,
        path: Path | None,
        loader: Loader,
        *,
        installer: Loader | None = None,
        fingerprint: str = "",
    ):
        target = ":memory:" if path is None else str(path)
        try:
            self._con = duckdb.connect(target)
        except duckdb.Error as exc:
            raise ConfigError(f"emulator database {target}: cannot open: {exc}") from None
        self._installer = installer
        self._local = threading.local()
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._cursors_lock = threading.Lock()
        self._write_lock = threading.RLock()
        self._version = 0
        self._closed = False
        if self.stored_fingerprint() != fingerprint:
            self._reset()
            loader(self._con)
            self._con.execute(f"CREATE TABLE {_MARK} AS SELECT ? AS fingerprint", [fingerprint])
            self._con.execute("CHECKPOINT")
        if installer is not None:
            installer(self._con)

    def stored_fingerprint(self) -> str | None:
        """What the data in a reused file was generated from (None: no emulator data yet)."""
        try:
            found = self._con.execute(f"SELECT fingerprint FROM {_MARK}").fetchone()
        except duckdb.CatalogException:
            return None
        return None if found is None else str(found[0])

    def _reset(self) -> None:
        """Drop every table and macro a previous generation left behind."""
        tables = self._con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()
        for (name,) in tables:
            self._con.execute(f'DROP TABLE IF EXISTS "{name}" CASCADE')

    @property
    def version(self) -> int:
        """A counter bumped by every write; equal versions mean equal data."""
        return self._version

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor (created on first use)."""
        cur: duckdb.DuckDBPyConnection | None = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._con.cursor()
            self._local.cursor = cur
            with self._cursors_lock:
                self._cursors.append(cur)
        return cur

    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        """Run one read statement and return every row."""
        return self.cursor().execute(sql, list(params)).fetchall()

    @contextmanager
    def write(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One serialised write transaction: committed on success, rolled back on error."""
        with self._write_lock:
            cur = self.cursor()
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            else:
                cur.execute("COMMIT")
            finally:
                self._version += 1

    def execute_any(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        """Run any statement under the write lock (tests and benches); rows if it returns any."""
        with self._write_lock:
            cur = self.cursor()
            try:
                cur.execute(sql, list(params))
                return cur.fetchall() if cur.description else []
            finally:
                self._version += 1

    def close(self) -> None:
        """Close every cursor and the database (idempotent)."""
        with self._cursors_lock:
            cursors, self._cursors = self._cursors, []
        for cur in cursors:
            cur.close()
        if not self._closed:
            self._closed = True
            self._con.close()
