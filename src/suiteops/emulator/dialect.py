"""SuiteQL (Oracle-flavoured, as NetSuite runs it) translated to DuckDB SQL with NetSuite's meaning.

    translate(suiteql, param_count=n) -> Translation(sql, columns)
    install_functions(con)            # the macros translated SQL calls

The text is parsed with sqlglot's Oracle reader, checked, qualified against the emulated account's
schema (`schema.TABLES` plus `transactionstatus` and `dual`), rewritten, and written as DuckDB SQL
with `?` placeholders kept in order. The steps live in sibling modules:
`dialect_checks` (refusals), `dialect_functions` and `dialect_masks` (Oracle functions, format
masks, date arithmetic), `dialect_builtins` (BUILTIN.DF / BUILTIN.CF), `dialect_rownum` (ROWNUM).

Choices where NetSuite's behaviour is uncertain or undocumented (reference/netsuite.md §3, §8):
- WITH (CTE): Oracle's help says SuiteQL "can't use WITH"; some practitioners run it anyway.
  Refused (USER_ERROR), so queries that pass here also pass on accounts that refuse it.
- LIMIT and FETCH FIRST: not documented for SuiteQL. Refused; use TOP n or the REST `limit`.
- Date literals (`DATE '2024-01-01'`, `TIMESTAMP '...'`): documented as not allowed. Refused.
- LISTAGG: Oracle lists it as unsupported, some practitioners use it. Refused, like WITH.
- `(+)` outer joins: documented as not allowed. Refused. Named binds (`:name`): refused; the
  2026.2 bound parameters are anonymous `?` only.
- Errors: an unknown table is "Record '<name>' was not found.", an unknown column
  "Unknown identifier '<name>'" (the texts hotglue parses); both INVALID_PARAMETER, like syntax
  errors and a placeholder count that differs from `params`. Refused constructs are USER_ERROR.
- Output keys: lower-case (DOC:section_156257796125); an unaliased column is named after the
  column (and a bare ROWNUM `rownum`); an unaliased expression is `expr1`, `expr2`, ...
  numbered among unaliased expressions. That naming is unconfirmed (no source in the
  reference), so queries should alias every expression. A UNION takes the first branch's names.
- SYSDATE and CURRENT_TIMESTAMP: the emulator's local time as a TIMESTAMP (Tim Dietrich:
  server time); CURRENT_DATE: the local date as a DATE.
- TO_DATE without a mask reads the US user format M/D/YYYY; TO_DATE with a time in its mask
  yields a TIMESTAMP (Oracle DATEs carry a time), otherwise a DATE.
- Identifiers are case-insensitive, quoted or not.
- Oracle forms DuckDB cannot express as written (e.g. INSTR with an occurrence argument) are
  refused with USER_ERROR "Not supported by the emulator: ...", never approximated.
Values are not formatted as NetSuite strings here; the server does that.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from sqlglot import exp
from sqlglot.errors import ErrorLevel, OptimizeError, UnsupportedError
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.optimizer.qualify import qualify

from suiteops.emulator.dialect_builtins import mark_builtins, resolve_builtins
from suiteops.emulator.dialect_checks import (
    check_placeholders,
    check_statement,
    check_tables,
    check_tokens,
    parse,
    tokenize,
)
from suiteops.emulator.dialect_core import DUAL, DialectError, refuse, sqlglot_schema
from suiteops.emulator.dialect_functions import install_functions, rewrite_functions
from suiteops.emulator.dialect_rownum import is_rownum, mark_rownum, rewrite_rownum

__all__ = ["DialectError", "Translation", "install_functions", "translate"]

_UNRESOLVED = (
    re.compile(r"Column '(?P<column>[^']+)' could not be resolved for table: '(?P<table>[^']+)'"),
    re.compile(r"Column '(?P<column>[^']+)' could not be resolved"),
    re.compile(r"Unknown column: (?P<column>\S+)"),
)


@dataclass(frozen=True)
class Translation:
    """DuckDB SQL to run with the `?` parameters in order, and the output keys in SELECT order."""

    sql: str
    columns: tuple[str, ...]


@functools.lru_cache(maxsize=2048)
def translate(suiteql: str, *, param_count: int = 0) -> Translation:
    """Translate one SuiteQL SELECT into DuckDB SQL, or raise DialectError saying why not."""
    check_tokens(tokenize(suiteql))
    tree = parse(suiteql)
    check_statement(tree)
    check_placeholders(tree, param_count)
    check_tables(tree)
    spelling = _lowercase(tree)
    tree = mark_rownum(mark_builtins(tree))
    _name_outputs(tree)
    tree = _qualify(tree, spelling)
    columns = tuple(p.alias_or_name.lower() for p in _first_select(tree).selects)
    tree = annotate_types(tree, schema=sqlglot_schema())
    tree = resolve_builtins(rewrite_rownum(rewrite_functions(tree)))
    _replace_dual(tree)
    try:
        sql = tree.sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE, comments=False)
    except UnsupportedError as error:
        raise refuse(f"Not supported by the emulator: {error}") from error
    return Translation(sql=sql, columns=columns)


def _lowercase(tree: exp.Expression) -> dict[str, str]:
    """Lower-case every identifier; return lower → spelling as written, for error texts."""
    spelling: dict[str, str] = {}
    for identifier in tree.find_all(exp.Identifier):
        written = identifier.name
        spelling.setdefault(written.lower(), written)
        identifier.set("this", written.lower())
    return spelling


def _first_select(tree: exp.Expression) -> exp.Select:
    node = tree
    while isinstance(node, (exp.SetOperation, exp.Subquery)):
        node = node.this
    if not isinstance(node, exp.Select):
        raise refuse("Only SELECT queries are supported in SuiteQL.")
    return node


def _name_outputs(tree: exp.Expression) -> None:
    """Give unaliased computed projections NetSuite's `exprN` names."""
    counter = 0
    for projection in list(_first_select(tree).expressions):
        if isinstance(projection, (exp.Alias, exp.Column, exp.Star)):
            continue
        if is_rownum(projection):
            projection.replace(exp.alias_(projection.copy(), "rownum"))
            continue
        counter += 1
        projection.replace(exp.alias_(projection.copy(), f"expr{counter}"))


def _qualify(tree: exp.Expression, spelling: dict[str, str]) -> exp.Expression:
    try:
        return qualify(
            tree,
            schema=sqlglot_schema(),
            dialect="duckdb",
            quote_identifiers=False,
            identify=False,
            validate_qualify_columns=True,
        )
    except OptimizeError as error:
        raise DialectError(f"Unknown identifier '{_unresolved(str(error), spelling)}'") from error


def _unresolved(message: str, spelling: dict[str, str]) -> str:
    for pattern in _UNRESOLVED:
        match = pattern.search(message)
        if match:
            parts = [match.groupdict().get("table"), match.group("column")]
            return ".".join(spelling.get(p.lower(), p) for p in parts if p)
    return message


def _replace_dual(tree: exp.Expression) -> None:
    for table in list(tree.find_all(exp.Table)):
        if table.name == DUAL:
            row = exp.select(exp.alias_(exp.Literal.string("X"), "dummy"))
            alias = table.alias or DUAL
            table.replace(exp.Subquery(this=row, alias=exp.TableAlias(this=alias)))
