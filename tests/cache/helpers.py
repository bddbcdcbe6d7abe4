"""Shared builders for cache tests: a small typed QuerySpec and rows for it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from suiteops.catalog import QuerySpec
from suiteops.models import ColumnSpec, ColumnType

COLUMNS = (
    ColumnSpec("line_key", ColumnType.TEXT),
    ColumnSpec("so_id", ColumnType.INT),
    ColumnSpec("amount", ColumnType.DECIMAL),
    ColumnSpec("trandate", ColumnType.DATE),
    ColumnSpec("modified", ColumnType.DATETIME),
    ColumnSpec("is_open", ColumnType.BOOL),
    ColumnSpec("location", ColumnType.TEXT),
)


def make_spec(name: str = "orders", **changes: Any) -> QuerySpec:
    """A QuerySpec over COLUMNS (no file behind it: the cache only reads its metadata)."""
    base: dict[str, Any] = dict(
        name=name, title=f"{name} title", description="test query", version=1, params=(),
        columns=COLUMNS, key="line_key", refresh=timedelta(minutes=15), incremental="modified",
        kpi_amount="amount", kpi_group="location", template="SELECT 1 FROM dual ORDER BY 1\n",
        path=Path(f"/nowhere/{name}.sql"), sql_line=1, checksum="c1",
    )  # fmt: skip
    base.update(changes)
    return QuerySpec(**base)


def make_row(i: int, *, amount: str = "10.50", location: str | None = None) -> dict[str, Any]:
    """One row of the test query; `i` is the key."""
    return {
        "line_key": f"k{i:06d}",
        "so_id": i,
        "amount": Decimal(amount),
        "trandate": date(2026, 11, 1) + timedelta(days=i % 30),
        "modified": datetime(2026, 11, 1, 12, 0) + timedelta(minutes=i),
        "is_open": i % 2 == 0,
        "location": location or ("East" if i % 3 else "West"),
    }


def pages(n_rows: int, page_size: int = 1000, start: int = 0) -> list[list[dict[str, Any]]]:
    """Rows start..start+n_rows split into pages."""
    rows = [make_row(i) for i in range(start, start + n_rows)]
    return [rows[i : i + page_size] for i in range(0, len(rows), page_size)]
