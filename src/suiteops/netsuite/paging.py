"""Never trust a single page: envelope checks, key tracking and the page records.

A SuiteQL page is `{links, count, hasMore, offset, totalResults, items}` (DOC:section_157909186990,
DOC:section_156414087576). Offset paging cannot reach past 100,000 rows (1000 pages of 100 by
default; the row window is what the cap limits, DOC:section_157909186990), so beyond that the
client pages by key (`key > last ORDER BY key`, offset 0), as PostHog and Salto do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from suiteops.errors import ResponseError
from suiteops.models import ColumnType
from suiteops.netsuite.coerce import coerce_value

PAGE_SIZE = 1000
ROW_WINDOW = 100_000


class InconsistentResult(ResponseError):
    """The pages do not add up (rows changed during paging, or a key is not unique)."""

    retryable = False


@dataclass(frozen=True)
class Page:
    """One page of a result, in order: 1-based `number`, row `offset` in the whole result."""

    number: int
    offset: int
    rows: list[dict[str, Any]] = field(repr=False)
    columns: tuple[str, ...]
    total: int


@dataclass(frozen=True)
class Progress:
    """How far a result has come, for progress bars (totals may grow under keyset paging)."""

    pages_done: int
    pages_total: int
    rows_done: int
    rows_total: int
    retries: int


@dataclass(frozen=True)
class Envelope:
    """A checked SuiteQL page envelope."""

    items: list[Mapping[str, Any]]
    total: int
    has_more: bool
    offset: int


def expected_count(total: int, offset: int, limit: int = PAGE_SIZE) -> int:
    """Rows a page at `offset` must hold for a result of `total` rows inside the 100k window."""
    return max(0, min(limit, total - offset, ROW_WINDOW - offset))


def read_envelope(
    body: Mapping[str, Any], *, offset: int, limit: int = PAGE_SIZE, query: str | None
) -> Envelope:
    """Check one page's envelope against itself and the request; a mismatch is retryable."""
    try:
        items = body["items"]
        total = int(body["totalResults"])
        count = int(body["count"])
        has_more = body["hasMore"]
        got_offset = int(body.get("offset", offset))
    except (KeyError, TypeError, ValueError) as exc:
        raise ResponseError(f"page envelope lacks or garbles {exc}", query=query) from None
    if not isinstance(items, list) or not isinstance(has_more, bool):
        raise ResponseError("page envelope: items must be a list and hasMore a bool", query=query)
    problems = _envelope_problems(len(items), count, total, has_more, got_offset, offset, limit)
    if problems:
        raise ResponseError(f"inconsistent page at offset {offset}: {problems}", query=query)
    return Envelope(items=items, total=total, has_more=has_more, offset=offset)


def _envelope_problems(
    n: int, count: int, total: int, has_more: bool, got: int, offset: int, limit: int
) -> str:
    checks = (
        (count != n, f"count {count} but {n} items"),
        (got != offset, f"offset {got} but {offset} was asked"),
        (n != expected_count(total, offset, limit), f"{n} items of {total} at offset {offset}"),
        (has_more != (offset + n < min(total, ROW_WINDOW)), f"hasMore {has_more}"),
    )
    return "; ".join(text for bad, text in checks if bad)


class KeyTracker:
    """Checks a result's key: present on every row, unique, and (for keyset) increasing."""

    def __init__(self, key: str, kind: ColumnType | None, *, query: str | None):
        self.key = key
        self.kind = kind
        self.query = query
        self.last: Any = None
        self.highest: Any = None
        self.key_sum = 0
        self.numeric = True
        self._seen: set[Any] = set()

    @property
    def count(self) -> int:
        """How many keys have been seen."""
        return len(self._seen)

    def typed(self, raw: Any) -> Any:
        """The key value in the type it is compared and rendered with."""
        if raw is None:
            raise InconsistentResult(f"key {self.key!r} is null in a row", query=self.query)
        if self.kind is not None and self.kind is not ColumnType.TEXT:
            return coerce_value(raw, self.kind)
        text = str(raw)
        return int(text) if text.lstrip("-").isdigit() else text

    def add(self, items: Sequence[Mapping[str, Any]], *, increasing: bool) -> None:
        """Record a page's keys; a repeat (or, when `increasing`, a step back) is an error."""
        for item in items:
            value = self.typed(item.get(self.key))
            if value in self._seen:
                raise InconsistentResult(
                    f"key {self.key!r} is not unique: {value!r} came back twice "
                    "(declare a unique key, e.g. uniquekey for transaction lines)",
                    query=self.query,
                )
            if increasing and self.last is not None and _not_after(value, self.last):
                raise InconsistentResult(
                    f"key {self.key!r} went from {self.last!r} to {value!r} under ORDER BY key",
                    query=self.query,
                )
            self._seen.add(value)
            self.last = value
            self._accumulate(value)

    def _accumulate(self, value: Any) -> None:
        if not isinstance(value, int):
            self.numeric = False
            return
        self.key_sum += value
        self.highest = value if self.highest is None else max(self.highest, value)


def _not_after(value: Any, last: Any) -> bool:
    # Text keys sort by NetSuite's collation, which Python cannot reproduce: only numbers checked.
    if isinstance(value, str) or isinstance(last, str):
        return False
    try:
        return bool(value <= last)
    except TypeError:
        return False
