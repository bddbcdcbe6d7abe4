"""`Cache`: the one object the rest of SuiteOps uses to reach snapshots, runs, history and audit."""

from __future__ import annotations

from pathlib import Path

from suiteops.cache.audit import AuditLog
from suiteops.cache.ledger import LedgerDB


class Cache:
    """The cache rooted at `root` (usually the settings' data_dir)."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.db = LedgerDB(self.root / "ledger.sqlite3")
        self.audit = AuditLog(self.db)
