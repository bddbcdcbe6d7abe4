"""Static checks of one query's SQL against its header and the SuiteQL rules of DESIGN.md.

Parsing and tree inspection are `suiteops.sql`'s (sqlglot, read as Oracle); this module decides
what is wrong and where. Rules that depend on spelling rather than structure (WITH, LISTAGG,
LIMIT, FETCH FIRST, date literals, the `(+)` outer-join marker) are found on the token stream, so
a word inside a string literal or a comment never trips them and every problem has a line and
column. A `+` used to concatenate strings cannot be told from arithmetic without types: skipped.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import TokenError
from sqlglot.tokens import Token, TokenType

from suiteops import sql
from suiteops.catalog.header import Header, HeaderKey, Problem
from suiteops.errors import QueryFileError
from suiteops.models import ColumnType


@dataclass(frozen=True)
class Source:
    """The text a check reads: same lines and columns as the file, header lines blanked."""

    path: str
    text: str

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        line = self.text.count("\n", 0, offset) + 1
        return line, offset - (self.text.rfind("\n", 0, offset) + 1) + 1

    @cached_property
    def tokens(self) -> tuple[Token, ...]:
        """The text's SuiteQL (Oracle) tokens; empty when it does not tokenize (the parser
        then reports the same text with a position)."""
        try:
            return tuple(Dialect.get_or_raise("oracle").tokenize(self.text))
        except TokenError:
            return ()

    def problem(self, offset: int, message: str) -> Problem:
        """A problem at a character offset."""
        line, column = self.position(offset)
        return Problem(self.path, line, column, message)


INCREMENTAL_PARAM = "modified_after"

# (token type, next token type or None) → message; None means "any next token".
_FORBIDDEN: dict[tuple[TokenType, TokenType | None], str] = {
    (TokenType.WITH, None): "WITH (common table expressions) is not allowed in SuiteQL; "
    "use a subquery in FROM",
    (TokenType.LIMIT, None): "LIMIT is not SuiteQL; paging is done by the client",
    (TokenType.FETCH, None): "FETCH FIRST is not SuiteQL; paging is done by the client",
    (TokenType.DATE, TokenType.STRING): "date literals are not allowed in SuiteQL; "
    "use TO_DATE('YYYY-MM-DD', 'YYYY-MM-DD')",
    (TokenType.TIMESTAMP, TokenType.STRING): "timestamp literals are not allowed in SuiteQL; "
    "use TO_TIMESTAMP(..., 'YYYY-MM-DD HH24:MI:SS')",
    (TokenType.JOIN_MARKER, None): "the Oracle outer-join marker (+) is not allowed in SuiteQL; "
    "use LEFT JOIN",
}
_FORBIDDEN_FUNCTIONS = {
    "LISTAGG": "LISTAGG is not supported by SuiteQL; return one row per value and aggregate "
    "in the view",
}


def check_tokens(source: Source) -> list[Problem]:
    """SuiteQL spelling rules on the token stream (see the module docstring)."""
    tokens = source.tokens
    problems: list[Problem] = []
    for token, following in zip(tokens, [*tokens[1:], None], strict=True):
        after = following.token_type if following else None
        message = _FORBIDDEN.get((token.token_type, None)) or _FORBIDDEN.get(
            (token.token_type, after)
        )
        if token.token_type == TokenType.VAR and after == TokenType.L_PAREN:
            message = _FORBIDDEN_FUNCTIONS.get(token.text.upper())
        if message:
            problems.append(source.problem(token.start, message))
    return problems


def placeholder_offsets(source: Source) -> dict[str, int]:
    """Each `:name` placeholder's first character offset, by lower-case name."""
    tokens = source.tokens
    found: dict[str, int] = {}
    for colon, name in itertools.pairwise(tokens):
        if colon.token_type == TokenType.COLON and name.start == colon.end + 1:
            found.setdefault(name.text.lower(), colon.start)
    return found


def parse_source(source: Source) -> tuple[exp.Expression | None, list[Problem]]:
    """Parse and check SELECT-only; problems carry the parser's line and column."""
    try:
        tree = sql.parse(source.text, path=source.path)
        sql.check_select_only(tree, path=source.path)
    except QueryFileError as exc:
        line = exc.line
        if line is None:
            line = source.position(len(source.text) - len(source.text.lstrip()))[0]
        return None, [Problem(source.path, line, exc.column, exc.message)]
    return tree, []


def check_tree(source: Source, tree: exp.Expression, header: Header) -> list[Problem]:
    """Every check that needs the parsed statement and the header."""
    return [
        *_check_columns(source, tree, header),
        *_check_order_by(source, tree, header),
        *_check_placeholders(source, tree, header),
        *_check_group_by(source, tree),
        *_check_date_format(source, tree, header),
    ]


def _header_problem(source: Source, header: Header, key: HeaderKey, message: str) -> Problem:
    return Problem(source.path, header.lines.get(key, 1), None, message)


def _check_columns(source: Source, tree: exp.Expression, header: Header) -> Iterator[Problem]:
    actual = sql.output_columns(tree)
    declared = tuple(c.name for c in header.columns)
    if "*" in actual:
        yield _header_problem(
            source, header, HeaderKey.COLUMNS, "SELECT * is not allowed: list the columns"
        )
    elif actual != declared and HeaderKey.COLUMNS in header.values:
        yield _header_problem(source, header, HeaderKey.COLUMNS, _column_diff(declared, actual))
    names = {c.name: c.type for c in header.columns}
    for key, column in _named_columns(header):
        if column not in names:
            message = f"`-- {key.value}:` names {column!r}, which is not a declared column"
            yield _header_problem(source, header, key, message)
    yield from _check_incremental(source, header, names)


def _check_incremental(
    source: Source, header: Header, names: dict[str, ColumnType]
) -> Iterator[Problem]:
    """An incremental query returns a date/datetime column and takes the optional datetime
    parameter `:modified_after` (the refresh passes watermark − overlap; None = everything)."""
    incremental = header.values.get(HeaderKey.INCREMENTAL)
    if not incremental:
        return
    if names.get(incremental) not in {None, ColumnType.DATETIME, ColumnType.DATE}:
        message = f"incremental column {incremental!r} must be a date or datetime column"
        yield _header_problem(source, header, HeaderKey.INCREMENTAL, message)
    param = next((p for p in header.params if p.name == INCREMENTAL_PARAM), None)
    if param is None or param.type is not ColumnType.DATETIME or not param.optional:
        message = (
            f"an incremental query must declare `{INCREMENTAL_PARAM} datetime optional` in "
            f"`-- params:` and filter on it (NULL means a full refresh)"
        )
        yield _header_problem(source, header, HeaderKey.INCREMENTAL, message)


def _named_columns(header: Header) -> Iterator[tuple[HeaderKey, str]]:
    for key in (HeaderKey.KEY, HeaderKey.INCREMENTAL):
        if header.values.get(key):
            yield key, header.values[key]
    for column in (header.kpi.amount, header.kpi.group):
        if column:
            yield HeaderKey.KPI, column


def _column_diff(declared: tuple[str, ...], actual: tuple[str, ...]) -> str:
    missing = [c for c in actual if c not in declared]
    extra = [c for c in declared if c not in actual]
    parts = []
    if missing:
        parts.append(f"SELECT returns undeclared column(s) {', '.join(missing)}")
    if extra:
        parts.append(f"declared column(s) {', '.join(extra)} not in the SELECT list")
    if not parts:
        parts.append(f"declared columns are in a different order than the SELECT list: "
                     f"{', '.join(actual)}")  # fmt: skip
    return "declared columns do not match the SELECT list: " + "; ".join(parts)


def _check_order_by(source: Source, tree: exp.Expression, header: Header) -> Iterator[Problem]:
    key = header.values.get(HeaderKey.KEY)
    if not sql.has_unique_order_by(tree):
        yield source.problem(
            len(source.text.rstrip()),
            f"no top-level ORDER BY: paging needs a unique order; end with ORDER BY {key or 'key'}",
        )
        return
    order = sql.order_by_columns(tree)
    if key and key not in order and key not in _ordered_aliases(tree):
        orders = [t.start for t in source.tokens if t.token_type == TokenType.ORDER_BY]
        yield source.problem(
            orders[-1] if orders else 0,  # the top-level ORDER BY is the statement's last
            f"ORDER BY ({', '.join(order)}) is not unique: it must include the key {key!r}",
        )


def _ordered_aliases(tree: exp.Expression) -> set[str]:
    """Output names whose expression is an ORDER BY term (`ORDER BY so.id` for `so.id AS so_id`)."""
    if not isinstance(tree, exp.Select):
        return set()  # a set operation orders by output names only
    terms = [ordered.this for ordered in tree.args["order"].expressions]
    return {
        item.alias.lower()
        for item in tree.expressions
        if isinstance(item, exp.Alias) and any(item.this == term for term in terms)
    }


def _check_placeholders(source: Source, tree: exp.Expression, header: Header) -> Iterator[Problem]:
    used = sql.placeholders(tree)
    declared = [p.name for p in header.params]
    offsets = placeholder_offsets(source)
    for name in used:
        if name not in declared:
            message = f"placeholder :{name} is not declared in `-- params:`"
            yield source.problem(offsets.get(name, 0), message)
    for name in declared:
        if name not in used:
            message = f"declared parameter {name!r} is not used in the query (no :{name})"
            yield _header_problem(source, header, HeaderKey.PARAMS, message)


_DATES = frozenset({ColumnType.DATE, ColumnType.DATETIME})


def _derived_aliases(select: exp.Select) -> set[str]:
    """Aliases of subqueries in FROM/JOIN: their columns are formatted inside, out of sight."""
    return {s.alias.lower() for s in select.find_all(exp.Subquery) if s.alias}


def _check_date_format(source: Source, tree: exp.Expression, header: Header) -> Iterator[Problem]:
    """Dates are shown via TO_CHAR(..., 'YYYY-MM-DD'): NetSuite sends a bare DATE in the user's
    display format (M/D/YYYY in the US), which neither sorts nor parses reliably."""
    select = tree
    while isinstance(select, exp.SetOperation):
        select = select.this
    if not isinstance(select, exp.Select) or len(select.expressions) != len(header.columns):
        return  # a column mismatch is reported by itself
    derived = _derived_aliases(select)
    for item, column in zip(select.expressions, header.columns, strict=True):
        value = item.this if isinstance(item, exp.Alias) else item
        if column.type not in _DATES or isinstance(value, exp.ToChar | exp.Null):
            continue
        if isinstance(value, exp.Column) and value.table.lower() in derived:
            continue
        message = f"date column {column.name!r} is not formatted: use TO_CHAR(..., 'YYYY-MM-DD')"
        yield _header_problem(source, header, HeaderKey.COLUMNS, message)


def _is_builtin(node: exp.Expression) -> bool:
    return isinstance(node, exp.Dot) and node.this.name.upper() == "BUILTIN"


def _check_group_by(source: Source, tree: exp.Expression) -> Iterator[Problem]:
    for group in tree.find_all(exp.Group):
        for node in group.walk():
            if _is_builtin(node):
                yield source.problem(
                    node.this.meta.get("start", 0),
                    "GROUP BY on BUILTIN.DF(...) fails on large sets: group on the raw id and "
                    "join the name (or DF the id in an outer query)",
                )
