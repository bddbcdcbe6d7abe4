"""Refusals: what SuiteQL does not accept, checked before anything is translated.

Each check raises `DialectError` with a NetSuite-ish detail. The choices (which uncertain
constructs are refused) are listed in `suiteops.emulator.dialect`'s module docstring.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import sqlglot
from sqlglot import exp
from sqlglot.dialects.oracle import Oracle
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import Token, TokenType

from suiteops.emulator.dialect_core import DialectError, refuse, typed_schema

_TOKEN_REFUSALS: dict[TokenType, str] = {
    TokenType.LIMIT: (
        "LIMIT is not supported in SuiteQL; use TOP n, or the REST limit and offset parameters."
    ),
    TokenType.FETCH: (
        "FETCH FIRST is not supported in SuiteQL; use TOP n, or the REST limit and offset "
        "parameters."
    ),
    TokenType.WITH: (
        "WITH (common table expressions) is not supported in SuiteQL; use a subquery in FROM."
    ),
}

_LITERAL_TYPES = {TokenType.DATE, TokenType.TIMESTAMP}


class SuiteQLDialect(Oracle):
    """sqlglot's Oracle reader, keeping `TO_CHAR`, `TO_DATE` and `TO_TIMESTAMP` as written.

    Oracle's reader converts their masks to strftime formats while parsing, losing the letter
    case (`MON` vs `Mon`) and passing unknown elements through silently; the translation maps
    masks itself (`dialect_masks`) and refuses elements it does not know.
    """

    class Parser(Oracle.Parser):
        """Oracle's parser with the three mask-taking functions left literal."""

        FUNCTIONS: ClassVar[dict[str, Callable[..., exp.Expression]]] = {
            **Oracle.Parser.FUNCTIONS,
            "TO_CHAR": exp.ToChar.from_arg_list,
            "TO_DATE": lambda args: exp.Anonymous(this="TO_DATE", expressions=args),
            "TO_TIMESTAMP": lambda args: exp.Anonymous(this="TO_TIMESTAMP", expressions=args),
        }


_DATE_LITERAL = (
    "Date literals such as DATE '2024-01-01' are not supported in SuiteQL; "
    "use TO_DATE('2024-01-01', 'YYYY-MM-DD')."
)


def tokenize(suiteql: str) -> list[Token]:
    """Oracle tokens of the text; a lexical error becomes a DialectError with its position."""
    try:
        return SuiteQLDialect().tokenize(suiteql)
    except TokenError as error:
        raise DialectError(f"Invalid search query: {error}") from error


def check_tokens(tokens: list[Token]) -> None:
    """Refuse LIMIT, FETCH FIRST, WITH and date literals wherever they appear."""
    for index, token in enumerate(tokens):
        refusal = _TOKEN_REFUSALS.get(token.token_type)
        if refusal:
            raise refuse(f"{refusal} (line {token.line}, column {token.col})")
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        is_literal = following is not None and following.token_type == TokenType.STRING
        if token.token_type in _LITERAL_TYPES and is_literal:
            raise refuse(f"{_DATE_LITERAL} (line {token.line}, column {token.col})")


def parse(suiteql: str) -> exp.Expression:
    """Parse exactly one statement; syntax errors carry sqlglot's line and column."""
    try:
        statements = [s for s in sqlglot.parse(suiteql, read=SuiteQLDialect) if s is not None]
    except ParseError as error:
        raise DialectError(_describe_parse_error(error)) from error
    if not statements:
        raise DialectError("Invalid search query: the query text is empty.")
    if len(statements) > 1:
        raise refuse("Only SELECT queries are supported, one statement per request.")
    return statements[0]


def _describe_parse_error(error: ParseError) -> str:
    if not error.errors:
        return f"Invalid search query: {error}"
    first = error.errors[0]
    near = first.get("highlight") or ""
    return (
        f"Invalid search query: {first.get('description')} near '{near}' "
        f"at line {first.get('line')}, column {first.get('col')}."
    )


def check_statement(tree: exp.Expression) -> None:
    """Only a SELECT (or a set operation over SELECTs); no LISTAGG, `(+)` joins or `:name`."""
    if not isinstance(tree, exp.Query):
        kind = tree.key.upper()
        raise refuse(f"Only SELECT queries are supported in SuiteQL, not {kind}.")
    for node in tree.walk():
        if isinstance(node, (exp.DDL, exp.DML, exp.Into)):
            raise refuse("Only SELECT queries are supported in SuiteQL.")
        if isinstance(node, exp.GroupConcat):
            raise refuse(
                "LISTAGG is not supported in SuiteQL; return one row per value and aggregate "
                "outside the query."
            )
        if isinstance(node, exp.Column) and node.args.get("join_mark"):
            raise refuse("The (+) outer join operator is not supported; use LEFT JOIN.")
        if isinstance(node, exp.Placeholder) and node.this:
            raise DialectError(
                f"Named parameter ':{node.this}' is not supported; use ? placeholders."
            )


def check_placeholders(tree: exp.Expression, param_count: int) -> None:
    """The number of `?` placeholders must equal the number of values sent in `params`."""
    found = sum(1 for _ in tree.find_all(exp.Placeholder))
    if found != param_count:
        raise DialectError(f"expected {found} parameters, got {param_count}")


def check_tables(tree: exp.Expression) -> None:
    """Every table named in FROM/JOIN must be a record the emulated account has."""
    known = typed_schema()
    for table in tree.find_all(exp.Table):
        name = table.name
        if table.args.get("db") or name.lower() not in known:
            shown = ".".join(part.name for part in table.parts) or name
            raise DialectError(f"Record '{shown}' was not found.")
