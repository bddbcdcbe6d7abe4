"""What every step of the SuiteQL → DuckDB translation shares: the error, and the typed schema.

The error carries NetSuite's `o:errorCode` and the human `detail` the server puts into its
400 response (NetSuite REST error shape, DOC:section_156570709583). The typed schema is read back
from DuckDB after `schema.create_schema`, so the types the translator reasons about are exactly the
types the emulator's tables have.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

import duckdb
from sqlglot import exp

from suiteops.emulator import schema

# `SELECT ... FROM dual` works on NetSuite (PostHog's probe query); DuckDB has no such table, so
# the translation swaps it for a one-row subquery with Oracle's single `dummy` column.
DUAL = "dual"
DUAL_COLUMNS: Mapping[str, str] = MappingProxyType({"dummy": "VARCHAR"})

DATE_TYPES = (exp.DataType.Type.DATE, exp.DataType.Type.DATE32)
TIMESTAMP_TYPES = (
    exp.DataType.Type.TIMESTAMP,
    exp.DataType.Type.DATETIME,
    exp.DataType.Type.TIMESTAMPTZ,
    exp.DataType.Type.TIMESTAMPLTZ,
    exp.DataType.Type.TIMESTAMP_S,
    exp.DataType.Type.TIMESTAMP_MS,
    exp.DataType.Type.TIMESTAMP_NS,
)


class ErrorCode(StrEnum):
    """The `o:errorCode` a dialect error is reported with."""

    # The query text itself is wrong: syntax, unknown record or field, placeholder count.
    INVALID_PARAMETER = "INVALID_PARAMETER"
    # The query is well-formed but SuiteQL refuses the construct (non-SELECT, WITH, LIMIT, ...).
    USER_ERROR = "USER_ERROR"


class DialectError(Exception):
    """A SuiteQL text the emulator (like NetSuite) refuses; `code` and `detail` go to the 400."""

    def __init__(self, detail: str, code: ErrorCode | str = ErrorCode.INVALID_PARAMETER):
        self.code = ErrorCode(code).value
        self.detail = detail
        super().__init__(f"{self.code}: {detail}")


def refuse(detail: str) -> DialectError:
    """A `USER_ERROR` for a construct SuiteQL does not accept."""
    return DialectError(detail, ErrorCode.USER_ERROR)


@functools.cache
def _typed_schema() -> Mapping[str, Mapping[str, str]]:
    con = duckdb.connect(":memory:")
    try:
        schema.create_schema(con)
        rows = con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
        ).fetchall()
    finally:
        con.close()
    tables: dict[str, dict[str, str]] = {}
    for table, column, data_type in rows:
        tables.setdefault(table.lower(), {})[column.lower()] = data_type
    tables[DUAL] = dict(DUAL_COLUMNS)
    return MappingProxyType({name: MappingProxyType(cols) for name, cols in tables.items()})


def typed_schema() -> Mapping[str, Mapping[str, str]]:
    """Every queryable table (plus `transactionstatus` and `dual`) → column → DuckDB type name."""
    return _typed_schema()


def sqlglot_schema() -> dict[str, dict[str, str]]:
    """A fresh, mutable copy of `typed_schema()` in the shape sqlglot's optimizer expects."""
    return {name: dict(columns) for name, columns in typed_schema().items()}


def is_date(node: exp.Expression) -> bool:
    """True when the (annotated) expression is a DATE."""
    return node.type is not None and node.type.this in DATE_TYPES


def is_timestamp(node: exp.Expression) -> bool:
    """True when the (annotated) expression is a TIMESTAMP of any precision."""
    return node.type is not None and node.type.this in TIMESTAMP_TYPES


def is_temporal(node: exp.Expression) -> bool:
    """True for a DATE or a TIMESTAMP."""
    return is_date(node) or is_timestamp(node)


def typed(node: exp.Expression, type_name: str) -> exp.Expression:
    """Give a freshly built node its type so enclosing rewrites can dispatch on it."""
    node.type = exp.DataType.build(type_name)
    return node
