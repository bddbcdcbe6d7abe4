"""`Cache`: the one object the rest of SuiteOps uses to reach snapshots, runs, history and audit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from suiteops.cache import snapshots
from suiteops.cache.audit import AuditLog
from suiteops.cache.history import History
from suiteops.cache.ledger import LedgerDB
from suiteops.cache.reader import Snapshot, SnapshotReader
from suiteops.cache.records import QueryStatus, RunMode, RunRecord, RunStatus, params_json
from suiteops.cache.runs import RunEnd, RunLedger, RunStart
from suiteops.cache.status import catalog_status
from suiteops.cache.writer import SnapshotWriter

if TYPE_CHECKING:
    from suiteops.catalog import QuerySpec


class Cache:
    """The cache rooted at `root` (usually the settings' data_dir); see the package docstring.

    Keep one `Cache` per process: it holds the read-only snapshot connections.
    """

    def __init__(self, root: Path, *, keep: int = snapshots.KEEP):
        self.root = Path(root)
        self.keep = keep
        self.db = LedgerDB(self.root / "ledger.sqlite3")
        self.ledger = RunLedger(self.db)
        self.kpis = History(self.db)
        self.audit = AuditLog(self.db)
        self._reader = SnapshotReader(self.root, self.ledger)

    def writer(
        self,
        spec: QuerySpec,
        *,
        params: Mapping[str, Any] | None = None,
        account: str = "",
        mode: RunMode | str = RunMode.FULL,
    ) -> SnapshotWriter:
        """A writer for a new snapshot of `spec`: a context manager; `commit()` publishes."""
        return SnapshotWriter(
            root=self.root, runs=self.ledger, history=self.kpis, spec=spec, params=params or {},
            account=account, mode=RunMode(mode), keep=self.keep,
        )  # fmt: skip

    def record_failure(
        self,
        spec: QuerySpec,
        *,
        account: str,
        error: BaseException | str,
        params: Mapping[str, Any] | None = None,
    ) -> RunRecord:
        """Record a run of `spec` that failed before any snapshot was written (e.g. a bad
        parameter), so status and pages show the error like any other failed run."""
        text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
        start = RunStart(spec.name, spec.version, spec.checksum, params_json(dict(params or {})),
                         account, RunMode.FULL)  # fmt: skip
        run = self.ledger.start(start)
        return self.ledger.finish(run.run_id, RunEnd(RunStatus.FAILED, 0, 0, 0, text, None))

    def read(self, name: str) -> Snapshot | None:
        """The published snapshot of query `name`, or None when it was never refreshed."""
        return self._reader.read(name)

    def runs(self, name: str | None = None, limit: int = 100) -> list[RunRecord]:
        """Refresh runs, newest first (runs of killed processes show as interrupted)."""
        self.ledger.reap()
        return self.ledger.runs(name, limit)

    def last_run(self, name: str) -> RunRecord | None:
        """The newest run of `name`, whatever its status."""
        found = self.ledger.runs(name, 1)
        return found[0] if found else None

    def status(self, catalog: Iterable[QuerySpec], now: datetime) -> list[QueryStatus]:
        """Freshness and health of every cached query of `catalog` at `now`."""
        self.ledger.reap()
        specs = catalog.values() if isinstance(catalog, Mapping) else catalog
        return catalog_status(specs, self.read, self.last_run, now)

    def history(self, name: str | None = None, since: datetime | None = None) -> pd.DataFrame:
        """KPI aggregates appended at each publish: run_id, query, at, group, rows, amount."""
        return self.kpis.frame(name, since)

    def running(self) -> list[RunRecord]:
        """Runs still in progress (after marking those of vanished processes interrupted)."""
        self.ledger.reap()
        return self.ledger.runs(status=RunStatus.RUNNING)

    def close(self) -> None:
        """Close the snapshot connections this cache holds."""
        self._reader.close()
