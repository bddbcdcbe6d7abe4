"""Snapshots of the emulator's tables and their differences, for "changes exactly the plan"."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# table → its key columns (link tables: the whole row).
KEYS: dict[str, tuple[str, ...]] = {
    "transaction": ("id",),
    "transactionline": ("transaction", "id"),
    "nexttransactionlinelink": (),
    "previoustransactionlinelink": (),
    "nexttransactionlink": (),
    "trackingnumber": ("id",),
    "trackingnumbermap": (),
    "itemfulfillmentpackage": ("id",),
    "inventoryassignment": ("id",),
    "customer": ("id",),
    "item": ("id",),
}


@dataclass
class TableDiff:
    """Rows added, removed and changed (key → {column: (before, after)}) in one table."""

    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: dict[tuple[Any, ...], dict[str, tuple[Any, Any]]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def snapshot(emu: Any) -> dict[str, dict[tuple[Any, ...], dict[str, Any]]]:
    """Every row of every table in KEYS, keyed by its key columns."""
    out = {}
    for table, key in KEYS.items():
        names = [r[0] for r in emu.sql(f"SELECT column_name FROM (DESCRIBE {table})")]
        rows = [dict(zip(names, row, strict=True)) for row in emu.sql(f"SELECT * FROM {table}")]
        cols = key or tuple(names)
        out[table] = {tuple(r[c] for c in cols): r for r in rows}
    return out


def diff(before: dict, after: dict) -> dict[str, TableDiff]:
    """Per table, what changed between two snapshots (tables without changes left out)."""
    result = {}
    for table in KEYS:
        old, new = before[table], after[table]
        d = TableDiff(
            added=[new[k] for k in new.keys() - old.keys()],
            removed=[old[k] for k in old.keys() - new.keys()],
        )
        for k in old.keys() & new.keys():
            cells = {c: (old[k][c], new[k][c]) for c in old[k] if old[k][c] != new[k][c]}
            if cells:
                d.changed[k] = cells
        if not d.empty:
            result[table] = d
    return result
