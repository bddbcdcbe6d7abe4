"""How SuiteQL values and pages come back over REST (reference §1.3, §1.5).

- every value is a JSON string; null columns are left out of the row; keys are lower case;
- booleans are `T`/`F`; DATE values are `M/D/YYYY` (the US display default);
- TIMESTAMP values are also `M/D/YYYY`: practitioners see datetimes come back in the date display
  format, which is why they wrap them in `TO_CHAR(..., 'YYYY-MM-DD HH24:MI:SS')` (hotglue
  `format_date_query`); the emulator chooses the date-only form so clients must do the same;
- numbers have no exponent and no trailing zeros: `12.5`, `3`, `-0.25`.

Two implementations of the same rules: `sql_format` has DuckDB format the common column types
(text, integers, DECIMAL, BOOLEAN, DATE, TIMESTAMP) in SQL, and when a query has only those,
DuckDB writes each item's JSON text too (`page_shape`), so a page costs no Python work per
value; `format_value` formats every other type (DOUBLE, TIME, ...) in Python, column by column.
Both give the same JSON (`json.dumps` spacing; non-ASCII text as UTF-8 rather than `\\u`
escapes, the same strings once parsed). A test runs values of every type through both.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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


# A date's M/D/YYYY in SQL. Infinite dates clamp to 1/1/1 and 12/31/9999, as DuckDB's
# conversion to Python dates does (least and greatest skip nulls, hence the CASE).
_CLAMPED = "least(greatest(CAST({0} AS DATE), DATE '0001-01-01'), DATE '9999-12-31')"
_SQL_DATE = (
    "CASE WHEN {0} IS NOT NULL THEN "
    + " || '/' || ".join(f"{part}({_CLAMPED})" for part in ("month", "day", "year"))
    + " END"
)
_SQL_FORMATS: dict[str, str] = {
    "VARCHAR": "{0}",
    "BOOLEAN": "CASE WHEN {0} THEN 'T' WHEN NOT {0} THEN 'F' END",
    "DATE": _SQL_DATE,
    "TIMESTAMP": _SQL_DATE,
    "TIMESTAMP_S": _SQL_DATE,
    "TIMESTAMP_MS": _SQL_DATE,
    "TIMESTAMP_NS": _SQL_DATE,
    **dict.fromkeys(
        ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT"),
        "CAST({0} AS VARCHAR)",
    ),
    **dict.fromkeys(("UINTEGER", "UBIGINT", "UHUGEINT"), "CAST({0} AS VARCHAR)"),
}
# DECIMAL text always has its scale's digits after the point: strip zeros, then a bare point.
_SQL_FRACTION = "rtrim(rtrim(CAST({0} AS VARCHAR), '0'), '.')"
_DECIMAL = re.compile(r"DECIMAL\(\d+,(\d+)\)")


def sql_format(type_name: str) -> str | None:
    """The SQL expression (`{0}` = the column) giving a DuckDB type's NetSuite string, or None
    when values of that type are formatted in Python."""
    decimal = _DECIMAL.fullmatch(type_name)
    if decimal is not None:
        return _SQL_FRACTION if int(decimal.group(1)) else "CAST({0} AS VARCHAR)"
    return _SQL_FORMATS.get(type_name)


@dataclass(frozen=True)
class PageShape:
    """How to fetch a query's rows ready for JSON, over its columns renamed `c0`, `c1`, ...

    With every column formattable in SQL, `select` is one expression giving each item's JSON
    text (`as_json`); otherwise it lists the values, strings except `python_columns`."""

    keys: tuple[str, ...]
    select: str
    as_json: bool
    python_columns: tuple[int, ...]


def page_shape(keys: Sequence[str], type_names: Sequence[str]) -> PageShape:
    """The `PageShape` of a result with these (lower-case) keys and DuckDB column types."""
    exprs, python_columns = [], []
    for index, type_name in enumerate(type_names):
        pattern = sql_format(type_name)
        if pattern is None:
            python_columns.append(index)
            pattern = "{0}"
        exprs.append(pattern.format(f"c{index}"))
    # Duplicate keys: the Python path merges them into one (the last non-null value wins).
    if python_columns or not exprs or len(set(keys)) < len(keys):
        return PageShape(tuple(keys), ", ".join(exprs), False, tuple(python_columns))
    return PageShape(tuple(keys), _item_json(keys, exprs), True, ())


def _item_json(keys: Sequence[str], exprs: Sequence[str]) -> str:
    """SQL for one item's JSON text, spaced as `json.dumps` spaces it: `', "key": ' ||
    to_json(value)` is null for a null value, and `concat` skips nulls."""
    fields = ", ".join(
        f"{_sql_text(f', {json.dumps(key)}: ')} || to_json({expr})"
        for key, expr in zip(keys, exprs, strict=True)
    )
    return f"""'{{"links": []' || concat({fields}) || '}}'"""


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def page_json(fields: dict[str, object], shape: PageShape, rows: Sequence[Sequence[object]]) -> str:
    """The page's JSON: `fields` then `items` (the rows fetched with `shape.select`)."""
    if shape.as_json:
        items = "[" + ", ".join([row[0] for row in rows]) + "]"
    else:
        items = json.dumps(format_items(shape.keys, rows, shape.python_columns))
    return f'{json.dumps(fields)[:-1]}, "items": {items}}}'


def format_items(
    keys: Sequence[str], rows: Sequence[Sequence[object]], python_columns: Sequence[int] = ()
) -> list[dict[str, object]]:
    """NetSuite items from rows whose values are strings or null, except `python_columns`
    (raw values, formatted here); `keys` are already lower case."""
    if python_columns:
        rows = [_format_columns(row, python_columns) for row in rows]
    items = []
    for row in rows:  # a plain loop: twice as fast as nested comprehensions on Python 3.11
        item: dict[str, object] = {"links": []}
        for key, value in zip(keys, row, strict=True):
            if value is not None:
                item[key] = value
        items.append(item)
    return items


def _format_columns(row: Sequence[object], indexes: Sequence[int]) -> list[object]:
    values = list(row)
    for index in indexes:
        if values[index] is not None:
            values[index] = format_value(values[index])
    return values


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
