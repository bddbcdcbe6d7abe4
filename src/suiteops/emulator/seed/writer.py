"""Appending generated numpy columns to the emulator's tables through DuckDB's Arrow scan."""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import numpy as np
import pyarrow as pa

Column = np.ndarray | pa.Array | str | int | float


def _length(columns: Mapping[str, Column]) -> int:
    """The common length of the array columns (scalars have none)."""
    sizes = {len(c) for c in columns.values() if isinstance(c, np.ndarray | pa.Array)}
    if len(sizes) != 1:
        raise ValueError(f"columns must be arrays of one length, got lengths {sorted(sizes)}")
    return sizes.pop()


def append(con: duckdb.DuckDBPyConnection, table: str, columns: Mapping[str, Column]) -> int:
    """Insert the columns (arrays of equal length; scalars are repeated) by column name.

    Columns left out take the table's default (NULL or the NetSuite default, e.g. `'F'`).
    Returns the number of rows written.
    """
    rows = _length(columns)
    if rows == 0:
        return 0
    arrays = {
        name: value if isinstance(value, np.ndarray | pa.Array) else np.full(rows, value)
        for name, value in columns.items()
    }
    con.register("_seed_rows", pa.table(arrays))
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _seed_rows")
    finally:
        con.unregister("_seed_rows")
    return rows


def timestamps(seconds: np.ndarray | int) -> np.ndarray:
    """Epoch seconds as numpy datetimes (DuckDB reads them as TIMESTAMP)."""
    return np.asarray(seconds, dtype=np.int64).astype("datetime64[s]")


def dates(seconds: np.ndarray | int) -> np.ndarray:
    """Epoch seconds as numpy dates (DuckDB reads them as DATE)."""
    return timestamps(seconds).astype("datetime64[D]")


def nullable(values: np.ndarray, present: np.ndarray) -> pa.Array:
    """Values with NULL wherever `present` is false."""
    return pa.array(values, mask=~np.asarray(present, bool))


def money(cents: np.ndarray) -> np.ndarray:
    """Cents as a decimal amount (exact after DuckDB's cast to DECIMAL(18,2))."""
    return np.asarray(cents, dtype=np.int64) / 100


def flag(values: np.ndarray) -> np.ndarray:
    """Booleans as NetSuite checkbox text, 'T' or 'F'."""
    return np.where(values, "T", "F")


def text(prefix: str, numbers: np.ndarray) -> np.ndarray:
    """`prefix` followed by each number, e.g. text('SO', [10001]) → ['SO10001']."""
    return np.strings.add(prefix, np.asarray(numbers, dtype=np.int64).astype(str))


def sequence(ids: np.ndarray, start: int) -> np.ndarray:
    """Number documents in id order from `start` (document numbers follow creation order)."""
    ranks = np.empty(ids.size, np.int64)
    ranks[np.argsort(ids, kind="stable")] = np.arange(ids.size)
    return start + ranks
