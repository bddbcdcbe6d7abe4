"""Reading published snapshots: resolve the pointer, keep one read-only connection per file.

Each published file is opened read-only once per `SnapshotReader` (one per process in practice:
the app keeps one `Cache`) and kept open; every query runs on its own cursor, so threads can
share the connection. When the pointer moves, the next `read()` opens the new file; the
previous connections stay open for `RETIRED` generations so a page still rendering from the old
snapshot finishes on consistent data, then they are closed.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from suiteops.cache import snapshots
from suiteops.cache.records import RunRecord, now_utc, utc
from suiteops.cache.runs import RunLedger
from suiteops.errors import CacheError

RETIRED = 2
OPEN_ATTEMPTS = 3


@dataclass(frozen=True)
class Snapshot:
    """One published, immutable query result: its provenance and a read-only table `rows`."""

    meta: RunRecord
    path: Path
    connection: duckdb.DuckDBPyConnection = field(repr=False, compare=False)

    @property
    def key(self) -> str:
        """A stable identity for this snapshot (usable as a cache key by pages)."""
        return f"{self.meta.query}@{self.meta.run_id}"

    @property
    def age(self) -> timedelta:
        """Time since the run that produced this snapshot finished."""
        return self.age_at(now_utc())

    def age_at(self, now: datetime) -> timedelta:
        """Age of the snapshot as seen at `now`."""
        return utc(now) - (self.meta.finished or self.meta.started)

    def frame(self) -> pd.DataFrame:
        """Every row of the snapshot as a DataFrame."""
        return self.query("SELECT * FROM rows")

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> pd.DataFrame:
        """Run read-only `sql` over table `rows` on a fresh cursor and return a DataFrame."""
        cursor = self.connection.cursor()
        try:
            return cursor.execute(sql, params).df()
        except duckdb.Error as exc:
            raise CacheError(f"{self.meta.query} snapshot {self.meta.run_id}: {exc}") from exc
        finally:
            cursor.close()


@dataclass
class _Held:
    run_id: str
    snapshot: Snapshot
    retired: list[duckdb.DuckDBPyConnection] = field(default_factory=list)


class SnapshotReader:
    """Hands out the current `Snapshot` of each query, opening each file once."""

    def __init__(self, root: Path, runs: RunLedger):
        self.root, self._runs = root, runs
        self._lock = threading.Lock()
        self._held: dict[str, _Held] = {}

    def read(self, name: str) -> Snapshot | None:
        """The published snapshot of `name`, or None when none was ever published."""
        for _ in range(OPEN_ATTEMPTS):
            run_id = snapshots.read_pointer(self.root, name)
            if run_id is None:
                return None
            with self._lock:
                held = self._held.get(name)
                if held is not None and held.run_id == run_id:
                    return held.snapshot
                snap = self._open(name, run_id)
                if snap is not None:
                    self._swap(name, run_id, snap)
                    return snap
        raise CacheError(
            f"{name}: the published snapshot {run_id}.duckdb is missing from "
            f"{snapshots.query_dir(self.root, name)} (deleted by hand? run a full refresh)"
        )

    def close(self) -> None:
        """Close every connection this reader holds."""
        with self._lock:
            for held in self._held.values():
                for con in (*held.retired, held.snapshot.connection):
                    con.close()
            self._held.clear()

    def _open(self, name: str, run_id: str) -> Snapshot | None:
        path = snapshots.published_path(self.root, name, run_id)
        meta = self._runs.get(run_id)
        if meta is None:
            raise CacheError(f"{name}: snapshot {path.name} has no run in the ledger")
        try:
            con = duckdb.connect(str(path), read_only=True)
        except duckdb.IOException:
            if path.exists():
                raise
            return None  # pruned between reading the pointer and opening: read the pointer again
        return Snapshot(meta, path, con)

    def _swap(self, name: str, run_id: str, snap: Snapshot) -> None:
        old = self._held.get(name)
        retired = [] if old is None else [*old.retired, old.snapshot.connection]
        for con in retired[:-RETIRED]:
            con.close()
        self._held[name] = _Held(run_id, snap, retired[-RETIRED:])
