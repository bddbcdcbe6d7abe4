"""The audit log of recovery actions: append-only rows in the shared SQLite ledger file.

Recovery actions (teammate module `suiteops.actions`) append one entry per execution attempt,
with its actor, and look entries up by idempotency key to make a repeated execution a no-op.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

import pandas as pd

from suiteops.cache.ledger import LedgerDB
from suiteops.cache.records import AuditEntry, from_text, to_text
from suiteops.errors import CacheError

COLUMNS = (
    "entry_id", "actor", "at", "action", "target", "plan", "result", "record_ids", "error",
    "idempotency_key",
)  # fmt: skip

FILTERS = {
    "actor": "actor = ?",
    "action": "action = ?",
    "target": "target = ?",
    "result": "result = ?",
    "since": "at >= ?",
    "until": "at < ?",
}


class AuditLog:
    """Append and search audit entries; safe from many processes and threads at once."""

    def __init__(self, db: LedgerDB):
        self.db = db

    def append(self, entry: AuditEntry) -> AuditEntry:
        """Store `entry` and return it with its assigned `entry_id`."""
        _validate(entry)
        row = (
            entry.actor, to_text(entry.at), entry.action, str(entry.target), entry.plan,
            entry.result, json.dumps([str(r) for r in entry.record_ids]), entry.error,
            entry.idempotency_key,
        )  # fmt: skip
        with self.db.connect() as con:
            cur = con.execute(
                "INSERT INTO audit (actor, at, action, target, plan, result, record_ids, error,"
                " idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            entry_id = cur.lastrowid
        return _from_row(dict(zip(COLUMNS, (entry_id, *row), strict=True)))

    def entries(
        self,
        *,
        actor: str | None = None,
        action: str | None = None,
        target: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        result: str | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame:
        """Entries matching every given filter, newest first (`until` is exclusive)."""
        given = {"actor": actor, "action": action, "target": target, "result": result}
        given |= {"since": to_text(since), "until": to_text(until)}
        used = {k: v for k, v in given.items() if v is not None}
        where = " AND ".join(FILTERS[k] for k in used) or "1 = 1"
        sql = (
            f"SELECT {', '.join(COLUMNS)} FROM audit WHERE {where} ORDER BY at DESC, entry_id DESC"
        )
        values: list[object] = [str(v) for v in used.values()]
        if limit is not None:
            sql += " LIMIT ?"
            values.append(int(limit))
        with self.db.connect() as con:
            rows = con.execute(sql, values).fetchall()
        return _frame(rows)

    def find_by_key(self, idempotency_key: str, *, result: str | None = None) -> AuditEntry | None:
        """The newest entry with this idempotency key (and `result`, when given), or None."""
        sql = f"SELECT {', '.join(COLUMNS)} FROM audit WHERE idempotency_key = ?"
        values = [idempotency_key]
        if result is not None:
            sql += " AND result = ?"
            values.append(result)
        with self.db.connect() as con:
            row = con.execute(sql + " ORDER BY entry_id DESC LIMIT 1", values).fetchone()
        return None if row is None else _from_row(dict(row))


def _validate(entry: AuditEntry) -> None:
    for name in ("actor", "action", "result"):
        if not isinstance(getattr(entry, name), str) or not getattr(entry, name):
            raise CacheError(f"audit entry: {name} must be a non-empty string")
    if not isinstance(entry.at, datetime):
        raise CacheError(f"audit entry: at must be a datetime, got {entry.at!r}")
    try:
        json.loads(entry.plan)
    except (TypeError, ValueError) as exc:
        raise CacheError(
            f"audit entry for {entry.action} on {entry.target}: plan is not JSON: {exc}"
        ) from None


def _from_row(row: dict[str, object] | sqlite3.Row) -> AuditEntry:
    at = from_text(str(row["at"]))
    assert at is not None
    return AuditEntry(
        actor=str(row["actor"]),
        at=at,
        action=str(row["action"]),
        target=str(row["target"]),
        plan=str(row["plan"]),
        result=str(row["result"]),
        record_ids=tuple(json.loads(str(row["record_ids"]))),
        error=row["error"],  # type: ignore[arg-type]
        idempotency_key=row["idempotency_key"],  # type: ignore[arg-type]
        entry_id=int(row["entry_id"]),  # type: ignore[arg-type]
    )


def _frame(rows: list[sqlite3.Row]) -> pd.DataFrame:
    frame = pd.DataFrame([tuple(r) for r in rows], columns=list(COLUMNS))
    frame["at"] = pd.to_datetime(frame["at"], utc=True, format="ISO8601")
    frame["record_ids"] = frame["record_ids"].map(lambda text: tuple(json.loads(text)))
    return frame
