"""Keyset reads past NetSuite's 100,000-row window, split into key ranges read concurrently.

Within a range, pages follow `SELECT * FROM (q) WHERE key > last [AND key <= upper] ORDER BY
key` at offset 0 (netsuite.md §1.4): a row present throughout the read is returned exactly once,
however rows change meanwhile. With a numeric key, one query first counts the rows and finds the
lowest and highest key; the key space is cut into ranges of about `RANGE_ROWS` rows (Oracle
recommends id ranges for large pulls, DOC:article_0824094533). The first range is open below and
the last open above, so rows inserted outside the initial bounds are still read. Ranges are read
by a pool of `concurrency` workers, at most `2 × concurrency` ranges ahead of the consumer, and
their pages are yielded strictly in key order. A text key is read as one sequential range. The
same first query checks that the key is unique (`COUNT(DISTINCT key) = COUNT(*)`): a repeated
key value at a page boundary would otherwise be skipped by `key > last` without a trace.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from suiteops import sql as sqlmod
from suiteops.netsuite.paging import PAGE_SIZE, Envelope, InconsistentResult

RANGE_ROWS = 4 * PAGE_SIZE
Fetch = Callable[[str, int], Envelope]


@dataclass(frozen=True)
class KeyRange:
    """Keys `> after` and `<= upto` (None: unbounded on that side)."""

    after: int | None
    upto: int | None


def split_ranges(low: int, high: int, rows: int, *, range_rows: int = RANGE_ROWS) -> list[KeyRange]:
    """Equal-width key ranges over [low, high] holding about `range_rows` rows each."""
    count = max(1, min(math.ceil(rows / range_rows), high - low + 1))
    width = (high - low + 1) / count
    cuts = [low - 1 + round(width * i) for i in range(1, count)]
    edges: list[int | None] = [None, *cuts, None]
    return [KeyRange(edges[i], edges[i + 1]) for i in range(count)]


class KeysetReader:
    """Reads a query by key, yielding page envelopes in key order."""

    def __init__(
        self, fetch: Fetch, text: str, key: str, *, concurrency: int, numeric: bool | None
    ):
        """`numeric`: the key is an integer (True), text (False) or undeclared (None: inferred
        from the key bounds)."""
        self.fetch = fetch
        self.text = text
        self.key = key
        self.concurrency = concurrency
        self.numeric = numeric
        self.rows_estimate: int | None = None

    def envelopes(self) -> Iterator[Envelope]:
        """All pages, in key order."""
        ranges = self._ranges()
        if len(ranges) == 1:
            yield from self._read_range(ranges[0], buffer=False)
            return
        window = 2 * self.concurrency
        with ThreadPoolExecutor(self.concurrency, thread_name_prefix="suiteql-keyset") as pool:
            todo = iter(ranges)
            pending: deque[Future[list[Envelope]]] = deque()
            try:
                for key_range in _take(todo, window):
                    pending.append(pool.submit(self._collect, key_range))
                while pending:
                    envelopes = pending.popleft().result()
                    for key_range in _take(todo, 1):
                        pending.append(pool.submit(self._collect, key_range))
                    yield from envelopes
            finally:
                for future in pending:
                    future.cancel()

    def _ranges(self) -> list[KeyRange]:
        """One query checks the key is unique and non-null, and gives the ranges to read."""
        bounds = self.fetch(sqlmod.key_bounds_query(self.text, self.key), 0).items
        row = bounds[0] if bounds else {}
        rows, distinct = int(row.get("n") or 0), int(row.get("d") or 0)
        if distinct != rows:
            raise InconsistentResult(
                f"key {self.key!r} is not unique (or has nulls): {rows:,} rows but {distinct:,} "
                "distinct values; keyset paging would skip rows. Declare a unique key "
                "(e.g. uniquekey for transaction lines)"
            )
        self.rows_estimate = rows
        low, high = _integer(row.get("lo")), _integer(row.get("hi"))
        if self.numeric is False or low is None or high is None:
            self.numeric = False
            return [KeyRange(None, None)]
        self.numeric = True
        return split_ranges(low, high, rows)

    def _collect(self, key_range: KeyRange) -> list[Envelope]:
        return list(self._read_range(key_range, buffer=True))

    def _read_range(self, key_range: KeyRange, *, buffer: bool) -> Iterator[Envelope]:
        after: Any = key_range.after
        while True:
            text = sqlmod.keyset_query(self.text, self.key, after=after, upto=key_range.upto)
            envelope = self.fetch(text, 0)
            yield envelope
            if not envelope.has_more or not envelope.items:
                return
            after = _last_key(envelope, self.key, numeric=self.numeric)


def _integer(raw: Any) -> int | None:
    text = str(raw).strip() if raw is not None else ""
    return int(text) if text.lstrip("-").isdigit() else None


def _last_key(envelope: Envelope, key: str, *, numeric: bool | None) -> Any:
    raw = envelope.items[-1].get(key)
    if raw is None:
        raise InconsistentResult(f"key {key!r} is null in a row; a keyset key must be non-null")
    return _integer(raw) if numeric else raw


def _take(iterator: Iterator[KeyRange], n: int) -> list[KeyRange]:
    return [value for _, value in zip(range(n), iterator, strict=False)]
