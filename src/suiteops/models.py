"""Small shared value types: column types and column specs.

These sit at the bottom of the dependency graph (beside `config` and `errors`) so that the
client, the catalog, the cache and the views can all speak of typed columns without importing
each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ColumnType(Enum):
    """The closed set of types a query may declare for its output columns."""

    TEXT = "text"
    INT = "int"
    DECIMAL = "decimal"
    DATE = "date"
    DATETIME = "datetime"
    BOOL = "bool"

    @classmethod
    def parse(cls, word: str) -> ColumnType:
        """Return the type named by `word` (case-insensitive, a few aliases accepted)."""
        normal = _ALIASES.get(word.strip().lower(), word.strip().lower())
        try:
            return cls(normal)
        except ValueError:
            names = ", ".join(t.value for t in cls)
            raise ValueError(f"unknown column type {word!r} (expected one of: {names})") from None

    @property
    def duckdb(self) -> str:
        """The DuckDB type used to store a column of this type."""
        return _DUCKDB[self]


_ALIASES = {
    "str": "text",
    "string": "text",
    "varchar": "text",
    "integer": "int",
    "bigint": "int",
    "id": "int",
    "number": "decimal",
    "numeric": "decimal",
    "float": "decimal",
    "money": "decimal",
    "timestamp": "datetime",
    "boolean": "bool",
}

_DUCKDB = {
    ColumnType.TEXT: "VARCHAR",
    ColumnType.INT: "BIGINT",
    ColumnType.DECIMAL: "DECIMAL(18,4)",
    ColumnType.DATE: "DATE",
    ColumnType.DATETIME: "TIMESTAMP",
    ColumnType.BOOL: "BOOLEAN",
}


@dataclass(frozen=True)
class ColumnSpec:
    """One declared output column of a query: its (lower-case) name and type."""

    name: str
    type: ColumnType = ColumnType.TEXT
