"""Appending generated numpy columns to the emulator's tables through DuckDB's pandas scan."""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import numpy as np
import pandas as pd

Column = np.ndarray | pd.api.extensions.ExtensionArray | str | int | float | None


def append(con: duckdb.DuckDBPyConnection, table: str, columns: Mapping[str, Column]) -> int:
    """Insert the columns (arrays of equal length; scalars are repeated) by column name.

    Columns left out take the table's default (NULL or the NetSuite default, e.g. `'F'`).
    Returns the number of rows written.
    """
    frame = pd.DataFrame(dict(columns))
    if frame.empty:
        return 0
    con.register("_seed_frame", frame)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _seed_frame")
    finally:
        con.unregister("_seed_frame")
    return len(frame)


def timestamps(seconds: np.ndarray | int) -> np.ndarray:
    """Epoch seconds as numpy datetimes (DuckDB reads them as TIMESTAMP)."""
    return np.asarray(seconds, dtype=np.int64).astype("datetime64[s]")


def dates(seconds: np.ndarray | int) -> np.ndarray:
    """Epoch seconds as numpy dates (DuckDB reads them as DATE)."""
    return timestamps(seconds).astype("datetime64[D]")


def nullable(values: np.ndarray, present: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Integers with NULL wherever `present` is false."""
    return pd.arrays.IntegerArray(np.asarray(values, dtype=np.int64), ~np.asarray(present, bool))


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
