"""SuiteQL text through sqlglot (read as Oracle): parse, check, inspect and render parameters.

Query files reference parameters as Oracle-style `:name` placeholders. `render` replaces each one
in the syntax tree, never in the text, so no value can change the statement's structure:

- bound mode (NetSuite 2026.2+, DOC:section_157909186990): each placeholder becomes `?` and the
  value goes, as a string, into `Rendered.params` in order of appearance;
- literal mode (older accounts): typed literals. Strings are quoted by the SQL generator, ints
  pass `int()`, decimals `Decimal`, dates only as `TO_DATE('YYYY-MM-DD', 'YYYY-MM-DD')`
  (SuiteQL has no date literals, DOC:article_0824094533), booleans as `'T'`/`'F'`.

Output is written by `SUITEQL`, sqlglot's Oracle dialect with one change: a row limit is written
as SuiteQL's `TOP n` (DOC:section_156257790831) rather than `FETCH FIRST`, which SuiteQL does not
document. `BUILTIN.DF(...)`, `NVL`, `ROWNUM`, `||` and `SYSDATE` survive the round trip as is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.dialects.oracle import Oracle
from sqlglot.errors import ParseError
from sqlglot.tokens import TokenType

from suiteops.errors import ParameterError, QueryFileError
from suiteops.models import ColumnType
from suiteops.sql.values import bound_value, infer_type, literal_node

__all__ = [
    "SUITEQL",
    "Rendered",
    "check_select_only",
    "has_unique_order_by",
    "key_bounds_query",
    "key_summary_query",
    "keyset_query",
    "order_by_columns",
    "output_columns",
    "parse",
    "placeholders",
    "render",
    "to_text",
]


class SuiteQL(Oracle):
    """sqlglot's Oracle dialect, writing row limits as SuiteQL's `TOP n`."""

    class Generator(Oracle.Generator):
        """Oracle's generator with `TOP n` instead of `FETCH FIRST n ROWS ONLY`."""

        LIMIT_IS_TOP = True


SUITEQL = SuiteQL
_QUERY_TYPES = (exp.Select, exp.Union, exp.Intersect, exp.Except)


def parse(sql: str, *, path: str = "<query>") -> exp.Expression:
    """Parse one SuiteQL statement; a syntax error becomes `QueryFileError` with line and column."""
    try:
        trees = [t for t in sqlglot.parse(sql, read="oracle") if t is not None]
    except ParseError as exc:
        first = exc.errors[0] if exc.errors else {}
        message = str(first.get("description") or exc).split("\n")[0]
        raise QueryFileError(
            f"SuiteQL syntax error: {message}", path, first.get("line"), first.get("col")
        ) from None
    if not trees:
        raise QueryFileError("no SQL statement found", path)
    if len(trees) > 1:
        raise QueryFileError(f"one statement expected, found {len(trees)}", path)
    return trees[0]


def check_select_only(tree: exp.Expression, *, path: str = "<query>") -> None:
    """Raise `QueryFileError` unless `tree` is one read-only query (SELECT or a set operation)."""
    if not isinstance(tree, _QUERY_TYPES):
        kind = type(tree).__name__.upper()
        raise QueryFileError(f"only a single SELECT is allowed, found {kind}", path)
    if isinstance(tree, exp.Select) and tree.args.get("into"):
        raise QueryFileError("SELECT ... INTO is not allowed", path)
    for node in tree.walk():
        if isinstance(node, exp.DML | exp.DDL | exp.Command):
            name = type(node).__name__.upper()
            raise QueryFileError(f"only a single SELECT is allowed, found {name} inside", path)
    if any(isinstance(node, exp.With) for node in tree.walk()):
        raise QueryFileError("WITH is not supported by SuiteQL (DOC:article_0824094533)", path)


def _leftmost_select(tree: exp.Expression) -> exp.Select:
    while isinstance(tree, exp.SetOperation):
        tree = tree.this
    if not isinstance(tree, exp.Select):
        raise TypeError(f"not a SELECT: {type(tree).__name__}")
    return tree


def output_columns(tree: exp.Expression) -> tuple[str, ...]:
    """The result's column names, lower-case, in SELECT-list order (as NetSuite returns keys).

    An unaliased expression gets `expr<n>` (counted among unaliased expressions); a star stays
    `*`, meaning "whatever columns come back".
    """
    names: list[str] = []
    unnamed = 0
    for item in _leftmost_select(tree).expressions:
        if isinstance(item, exp.Star) or (isinstance(item, exp.Column) and item.is_star):
            name = "*"
        elif isinstance(item, exp.Alias | exp.Column):
            name = item.alias_or_name
        else:
            unnamed += 1
            name = f"expr{unnamed}"
        names.append(name.lower())
    return tuple(names)


def placeholders(tree: exp.Expression) -> tuple[str, ...]:
    """Named `:params` in order of first appearance (each name once)."""
    seen: dict[str, None] = {}
    for node in tree.find_all(exp.Placeholder, bfs=False):
        if node.this:
            seen.setdefault(str(node.this).lower(), None)
    return tuple(seen)


def has_unique_order_by(tree: exp.Expression) -> bool:
    """True when the statement has a top-level ORDER BY (the catalog checks key ⊆ ORDER BY)."""
    return tree.args.get("order") is not None


def order_by_columns(tree: exp.Expression) -> tuple[str, ...]:
    """The top-level ORDER BY terms as lower-case output names (ordinals resolved, `t.` dropped)."""
    order = tree.args.get("order")
    if order is None:
        return ()
    columns = output_columns(tree)
    names: list[str] = []
    for ordered in order.expressions:
        term = ordered.this
        if isinstance(term, exp.Literal) and not term.is_string and term.name.isdigit():
            position = int(term.name)
            names.append(columns[position - 1] if 0 < position <= len(columns) else term.name)
        elif isinstance(term, exp.Column):
            names.append(term.name.lower())
        else:
            names.append(term.sql(SUITEQL).lower())
    return tuple(names)


def to_text(tree: exp.Expression) -> str:
    """Write a tree back as SuiteQL (Oracle syntax, `TOP n`)."""
    return tree.sql(SUITEQL)


@dataclass(frozen=True)
class Rendered:
    """A statement ready to send: text, and the bound values (None in literal mode)."""

    text: str
    params: tuple[str, ...] | None


def render(
    sql: str,
    values: Mapping[str, object],
    types: Mapping[str, ColumnType],
    *,
    bound: bool,
) -> Rendered:
    """Replace every `:name` in `sql` through the syntax tree (see the module docstring).

    A value of None renders as NULL (callers pass None for an unset optional parameter). A
    placeholder without a value, or a value without a placeholder, is a `ParameterError`.
    """
    tree = parse(sql)
    wanted = placeholders(tree)
    given = {name.lower(): value for name, value in values.items()}
    kinds = {name.lower(): kind for name, kind in types.items()}
    _check_names(wanted, given)
    slots: dict[str, str] = {}
    for node in list(tree.find_all(exp.Placeholder, bfs=False)):
        if not node.this:
            raise ParameterError("anonymous '?' placeholder in query text; use :name")
        name = str(node.this).lower()
        value = given[name]
        kind = kinds.get(name) or infer_type(value, name)
        node.replace(_replacement(node, name, value, kind, bound, slots))
    if not bound:
        return Rendered(to_text(tree), None)
    return Rendered(*_bind_in_text_order(tree, slots))


def _bind_in_text_order(tree: exp.Expression, slots: dict[str, str]) -> tuple[str, tuple[str, ...]]:
    """Values in the order their `?` appears in the written text (tree order may differ)."""
    marked = to_text(tree)
    tokens = SUITEQL().tokenize(marked)
    order = [
        tokens[i + 1].text
        for i, token in enumerate(tokens[:-1])
        if token.token_type == TokenType.COLON and tokens[i + 1].text in slots
    ]
    for node in list(tree.find_all(exp.Placeholder)):
        if node.this in slots:
            node.replace(exp.Placeholder())
    return to_text(tree), tuple(slots[marker] for marker in order)


def _check_names(wanted: tuple[str, ...], given: Mapping[str, object]) -> None:
    missing = [name for name in wanted if name not in given]
    if missing:
        raise ParameterError("no value given", name=missing[0])
    unknown = sorted(set(given) - set(wanted))
    if unknown:
        raise ParameterError(
            f"not a parameter of this query (it has: {', '.join(wanted) or 'none'})",
            name=unknown[0],
        )


def _replacement(
    node: exp.Placeholder,
    name: str,
    value: object,
    kind: ColumnType,
    bound: bool,
    slots: dict[str, str],
) -> exp.Expression:
    """The node standing in for one placeholder; in bound mode a marked slot, its value kept."""
    if value is None:
        return exp.Null()
    inside_conversion = isinstance(node.parent, exp.StrToDate | exp.StrToTime) and (
        node.arg_key == "this"
    )
    if bound:
        text, wrap = bound_value(value, kind, name)
        marker = f"suiteops_slot_{len(slots)}"
        slots[marker] = text
        slot: exp.Expression = exp.Placeholder(this=marker)
        return slot if inside_conversion or wrap is None else wrap(slot)
    return literal_node(value, kind, name, as_text=inside_conversion)


def keyset_query(sql: str, key: str, *, after: object = None, upto: object = None) -> str:
    """Wrap a query for keyset paging: `SELECT * FROM (<sql without ORDER BY>) WHERE key > after
    [AND key <= upto] ORDER BY key`. `key` must be one of the query's output columns."""
    column = exp.column(key.lower())
    wrapped = _keyed_subquery(sql, key, after, upto, exp.Star())
    return to_text(wrapped.order_by(exp.Ordered(this=column)))


def key_summary_query(sql: str, key: str, *, upto: object) -> str:
    """`SELECT COUNT(*) AS n, SUM(key) AS s FROM (<sql>) WHERE key <= upto`: a checksum of the
    rows up to a key, to verify that offset pages read while rows changed add up."""
    column = exp.column(key.lower())
    count = exp.alias_(exp.Count(this=exp.Star()), "n")
    total = exp.alias_(exp.Sum(this=column), "s")
    return to_text(_keyed_subquery(sql, key, None, upto, count, total))


def key_bounds_query(sql: str, key: str) -> str:
    """`SELECT COUNT(*) AS n, COUNT(DISTINCT key) AS d, MIN(key) AS lo, MAX(key) AS hi FROM
    (<sql>)`: whether the key is unique, and how to split a keyset read into key ranges (Oracle
    recommends id ranges for large pulls, DOC:article_0824094533)."""
    column = exp.column(key.lower())
    count = exp.alias_(exp.Count(this=exp.Star()), "n")
    distinct = exp.alias_(exp.Count(this=exp.Distinct(expressions=[column.copy()])), "d")
    low = exp.alias_(exp.Min(this=column.copy()), "lo")
    high = exp.alias_(exp.Max(this=column.copy()), "hi")
    return to_text(_keyed_subquery(sql, key, None, None, count, distinct, low, high))


def _keyed_subquery(
    sql: str, key: str, after: object, upto: object, *select: exp.Expression
) -> exp.Select:
    tree = parse(sql)
    columns = output_columns(tree)
    key = key.lower()
    if key not in columns and "*" not in columns:
        raise ParameterError(
            f"keyset key is not an output column (columns: {', '.join(columns)})", name=key
        )
    inner = tree.copy()
    inner.set("order", None)
    column = exp.column(key)
    conditions = []
    if after is not None:
        conditions.append(exp.GT(this=column.copy(), expression=literal_node(after, None, key)))
    if upto is not None:
        conditions.append(exp.LTE(this=column.copy(), expression=literal_node(upto, None, key)))
    wrapped = exp.select(*select).from_(exp.Subquery(this=inner))
    return wrapped.where(exp.and_(*conditions)) if conditions else wrapped
