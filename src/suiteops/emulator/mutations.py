"""`mutate_during_paging`: rows really change between page requests.

Before each SuiteQL request runs, one write transaction:
1. inserts a new sales order (status B, a mainline and two item lines) with the next id, so it
   sorts after every existing row;
2. deletes one sales order that nothing links to (status A or B, no fulfillment or bill), chosen
   at random, with its lines: every row after it moves one offset down, so offset paging skips a
   row while keyset paging (`WHERE id > :last ORDER BY id`) does not;
3. touches another sales order's `lastmodifieddate` and memo.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

import duckdb

from suiteops.emulator.database import EmulatorDatabase

_DELETABLE = """
    SELECT t.id FROM transaction t
    WHERE t.type = 'SalesOrd' AND t.status IN ('A', 'B')
      AND NOT EXISTS (SELECT 1 FROM nexttransactionlinelink l WHERE l.previousdoc = t.id)
      AND NOT EXISTS (SELECT 1 FROM transactionline f WHERE f.createdfrom = t.id)
    ORDER BY t.id
"""


class PagingMutator:
    """Inserts, deletes and updates sales orders, one set of changes per call."""

    def __init__(self, db: EmulatorDatabase, seed: int, clock: Callable[[], float]):
        self._db = db
        self._rng = random.Random(seed * 7919 + 1)
        self._clock = clock

    def mutate(self) -> None:
        """Apply one insert, one delete and one update in a single transaction."""
        now = dt.datetime.fromtimestamp(self._clock(), dt.UTC).replace(tzinfo=None)
        with self._db.write() as cur:
            self._insert(cur, now)
            deletable = [row[0] for row in cur.execute(_DELETABLE).fetchall()]
            if len(deletable) > 1:
                victim = self._rng.choice(deletable[:-1])
                cur.execute("DELETE FROM transactionline WHERE transaction = ?", [victim])
                cur.execute("DELETE FROM transaction WHERE id = ?", [victim])
            self._touch(cur, now)

    def _insert(self, cur: duckdb.DuckDBPyConnection, now: dt.datetime) -> None:
        new_id, key = cur.execute(
            "SELECT coalesce(max(id), 0) + 1, "
            "(SELECT coalesce(max(uniquekey), 0) + 1 FROM transactionline) FROM transaction"
        ).fetchone() or (1, 1)
        entity = _pick(cur, "SELECT id FROM customer ORDER BY id", self._rng)
        items = cur.execute(
            "SELECT id FROM item WHERE itemtype = 'InvtPart' ORDER BY id"
        ).fetchall()
        location = _pick(cur, "SELECT id FROM location ORDER BY id", self._rng)
        cur.execute(
            "INSERT INTO transaction (id, tranid, type, recordtype, status, trandate, createddate,"
            " lastmodifieddate, entity, otherrefnum, foreigntotal, total, memo)"
            " VALUES (?, ?, 'SalesOrd', 'salesorder', 'B', ?, ?, ?, ?, ?, 20, 20, ?)",
            [
                new_id,
                f"SO{new_id}",
                now.date(),
                now,
                now,
                entity,
                f"#P{new_id}",
                "created during paging",
            ],
        )
        lines = [(0, "T", None, None, None)]
        for line in (1, 2):
            item = self._rng.choice(items)[0] if items else None
            lines.append((line, "F", item, -1, -10))
        for offset, (line, main, item, qty, amount) in enumerate(lines):
            cur.execute(
                "INSERT INTO transactionline (transaction, id, uniquekey, linesequencenumber,"
                " mainline, item, itemtype, quantity, quantityshiprecv, quantitybilled,"
                " fulfillable, location, rate, amount, foreignamount, entity,"
                " linelastmodifieddate)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, 10, ?, ?, ?, ?)",
                [
                    new_id,
                    line,
                    key + offset,
                    line,
                    main,
                    item,
                    "InvtPart" if item else None,
                    qty,
                    "F" if main == "T" else "T",
                    location,
                    amount if main == "F" else 20,
                    amount if main == "F" else 20,
                    entity,
                    now,
                ],
            )

    def _touch(self, cur: duckdb.DuckDBPyConnection, now: dt.datetime) -> None:
        target = _pick(
            cur, "SELECT id FROM transaction WHERE type = 'SalesOrd' ORDER BY id", self._rng
        )
        if target is not None:
            cur.execute(
                "UPDATE transaction SET lastmodifieddate = ?, memo = 'edited during paging'"
                " WHERE id = ?",
                [now, target],
            )


def _pick(cur: duckdb.DuckDBPyConnection, sql: str, rng: random.Random) -> int | None:
    rows = cur.execute(sql).fetchall()
    return int(rng.choice(rows)[0]) if rows else None
