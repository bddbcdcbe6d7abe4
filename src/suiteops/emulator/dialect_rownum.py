"""`ROWNUM` with Oracle's meaning: numbered as rows leave FROM/WHERE, before GROUP BY and ORDER BY.

A SELECT that uses ROWNUM is split in two. The inner SELECT keeps FROM, the joins and the rest of
WHERE, projects every column the outer part needs (as `<alias>__<column>`) and, when ROWNUM is
shown, `row_number() OVER ()`. An upper bound in WHERE (`ROWNUM <= n`, `ROWNUM < n`,
`ROWNUM = 1`, either way round, `n` a number or `?`) becomes the inner LIMIT, or a QUALIFY on the
row number when ROWNUM is also shown. The outer SELECT keeps projections, GROUP BY, HAVING,
ORDER BY and TOP. So `WHERE ROWNUM <= 10 ORDER BY x` sorts some 10 rows, as Oracle does, and
`SELECT COUNT(*) ... WHERE ROWNUM <= 10` counts at most 10.

Other ROWNUM predicates (`ROWNUM > 1`, which Oracle never satisfies, ranges, ROWNUM under OR) are
refused rather than imitated.
"""

from __future__ import annotations

import math

from sqlglot import exp

from suiteops.emulator.dialect_core import DialectError, typed
from suiteops.emulator.dialect_scopes import Scopes

ROWNUM = "ns_rownum"
_SOURCE = "ns_rownum_src"
_INNER_ARGS = ("from_", "joins", "where", "laterals")
_UNSUPPORTED = (
    "ROWNUM is supported in WHERE only as an upper bound (ROWNUM <= n, ROWNUM < n, "
    "ROWNUM = 1) joined with AND."
)
# bound node type → (ROWNUM on the left?, offset added to n)
_BOUNDS: dict[tuple[type[exp.Expression], bool], int] = {
    (exp.LTE, True): 0,
    (exp.GTE, False): 0,
    (exp.LT, True): -1,
    (exp.GT, False): -1,
    (exp.EQ, True): 0,
    (exp.EQ, False): 0,
}


def mark_rownum(tree: exp.Expression) -> exp.Expression:
    """Replace the bare `ROWNUM` pseudo-column by a marker call the optimizer leaves alone."""

    def visit(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and not node.table and node.name.lower() == "rownum":
            return exp.Anonymous(this=ROWNUM, expressions=[])
        return node

    return tree.transform(visit, copy=False)


def is_rownum(node: exp.Expression) -> bool:
    """True for the ROWNUM marker left by `mark_rownum`."""
    return isinstance(node, exp.Anonymous) and node.name == ROWNUM


def _bound(condition: exp.Expression) -> exp.Expression | None:
    """The limit expressed by one WHERE conjunct, or None when it does not mention ROWNUM."""
    if not any(is_rownum(n) for n in condition.walk()):
        return None
    if not isinstance(condition, exp.Binary):
        raise DialectError(_UNSUPPORTED)
    left = is_rownum(condition.this)
    value = condition.expression if left else condition.this
    offset = _BOUNDS.get((type(condition), left))
    other_is_rownum = is_rownum(condition.this if not left else condition.expression)
    if offset is None or other_is_rownum or not isinstance(value, (exp.Literal, exp.Placeholder)):
        raise DialectError(_UNSUPPORTED)
    if isinstance(condition, exp.EQ) and not (isinstance(value, exp.Literal) and value.this == "1"):
        raise DialectError(_UNSUPPORTED)
    if isinstance(value, exp.Literal):
        limit = float(value.this)
        count = math.ceil(limit) - 1 if offset else math.floor(limit)
        return exp.Literal.number(max(count, 0))
    cast = exp.cast(value.copy(), exp.DataType.Type.BIGINT)
    return exp.Add(this=cast, expression=exp.Literal.number(offset)) if offset else cast


def _take_bound(select: exp.Select) -> exp.Expression | None:
    where = select.args.get("where")
    if where is None:
        return None
    kept, bounds = [], []
    for conjunct in where.this.flatten() if isinstance(where.this, exp.And) else [where.this]:
        bound = _bound(conjunct)
        (bounds if bound is not None else kept).append(bound if bound is not None else conjunct)
    if not bounds:
        return None
    select.set("where", exp.Where(this=exp.and_(*kept)) if kept else None)
    if len(bounds) == 1:
        return bounds[0]
    return exp.Least(this=bounds[0], expressions=bounds[1:])


def _move_sources(select: exp.Select) -> exp.Select:
    """A new SELECT holding `select`'s FROM, joins and (remaining) WHERE."""
    inner = exp.Select()
    for arg in _INNER_ARGS:
        inner.set(arg, select.args.get(arg))
        select.set(arg, None)
    if any(is_rownum(n) for n in inner.walk()):
        raise DialectError(_UNSUPPORTED)
    return inner


def _project_columns(select: exp.Select, inner: exp.Select, scopes: Scopes) -> None:
    """Route every column `select` (or a correlated subquery) reads through `inner`."""
    scope = scopes.enclosing(select)
    aliases = set(scope.sources) if scope else set()
    names: dict[tuple[str, str], str] = {}
    for column in list(select.find_all(exp.Column)):
        if column.table in aliases and scopes.owner(column) is scope:
            key = (column.table, column.name)
            names.setdefault(key, f"{column.table}__{column.name}")
            column.replace(exp.column(names[key], table=_SOURCE))
    for (table, name), alias in names.items():
        inner.select(exp.alias_(exp.column(name, table=table), alias), copy=False)


def _number_rows(select: exp.Select, inner: exp.Select) -> bool:
    """Number `inner`'s rows when `select` shows ROWNUM; True if it does."""
    shown = [
        n for n in select.find_all(exp.Anonymous) if is_rownum(n) and n.parent_select is select
    ]
    if shown:
        inner.select(exp.alias_(exp.Window(this=exp.RowNumber()), ROWNUM), copy=False)
        for node in shown:
            node.replace(typed(exp.column(ROWNUM, table=_SOURCE), "BIGINT"))
    if not inner.expressions:
        inner.select(exp.Literal.number(1), copy=False)
    return bool(shown)


def _split(select: exp.Select, scopes: Scopes) -> None:
    bound = _take_bound(select)
    inner = _move_sources(select)
    _project_columns(select, inner, scopes)
    numbered = _number_rows(select, inner)
    if bound is not None and numbered:
        inner.set("qualify", exp.Qualify(this=exp.LTE(this=exp.column(ROWNUM), expression=bound)))
    elif bound is not None:
        inner.set("limit", exp.Limit(expression=bound))
    select.set("from_", exp.From(this=exp.Subquery(this=inner, alias=exp.TableAlias(this=_SOURCE))))


def rewrite_rownum(tree: exp.Expression) -> exp.Expression:
    """Split every SELECT that uses ROWNUM (innermost first) into numbering and presentation."""
    while True:
        selects = [
            s
            for s in tree.find_all(exp.Select)
            if any(is_rownum(n) and n.parent_select is s for n in s.walk())
        ]
        if not selects:
            return tree
        _split(selects[-1], Scopes(tree))
