"""The SuiteOps cache: DuckDB snapshots of query results plus a SQLite run ledger and audit log.

    Cache(root)
    ├── snapshots/<query>/<run_id>.duckdb   one DuckDB file per published result, table `rows`
    ├── snapshots/<query>/current           pointer to the published file, swapped by os.replace
    └── ledger.sqlite3                      runs (provenance), KPI history, audit log (WAL mode)

Snapshots are written by one refresher at a time and only read afterwards, which is the one
pattern DuckDB supports across processes; the ledger is written by many processes, so it is
SQLite (see `ledger` for the reasoning).
"""

from suiteops.cache.audit import AuditLog
from suiteops.cache.records import AuditEntry, QueryStatus, RunMode, RunRecord, RunStatus
from suiteops.cache.store import Cache

__all__ = [
    "AuditEntry",
    "AuditLog",
    "Cache",
    "QueryStatus",
    "RunMode",
    "RunRecord",
    "RunStatus",
]
