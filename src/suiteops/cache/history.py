"""KPI history: at each publish, the new snapshot's row count and amount per group are appended.

Which column is the amount and which the group comes from the query header (`-- kpi:`). A query
without a group gets one row per publish with group None; without an amount, amount is None.
Pages chart trends from this table without keeping old snapshots around.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from suiteops.cache.ledger import LedgerDB
from suiteops.cache.records import to_text

COLUMNS = ("run_id", "query", "at", "group", "rows", "amount")


@dataclass(frozen=True)
class KpiRow:
    """One aggregate of one published snapshot: a group value, its row count and amount sum."""

    group: str | None
    rows: int
    amount: float | None


class History:
    """Append and read KPI aggregates."""

    def __init__(self, db: LedgerDB):
        self.db = db

    def append(self, run_id: str, query: str, at: datetime, kpis: list[KpiRow]) -> None:
        """Store the aggregates of one publish."""
        rows = [(run_id, query, to_text(at), k.group, k.rows, k.amount) for k in kpis]
        with self.db.connect() as con:
            con.executemany(
                "INSERT INTO history (run_id, query, at, grp, rows, amount)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )

    def frame(self, name: str | None = None, since: datetime | None = None) -> pd.DataFrame:
        """History rows (oldest first), optionally of one query and from `since` on."""
        clauses, values = [], []
        if name is not None:
            clauses.append("query = ?")
            values.append(name)
        if since is not None:
            clauses.append("at >= ?")
            values.append(to_text(since))
        where = " AND ".join(clauses) or "1 = 1"
        sql = (
            f"SELECT run_id, query, at, grp, rows, amount FROM history WHERE {where}"
            " ORDER BY at, query, grp"
        )
        with self.db.connect() as con:
            rows = [tuple(r) for r in con.execute(sql, values).fetchall()]
        frame = pd.DataFrame(rows, columns=list(COLUMNS))
        frame["at"] = pd.to_datetime(frame["at"], utc=True, format="ISO8601")
        frame["rows"] = frame["rows"].astype("int64")
        frame["amount"] = frame["amount"].astype("float64")
        return frame
