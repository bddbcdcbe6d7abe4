"""The `-- key: value` header of a query file: parsing, typed parameters and relative dates.

A header is the run of comment lines at the top of a file. Each line is `-- key: value`; a line
`--` followed by two or more spaces continues the previous value (for long column lists). The
header ends at the first line that is not a comment. Known keys:

    title, description    free text (both required)
    version               a positive integer (required)
    params                `name type [optional] [default VALUE]; ...`
    columns               `name type; ...` in SELECT-list order (required)
    key                   the output column that is unique per row (required: a unique ORDER BY
                          and keyset paging past 100,000 rows both need it)
    refresh               `15m`, `1h`, `30s`, `1d`, or `live` (run on demand, never cached)
    incremental           an output column (datetime or date) rows can be fetched "since"
    kpi                   `amount=<column>; group=<column>` (either part optional)

Parameter types and values: `suiteops.catalog.params`.

Problems are collected, not raised, so `check_catalog` can report every one with its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum

from suiteops.catalog.params import ParamSpec
from suiteops.errors import ParameterError
from suiteops.models import ColumnSpec, ColumnType


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a query file, with where it is (line and column are 1-based)."""

    path: str
    line: int | None
    column: int | None
    message: str
    version_lock: bool = False  # the fix is a version bump or `suiteops queries lock`

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        if self.line is not None and self.column is not None:
            where += f":{self.column}"
        return f"{where}: {self.message}"


class HeaderKey(Enum):
    """The closed set of header keys."""

    TITLE = "title"
    DESCRIPTION = "description"
    VERSION = "version"
    PARAMS = "params"
    COLUMNS = "columns"
    KEY = "key"
    REFRESH = "refresh"
    INCREMENTAL = "incremental"
    KPI = "kpi"


REQUIRED_KEYS = (
    HeaderKey.TITLE,
    HeaderKey.DESCRIPTION,
    HeaderKey.VERSION,
    HeaderKey.COLUMNS,
    HeaderKey.KEY,
    HeaderKey.REFRESH,
)

_KEY_LINE = re.compile(r"^--\s?([A-Za-z_][\w-]*):\s*(.*?)\s*$")
_CONTINUATION = re.compile(r"^--\s{2,}(\S.*?)\s*$")
_REFRESH = re.compile(r"^(\d{1,6})([smhd])$")
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


@dataclass(frozen=True)
class Kpi:
    """What the refresh history aggregates for a query: an amount column and a group column."""

    amount: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class Header:
    """A parsed header: raw values by key, the line each key is on, and typed parts."""

    values: dict[HeaderKey, str] = field(default_factory=dict)
    lines: dict[HeaderKey, int] = field(default_factory=dict)
    end_line: int = 0  # the last header line (0 when there is no header)
    params: tuple[ParamSpec, ...] = ()
    columns: tuple[ColumnSpec, ...] = ()
    version: int | None = None
    refresh: timedelta | None = None
    kpi: Kpi = Kpi()


def _header_lines(text: str) -> Iterator[tuple[int, str]]:
    # split on "\n" only, as the checks do, so line numbers agree for any file content
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.startswith("--"):
            return
        yield number, line


def split_header(
    text: str, path: str
) -> tuple[dict[HeaderKey, str], dict[HeaderKey, int], int, list[Problem]]:
    """Read the raw `-- key: value` lines: values, line numbers, last header line, problems."""
    values: dict[HeaderKey, str] = {}
    lines: dict[HeaderKey, int] = {}
    problems: list[Problem] = []
    current: HeaderKey | None = None
    end = 0
    for number, line in _header_lines(text):
        end = number
        key_match, more = _KEY_LINE.match(line), _CONTINUATION.match(line)
        if more and current is not None and not key_match:
            values[current] = f"{values[current]} {more.group(1)}".strip()
            continue
        if key_match is None:
            current = None
            if line.strip("- \t"):
                problems.append(
                    Problem(path, number, 1, "bad header line: expected `-- key: value`")
                )
            continue
        current = _add_key(key_match, number, path, values, lines, problems)
    return values, lines, end, problems


def _add_key(
    match: re.Match[str],
    number: int,
    path: str,
    values: dict[HeaderKey, str],
    lines: dict[HeaderKey, int],
    problems: list[Problem],
) -> HeaderKey | None:
    word = match.group(1).lower()
    try:
        key = HeaderKey(word)
    except ValueError:
        known = ", ".join(k.value for k in HeaderKey)
        problems.append(Problem(path, number, 4, f"unknown header key {word!r} (known: {known})"))
        return None
    if key in values:
        problems.append(
            Problem(path, number, 4, f"duplicate header key {word!r} (first on line {lines[key]})")
        )
        return None
    values[key], lines[key] = match.group(2), number
    return key


def _reporter(
    path: str, lines: dict[HeaderKey, int], problems: list[Problem]
) -> Callable[[HeaderKey], Callable[[str], None]]:
    """`report(key)(message)` appends a problem on the line of `key` (line 1 when missing)."""
    return lambda key: (
        lambda message: problems.append(Problem(path, lines.get(key, 1), None, message))
    )


def parse_header(text: str, path: str) -> tuple[Header, list[Problem]]:
    """Parse the header of a query file's text into a `Header`, collecting every problem."""
    values, lines, end, problems = split_header(text, path)
    for key in REQUIRED_KEYS:
        if key not in values:
            problems.append(Problem(path, 1, None, f"missing header key `-- {key.value}:`"))
    report = _reporter(path, lines, problems)
    header = Header(
        values=values,
        lines=lines,
        end_line=end,
        params=parse_params(values.get(HeaderKey.PARAMS, ""), report(HeaderKey.PARAMS)),
        columns=parse_columns(values.get(HeaderKey.COLUMNS, ""), report(HeaderKey.COLUMNS)),
        version=parse_version(values.get(HeaderKey.VERSION), report(HeaderKey.VERSION)),
        refresh=parse_refresh(values.get(HeaderKey.REFRESH, "live"), report(HeaderKey.REFRESH)),
        kpi=parse_kpi(values.get(HeaderKey.KPI, ""), report(HeaderKey.KPI)),
    )
    for key in (HeaderKey.TITLE, HeaderKey.DESCRIPTION):
        if key in values and not values[key]:
            report(key)(f"`-- {key.value}:` is empty")
    return header, problems


def parse_version(text: str | None, report: Callable[[str], None]) -> int | None:
    """`-- version: 3` → 3; anything but a positive integer is reported."""
    if text is None:
        return None
    if not re.fullmatch(r"\d{1,9}", text) or int(text) < 1:
        report(f"version must be a positive integer, got {text!r}")
        return None
    return int(text)


def parse_refresh(text: str, report: Callable[[str], None]) -> timedelta | None:
    """`15m` → 15 minutes; `live` → None (run on demand, never cached)."""
    if text.strip().lower() == "live":
        return None
    match = _REFRESH.match(text.strip().lower())
    if match is None or int(match.group(1)) == 0:
        report(f"refresh must be like 30s, 15m, 1h, 1d or `live`, got {text!r}")
        return None
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def _entries(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def parse_columns(text: str, report: Callable[[str], None]) -> tuple[ColumnSpec, ...]:
    """`a int; b text` → column specs, reporting bad entries and duplicates."""
    columns: list[ColumnSpec] = []
    for entry in _entries(text):
        words = entry.split()
        if len(words) != 2 or not _NAME.match(words[0]):
            report(f"bad column {entry!r}: expected `name type` (lower-case name)")
            continue
        try:
            kind = ColumnType.parse(words[1])
        except ValueError as exc:
            report(f"column {words[0]!r}: {exc}")
            continue
        if any(c.name == words[0] for c in columns):
            report(f"column {words[0]!r} declared twice")
        columns.append(ColumnSpec(words[0], kind))
    return tuple(columns)


def parse_params(text: str, report: Callable[[str], None]) -> tuple[ParamSpec, ...]:
    """`id int optional; since date default -90d` → param specs (defaults checked)."""
    params: list[ParamSpec] = []
    for entry in _entries(text):
        spec = _parse_param(entry, report)
        if spec is None:
            continue
        if any(p.name == spec.name for p in params):
            report(f"parameter {spec.name!r} declared twice")
        params.append(spec)
    return tuple(params)


def _parse_param(entry: str, report: Callable[[str], None]) -> ParamSpec | None:
    match = re.fullmatch(r"(\S+)\s+(\S+)((?:\s+optional)?)(?:\s+default\s+(.+))?", entry)
    if match is None or not _NAME.match(match.group(1)):
        report(f"bad parameter {entry!r}: expected `name type [optional] [default VALUE]`")
        return None
    try:
        kind = ColumnType.parse(match.group(2))
    except ValueError as exc:
        report(f"parameter {match.group(1)!r}: {exc}")
        return None
    spec = ParamSpec(match.group(1), kind, bool(match.group(3)), match.group(4))
    if spec.default is not None:
        try:
            spec.resolve(None, date(2000, 1, 1))
        except ParameterError as exc:
            report(f"bad default: {exc}")
    return spec


def parse_kpi(text: str, report: Callable[[str], None]) -> Kpi:
    """`amount=open_amount; group=location_name` → Kpi (each part optional)."""
    parts: dict[str, str] = {}
    for entry in _entries(text):
        name, sep, column = (s.strip() for s in entry.partition("="))
        if not sep or name not in {"amount", "group"} or not _NAME.match(column):
            report(f"bad kpi entry {entry!r}: expected amount=<column> or group=<column>")
            continue
        parts[name] = column
    return Kpi(amount=parts.get("amount"), group=parts.get("group"))
