"""Oracle functions and date arithmetic with Oracle's meaning, rewritten for DuckDB.

Runs after `sqlglot.optimizer.annotate_types`, bottom-up, so every operand already carries its
type; each rewrite types the node it builds so enclosing rewrites can dispatch on it.

Oracle date arithmetic (SuiteQL runs on Oracle):
- date - date is a number of days; fractional as soon as one side is a timestamp
  (`SYSDATE - trandate` = 3.25). Two DATEs give an integer.
- date ± n shifts by n days; a DATE plus a whole number stays a DATE, anything else (a timestamp,
  a fractional or unknown n such as a `?`) becomes a TIMESTAMP.
- An operand of unknown type (a `?` placeholder) next to a date is taken as a number of days.
- `SYSDATE` and `CURRENT_TIMESTAMP` are the emulator's local time as a TIMESTAMP; `CURRENT_DATE`
  is a DATE. `TRUNC(date)` is a DATE.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb
from sqlglot import exp

from suiteops.emulator import dialect_masks as masks
from suiteops.emulator.dialect_core import DialectError, is_date, is_temporal, typed

# Macros the translation emits; `install_functions` creates them on a connection.
MACROS: dict[str, str] = {
    "ns_days_between": "(a, b) AS (epoch(a) - epoch(b)) / 86400.0",
    "ns_add_days": (
        "(a, n) AS CAST(a AS TIMESTAMP) "
        "+ to_microseconds(CAST(round(CAST(n AS DOUBLE) * 86400000000) AS BIGINT))"
    ),
    "ns_add_months": (
        "(d, n) AS CASE WHEN CAST(d AS DATE) = last_day(d) "
        "THEN CAST(last_day(d + to_months(CAST(n AS INTEGER))) AS TIMESTAMP) "
        "ELSE CAST(d + to_months(CAST(n AS INTEGER)) AS TIMESTAMP) END"
    ),
}

# Oracle TRUNC/ROUND date units → DuckDB date_trunc parts.
_TRUNC_UNITS: dict[str, str] = {
    **dict.fromkeys(("YYYY", "YEAR", "YYY", "YY", "Y", "SYYYY", "RRRR"), "year"),
    **dict.fromkeys(("Q",), "quarter"),
    **dict.fromkeys(("MM", "MON", "MONTH", "RM"), "month"),
    **dict.fromkeys(("IW",), "week"),  # ISO weeks only; WW/W start on Jan 1's weekday
    **dict.fromkeys(("DD", "DDD", "J"), "day"),
    **dict.fromkeys(("HH", "HH12", "HH24"), "hour"),
    **dict.fromkeys(("MI",), "minute"),
}
_DATE_UNITS = {"year", "quarter", "month", "week", "day"}
_USER_DATE_FORMAT = "%m/%d/%Y"  # TO_DATE without a mask reads the user's format (US default)


def install_functions(con: duckdb.DuckDBPyConnection) -> None:
    """Create the macros translated SQL calls (idempotent; persistent unless read-only)."""
    for name, body in MACROS.items():
        try:
            con.execute(f"CREATE OR REPLACE MACRO {name}{body}")
        except duckdb.Error:
            con.execute(f"CREATE OR REPLACE TEMP MACRO {name}{body}")


def _call(name: str, *args: exp.Expression) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=list(args))


def _is_integer(node: exp.Expression) -> bool:
    return node.type is not None and node.type.is_type(*exp.DataType.INTEGER_TYPES)


def _shift(date: exp.Expression, days: exp.Expression) -> exp.Expression:
    if is_date(date) and _is_integer(days):
        return typed(exp.Add(this=date, expression=days), "DATE")
    return typed(_call("ns_add_days", date, days), "TIMESTAMP")


def _sub(node: exp.Sub) -> exp.Expression:
    left, right = node.this, node.expression
    if is_temporal(left) and is_temporal(right):
        if is_date(left) and is_date(right):
            return typed(node, "BIGINT")
        return typed(_call("ns_days_between", left, right), "DOUBLE")
    if is_temporal(left):
        days = right if _is_integer(right) else _as_number(right)
        negated = exp.Neg(this=exp.paren(days, copy=False))
        negated.type = days.type
        return _shift(left, negated)
    return node


def _add(node: exp.Add) -> exp.Expression:
    left, right = node.this, node.expression
    if is_temporal(left) and not is_temporal(right):
        return _shift(left, right if _is_integer(right) else _as_number(right))
    if is_temporal(right) and not is_temporal(left):
        return _shift(right, left if _is_integer(left) else _as_number(left))
    return node


def _as_number(node: exp.Expression) -> exp.Expression:
    """A day count as a number: a `?` arrives as text ('2'), as NetSuite's params do."""
    if node.type is not None and node.type.is_type(*exp.DataType.NUMERIC_TYPES):
        return node
    return typed(exp.cast(node, exp.DataType.Type.DOUBLE), "DOUBLE")


def _literal_text(node: exp.Expression | None, what: str) -> str:
    if not isinstance(node, exp.Literal) or not node.is_string:
        raise DialectError(f"The format of {what} must be a string literal.")
    return node.this


def _to_char(node: exp.ToChar) -> exp.Expression:
    value, mask = node.this, node.args.get("format")
    if mask is None:
        return typed(exp.cast(value, exp.DataType.Type.VARCHAR), "VARCHAR")
    text = _literal_text(mask, "TO_CHAR")
    numeric = value.type is not None and value.type.is_type(*exp.DataType.NUMERIC_TYPES)
    if not is_temporal(value) and (numeric or masks.is_number_mask(text)):
        return typed(masks.number_to_char(value, text), "VARCHAR")
    return typed(masks.date_to_char(value, text), "VARCHAR")


def _trunc_date(value: exp.Expression, unit_node: exp.Expression | None) -> exp.Expression:
    unit_text = "DD" if unit_node is None else _literal_text(unit_node, "TRUNC").upper()
    unit = _TRUNC_UNITS.get(unit_text)
    if unit is None:
        raise DialectError(f"Unsupported TRUNC date format '{unit_text}'.")
    truncated = _call("date_trunc", exp.Literal.string(unit), value)
    if unit in _DATE_UNITS:
        return typed(exp.cast(truncated, exp.DataType.Type.DATE), "DATE")
    return typed(exp.cast(truncated, exp.DataType.Type.TIMESTAMP), "TIMESTAMP")


def _date_trunc(node: exp.DateTrunc) -> exp.Expression:
    return _trunc_date(node.this, node.args.get("unit"))


def _trunc(node: exp.Trunc) -> exp.Expression:
    if is_temporal(node.this):
        return _trunc_date(node.this, node.args.get("decimals"))
    return node


def _trunc_call(args: list[exp.Expression]) -> exp.Expression:
    unit = args[1] if len(args) > 1 else None
    if is_temporal(args[0]) or (isinstance(unit, exp.Literal) and unit.is_string):
        return _trunc_date(args[0], unit)
    return exp.Trunc(this=args[0], decimals=unit)


def _parse_date(args: list[exp.Expression], what: str, timestamp: bool) -> exp.Expression:
    """TO_DATE / TO_TIMESTAMP: a mask with a time of day (or TO_TIMESTAMP) gives a TIMESTAMP."""
    if len(args) > 2:
        raise DialectError(f"{what} with an NLS parameter is not supported by the emulator.")
    if len(args) == 1 and timestamp:
        return typed(exp.cast(args[0], exp.DataType.Type.TIMESTAMP), "TIMESTAMP")
    mask = _literal_text(args[1], what) if len(args) > 1 else None
    text = _USER_DATE_FORMAT if mask is None else masks.strptime_format(mask)
    parsed = exp.StrToTime(this=args[0], format=exp.Literal.string(text))
    if timestamp or (mask is not None and masks.has_time(mask)):
        return typed(parsed, "TIMESTAMP")
    return typed(exp.cast(parsed, exp.DataType.Type.DATE), "DATE")


_NAMED: dict[str, Callable[[list[exp.Expression]], exp.Expression]] = {
    "trunc": _trunc_call,
    "to_date": lambda args: _parse_date(args, "TO_DATE", timestamp=False),
    "to_timestamp": lambda args: _parse_date(args, "TO_TIMESTAMP", timestamp=True),
}


def _anonymous(node: exp.Anonymous) -> exp.Expression:
    rewrite = _NAMED.get(str(node.this).lower())
    return rewrite(node.expressions) if rewrite and node.expressions else node


def _sysdate(node: exp.CurrentTimestamp) -> exp.Expression:
    return typed(_call("current_localtimestamp"), "TIMESTAMP")


def _current_date(node: exp.CurrentDate) -> exp.Expression:
    return typed(exp.CurrentDate(), "DATE")


def _to_number(node: exp.ToNumber) -> exp.Expression:
    value: exp.Expression = node.this
    if node.args.get("format") is not None:
        value = _call("replace", value, exp.Literal.string(","), exp.Literal.string(""))
    return typed(exp.cast(value, exp.DataType.Type.DOUBLE), "DOUBLE")


def _concat(node: exp.Expression) -> exp.Expression:
    # Oracle's || and CONCAT skip NULLs ('a' || NULL = 'a'); DuckDB's || would give NULL.
    parts = node.expressions if isinstance(node, exp.Concat) else [node.this, node.expression]
    return typed(_call("concat", *parts), "VARCHAR")


def _replace(node: exp.Replace) -> exp.Expression:
    if node.args.get("replacement") is None:
        node.set("replacement", exp.Literal.string(""))
    return node


def _substr(node: exp.Substring) -> exp.Expression:
    # Oracle reads start position 0 as 1; DuckDB would return one character fewer.
    start = node.args.get("start")
    if isinstance(start, exp.Literal) and not start.is_string and float(start.this) == 0:
        node.set("start", exp.Literal.number(1))
    elif start is not None and not isinstance(start, exp.Literal):
        zero = exp.EQ(this=start.copy(), expression=exp.Literal.number(0))
        node.set("start", exp.If(this=zero, true=exp.Literal.number(1), false=start))
    return node


def _add_months(node: exp.AddMonths) -> exp.Expression:
    shifted = _call("ns_add_months", node.this, node.expression)
    if is_date(node.this):
        return typed(exp.cast(shifted, exp.DataType.Type.DATE), "DATE")
    return typed(shifted, "TIMESTAMP")


REWRITES: dict[type[exp.Expression], Callable[..., exp.Expression]] = {
    exp.Sub: _sub,
    exp.Add: _add,
    exp.ToChar: _to_char,
    exp.DateTrunc: _date_trunc,
    exp.Trunc: _trunc,
    exp.Anonymous: _anonymous,
    exp.CurrentTimestamp: _sysdate,
    exp.CurrentDate: _current_date,
    exp.ToNumber: _to_number,
    exp.DPipe: _concat,
    exp.Concat: _concat,
    exp.Replace: _replace,
    exp.Substring: _substr,
    exp.AddMonths: _add_months,
}


def rewrite_functions(tree: exp.Expression) -> exp.Expression:
    """Apply every rewrite above, innermost first."""

    return bottom_up(tree, lambda node: REWRITES.get(type(node), _keep)(node))


def _keep(node: exp.Expression) -> exp.Expression:
    return node


def bottom_up(
    tree: exp.Expression, visit: Callable[[exp.Expression], exp.Expression]
) -> exp.Expression:
    """Replace every node by `visit(node)`, children before parents (sqlglot's own
    `transform` goes top-down, but a rewrite here needs its operands already rewritten)."""
    for node in reversed(list(tree.walk(bfs=False))):
        new = visit(node)
        if new is node:
            continue
        if node is tree:
            tree = new
        else:
            node.replace(new)
    return tree
