"""Typed parameter values for SuiteQL: the text NetSuite receives, and literal syntax nodes.

Used by `suiteops.sql.render`. Strings become string literals (quoted and escaped by sqlglot's
generator, never by hand), INT passes `int()` (booleans, fractions and non-numeric text refused),
DECIMAL passes `Decimal`, DATE is written only as `TO_DATE('YYYY-MM-DD', 'YYYY-MM-DD')` and
DATETIME as `TO_TIMESTAMP(..., 'YYYY-MM-DD HH24:MI:SS')` (SuiteQL has no date literals,
DOC:article_0824094533), BOOL as `'T'`/`'F'`. Every refusal is a `ParameterError` naming the
parameter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from sqlglot import exp

from suiteops.errors import ParameterError
from suiteops.models import ColumnType

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT_TEXT = re.compile(r"^[+-]?\d+$")
_DATE_MASK = "%Y-%m-%d"
_DATETIME_MASK = "%Y-%m-%d %H:%M:%S"


def infer_type(value: object, name: str) -> ColumnType:
    """The parameter type implied by a Python value (used when a query declares none)."""
    for kind, classes in _INFERRED:
        if isinstance(value, classes):
            return kind
    raise ParameterError(f"cannot infer a type for {type(value).__name__}; declare one", name=name)


_INFERRED: tuple[tuple[ColumnType, type | tuple[type, ...]], ...] = (
    (ColumnType.BOOL, bool),
    (ColumnType.INT, int),
    (ColumnType.DECIMAL, (Decimal, float)),
    (ColumnType.DATETIME, datetime),
    (ColumnType.DATE, date),
    (ColumnType.TEXT, str),
)


def _as_text(value: object, name: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise ParameterError(f"expected text, got {type(value).__name__}", name=name)
    return str(value)


def _as_int(value: object, name: str) -> str:
    if isinstance(value, bool):
        raise ParameterError("expected an integer, got a boolean", name=name)
    if isinstance(value, float | Decimal) and value == value and int(value) == value:
        return str(int(value))
    if isinstance(value, int) or (isinstance(value, str) and _INT_TEXT.match(value.strip())):
        return str(int(value))
    raise ParameterError(f"expected an integer, got {value!r}", name=name)


def _as_decimal(value: object, name: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise ParameterError(f"expected a number, got {value!r}", name=name)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ParameterError(f"expected a number, got {value!r}", name=name) from None
    if not number.is_finite():
        raise ParameterError(f"expected a finite number, got {value!r}", name=name)
    return format(number, "f")


def _as_date(value: object, name: str) -> str:
    if isinstance(value, datetime):
        raise ParameterError("expected a date, got a datetime (pass .date())", name=name)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise ParameterError(f"expected a date (date object or YYYY-MM-DD), got {value!r}", name=name)


def _as_datetime(value: object, name: str) -> str:
    if isinstance(value, datetime):
        return value.strftime(_DATETIME_MASK)
    if isinstance(value, date):
        return f"{value.isoformat()} 00:00:00"
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip()).strftime(_DATETIME_MASK)
        except ValueError:
            pass
    raise ParameterError(f"expected a datetime (ISO 8601), got {value!r}", name=name)


def _as_bool(value: object, name: str) -> str:
    if isinstance(value, bool):
        return "T" if value else "F"
    if isinstance(value, str) and value.strip().upper() in {"T", "F"}:
        return value.strip().upper()
    raise ParameterError(f"expected a boolean (True/False or 'T'/'F'), got {value!r}", name=name)


def _to_date(node: exp.Expression) -> exp.Expression:
    return exp.StrToDate(this=node, format=exp.Literal.string(_DATE_MASK))


def _to_timestamp(node: exp.Expression) -> exp.Expression:
    return exp.StrToTime(this=node, format=exp.Literal.string(_DATETIME_MASK))


def _number(text: str) -> exp.Expression:
    literal = exp.Literal.number(text.lstrip("-"))
    return exp.Neg(this=literal) if text.startswith("-") else literal


Wrap = Callable[[exp.Expression], exp.Expression]

# type → (value as the text NetSuite receives, literal node builder, wrapper around a `?` slot)
_VALUES: dict[ColumnType, tuple[Callable[[object, str], str], Wrap | None, Wrap | None]] = {
    ColumnType.TEXT: (_as_text, None, None),
    ColumnType.INT: (_as_int, None, None),
    ColumnType.DECIMAL: (_as_decimal, None, None),
    ColumnType.DATE: (_as_date, _to_date, _to_date),
    ColumnType.DATETIME: (_as_datetime, _to_timestamp, _to_timestamp),
    ColumnType.BOOL: (_as_bool, None, None),
}
_NUMERIC = frozenset({ColumnType.INT, ColumnType.DECIMAL})


def bound_value(value: object, kind: ColumnType, name: str) -> tuple[str, Wrap | None]:
    """The string sent in `params` for one value, and how to wrap its `?` (dates: TO_DATE)."""
    convert, _, wrap = _VALUES[kind]
    return convert(value, name), wrap


def literal_node(
    value: object, kind: ColumnType | None, name: str, *, as_text: bool = False
) -> exp.Expression:
    """A typed literal node for `value`; `as_text` when a template TO_DATE already converts it."""
    kind = kind or infer_type(value, name)
    convert, build, _ = _VALUES[kind]
    text = convert(value, name)
    if kind in _NUMERIC and not as_text:
        return _number(text)
    node = exp.Literal.string(text)
    return build(node) if build and not as_text else node
