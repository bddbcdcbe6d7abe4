"""Declared query parameters: `ParamSpec`, value coercion and relative dates.

Values arrive as text from the CLI (`-p location_id=3`) or typed from the pages; both are coerced
to the declared type (dispatch table `_COERCE`). Relative dates (`today`, `-90d`, `+2w`) are
accepted in DATE/DATETIME defaults and values and resolved against the `today` the caller passes,
so a result is reproducible. Every failure is a `ParameterError` naming the parameter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from suiteops.errors import ParameterError
from suiteops.models import ColumnType

_RELATIVE = re.compile(r"^(?:today|([+-]\d{1,5})([dw]))$")
_UNITS = {"d": "days", "w": "weeks"}


class _BadValue(ValueError):
    """A parameter value that does not fit its type (message says why)."""


def resolve_relative_date(text: str, today: date) -> date | None:
    """`today`, `-90d`, `+2w` → a date relative to `today`; anything else → None."""
    match = _RELATIVE.match(text.strip().lower())
    if match is None:
        return None
    if match.group(1) is None:
        return today
    return today + timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def _to_int(value: object, today: date) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise _BadValue(f"expected an integer, got {value!r}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise _BadValue(f"expected an integer, got {value!r}") from None
    if number != number.to_integral_value():
        raise _BadValue(f"expected an integer, got {value!r}")
    return int(number)


def _to_decimal(value: object, today: date) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise _BadValue(f"expected a number, got {value!r}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise _BadValue(f"expected a number, got {value!r}") from None
    if not number.is_finite():
        raise _BadValue(f"expected a finite number, got {value!r}")
    return number


def _to_date(value: object, today: date) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        relative = resolve_relative_date(value, today)
        if relative is not None:
            return relative
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _BadValue(f"expected a date (YYYY-MM-DD, today, -90d, -12w), got {value!r}")


def _to_datetime(value: object, today: date) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and resolve_relative_date(value, today) is None:
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            raise _BadValue(f"expected a datetime (ISO 8601), got {value!r}") from None
    return datetime.combine(_to_date(value, today), time())


def _to_bool(value: object, today: date) -> bool:
    if isinstance(value, bool):
        return value
    words = {"t": True, "true": True, "1": True, "yes": True, "f": False, "false": False,
             "0": False, "no": False}  # fmt: skip
    if isinstance(value, str) and value.strip().lower() in words:
        return words[value.strip().lower()]
    raise _BadValue(f"expected T/F (true/false), got {value!r}")


def _to_text(value: object, today: date) -> str:
    # an id typed as a number (a Shopify order id) is still text; a flag or a float is not
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise _BadValue(f"expected text, got {value!r}")
    return str(value)


_COERCE: dict[ColumnType, Callable[[object, date], object]] = {
    ColumnType.INT: _to_int,
    ColumnType.DECIMAL: _to_decimal,
    ColumnType.DATE: _to_date,
    ColumnType.DATETIME: _to_datetime,
    ColumnType.BOOL: _to_bool,
    ColumnType.TEXT: _to_text,
}


@dataclass(frozen=True)
class ParamSpec:
    """A declared query parameter: name, type, whether it may be omitted, and its default text."""

    name: str
    type: ColumnType
    optional: bool = False
    default: str | None = None

    def resolve(self, value: object | None, today: date) -> object | None:
        """The typed value for `value` (or the default when None); raises ParameterError."""
        if value is None:
            if self.default is not None:
                value = self.default
            elif self.optional:
                return None
            else:
                raise ParameterError(
                    "a value is required (the parameter has no default)", self.name
                )
        try:
            return _COERCE[self.type](value, today)
        except _BadValue as exc:
            raise ParameterError(str(exc), self.name) from None
