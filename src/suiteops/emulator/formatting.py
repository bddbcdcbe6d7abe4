"""How SuiteQL values and pages come back over REST (reference §1.3, §1.5).

- every value is a JSON string; null columns are left out of the row; keys are lower case;
- booleans are `T`/`F`; DATE values are `M/D/YYYY` (the US display default);
- TIMESTAMP values are also `M/D/YYYY`: practitioners see datetimes come back in the date display
  format, which is why they wrap them in `TO_CHAR(..., 'YYYY-MM-DD HH24:MI:SS')` (hotglue
  `format_date_query`); the emulator chooses the date-only form so clients must do the same;
- numbers have no exponent and no trailing zeros: `12.5`, `3`, `-0.25`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any


def format_decimal(value: Decimal) -> str:
    """`Decimal('12.500')` → `'12.5'`, `Decimal('1E+2')` → `'100'`, never `'-0'`."""
    if not value.is_finite():
        return str(value)
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def _format_float(value: float) -> str:
    if math.isnan(value) or math.isinf(value):
        return str(value)
    return format_decimal(Decimal(repr(value)))


def _format_date(value: dt.date) -> str:
    return f"{value.month}/{value.day}/{value.year}"


def _format_bool(value: bool) -> str:
    return "T" if value else "F"


# Exact-type dispatch (bool before int, datetime before date by being exact).
_FORMATTERS: dict[type, Callable[[Any], str]] = {
    str: str,
    int: str,
    bool: _format_bool,
    float: _format_float,
    Decimal: format_decimal,
    dt.date: _format_date,
    dt.datetime: _format_date,
}


def format_value(value: object) -> str:
    """One non-null SuiteQL value as NetSuite's JSON string."""
    formatter = _FORMATTERS.get(type(value))
    if formatter is not None:
        return formatter(value)
    if isinstance(value, dt.date):
        return _format_date(value)
    return str(value)


def format_row(columns: Sequence[str], row: Sequence[object]) -> dict[str, object]:
    """One result row as a NetSuite item: lower-case keys, null columns omitted, `links: []`."""
    item: dict[str, object] = {"links": []}
    for name, value in zip(columns, row, strict=True):
        if value is not None:
            item[name.lower()] = format_value(value)
    return item


def page_links(
    href: Callable[[int], str], *, offset: int, limit: int, has_more: bool, last_offset: int
) -> list[dict[str, str]]:
    """The `links` array: `prev`/`first` after the first page, `next`/`last` while more, `self`."""
    links: list[dict[str, str]] = []
    if offset > 0:
        links.append({"rel": "prev", "href": href(max(offset - limit, 0))})
        links.append({"rel": "first", "href": href(0)})
    if has_more:
        links.append({"rel": "next", "href": href(offset + limit)})
        links.append({"rel": "last", "href": href(last_offset)})
    links.append({"rel": "self", "href": href(offset)})
    return links
