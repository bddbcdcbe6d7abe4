"""One query run: offset pages fetched concurrently and yielded in order, or keyset pages.

Offset paging checks each page (`read_envelope`) and that `totalResults` stays the same on every
page. With a key it also checks that no key comes back twice and, after the last page, that the
count and sum of the keys read match one more query's count and sum up to the highest key read:
rows inserted or deleted while the pages were read shift rows between pages, and that must
surface (`InconsistentResult`; `SuiteQLClient.fetch` then re-reads by key), never pass. Without
a key only a changed `totalResults` is detectable. Keyset paging (keyset.py) is consistent under
change: each row present throughout is read exactly once.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx

from suiteops import sql as sqlmod
from suiteops.errors import TruncationError
from suiteops.models import ColumnType
from suiteops.netsuite.coerce import shape_rows
from suiteops.netsuite.keyset import KeysetReader
from suiteops.netsuite.paging import (
    PAGE_SIZE,
    ROW_WINDOW,
    Envelope,
    InconsistentResult,
    KeyTracker,
    Page,
    Progress,
    read_envelope,
)
from suiteops.netsuite.requester import Call, Requester
from suiteops.netsuite.responses import json_body


@dataclass(frozen=True)
class Plan:
    """Everything a run needs to know about its query."""

    text: str
    params: tuple[str, ...] | None
    columns: tuple[str, ...]
    types: Mapping[str, ColumnType]
    key: str | None
    label: str | None
    url: str
    concurrency: int
    force_keyset: bool = False
    expect_rows: int | None = None


class Run:
    """Pages of one query; `pages()` may be iterated once."""

    def __init__(self, plan: Plan, requester: Requester):
        self.plan = plan
        self.requester = requester
        self.keyset = plan.force_keyset
        self._tracker = (
            KeyTracker(plan.key, plan.types.get(plan.key), query=plan.label) if plan.key else None
        )
        self._rows_done = 0
        self._pages_done = 0

    @property
    def retries(self) -> int:
        """Retries so far in this run."""
        return self.requester.retries

    def fetch(self, text: str, offset: int) -> Envelope:
        """One page of `text` at `offset` (retried per policy until its envelope checks out)."""
        body: dict[str, Any] = {"q": text}
        if self.plan.params:
            body["params"] = list(self.plan.params)
        call = Call(
            method="POST",
            url=self.plan.url,
            params={"limit": PAGE_SIZE, "offset": offset},
            json=body,
            headers={"Prefer": "transient"},
            query=self.plan.label,
            idempotent=True,  # a SuiteQL POST only reads
        )

        def parse(response: httpx.Response) -> Envelope:
            envelope = json_body(response, query=self.plan.label)
            return read_envelope(envelope, offset=offset, query=self.plan.label)

        return self.requester.send(call, parse)

    def pages(self, on_progress: Callable[[Progress], None] | None) -> Iterator[Page]:
        """Yield the pages in order, calling `on_progress` after each."""
        for page, pages_total, rows_total in self._pages():
            self._rows_done += len(page.rows)
            self._pages_done += 1
            if on_progress is not None:
                on_progress(
                    Progress(
                        self._pages_done, pages_total, self._rows_done, rows_total, self.retries
                    )
                )
            yield page

    def _pages(self) -> Iterator[tuple[Page, int, int]]:
        if self.keyset:
            yield from self._keyset_pages()
            return
        with ThreadPoolExecutor(self.plan.concurrency, thread_name_prefix="suiteql") as pool:
            ahead = [pool.submit(self.fetch, self.plan.text, o) for o in self._speculative()]
            try:
                first = self.fetch(self.plan.text, 0)
                if first.total <= ROW_WINDOW:
                    yield from self._offset_pages(first, pool, ahead)
            finally:
                for future in ahead:
                    future.cancel()
        if first.total <= ROW_WINDOW:
            self._verify_keys()
            return
        if self.plan.key is None:
            raise TruncationError(_truncation_message(self.plan.label, first.total))
        self.keyset = True
        yield from self._keyset_pages()

    def _speculative(self) -> range:
        """Offsets to request together with the first page when the caller expects a large
        result (e.g. the previous snapshot's size): it saves one round trip before the others."""
        expected = self.plan.expect_rows or 0
        pages = min(self.plan.concurrency, math.ceil(min(expected, ROW_WINDOW) / PAGE_SIZE))
        return range(PAGE_SIZE, max(1, pages) * PAGE_SIZE, PAGE_SIZE)

    def _page(self, envelope: Envelope, total: int) -> Page:
        rows = shape_rows(
            envelope.items,
            self.plan.columns,
            self.plan.types,
            first_row=self._rows_done,
            query=self.plan.label,
        )
        columns = tuple(dict.fromkeys([*self.plan.columns, *(k for r in rows[:1] for k in r)]))
        return Page(self._pages_done + 1, self._rows_done, rows, columns, total)

    def _offset_pages(
        self, first: Envelope, pool: ThreadPoolExecutor, ahead: list[Future[Envelope]]
    ) -> Iterator[tuple[Page, int, int]]:
        total = first.total
        pages_total = max(1, math.ceil(total / PAGE_SIZE))
        self._track(first, increasing=False)
        yield self._page(first, total), pages_total, total
        pending: deque[Future[Envelope]] = deque(ahead[: pages_total - 1])
        offsets = iter(range((len(ahead) + 1) * PAGE_SIZE, total, PAGE_SIZE))
        try:
            for offset in _take(offsets, 2 * self.plan.concurrency - len(pending)):
                pending.append(pool.submit(self.fetch, self.plan.text, offset))
            while pending:
                envelope = pending.popleft().result()
                for offset in _take(offsets, 1):
                    pending.append(pool.submit(self.fetch, self.plan.text, offset))
                self._check_same_total(envelope, total)
                self._track(envelope, increasing=False)
                yield self._page(envelope, total), pages_total, total
        finally:
            for future in pending:
                future.cancel()

    def _verify_keys(self) -> None:
        """Offset pages read at different moments: check they add up to one state of the data.

        With a numeric key, one more query counts and sums the keys up to the highest one read;
        a row deleted, inserted or shifted between page reads makes the checksum differ.
        """
        tracker = self._tracker
        if tracker is None or not tracker.numeric or tracker.highest is None:
            return
        text = sqlmod.key_summary_query(self.plan.text, tracker.key, upto=tracker.highest)
        items = self.fetch(text, 0).items
        summary = items[0] if items else {}
        count = int(summary.get("n") or 0)
        key_sum = Decimal(str(summary.get("s") or 0))
        if count != tracker.count or key_sum != tracker.key_sum:
            raise InconsistentResult(
                f"rows changed during paging: {tracker.count} rows read, {count} now present up "
                f"to key {tracker.highest} (re-read by keyset)",
                query=self.plan.label,
            )

    def _check_same_total(self, envelope: Envelope, total: int) -> None:
        if envelope.total != total:
            raise InconsistentResult(
                f"rows changed during paging: totalResults was {total}, then {envelope.total} at "
                f"offset {envelope.offset} (declare a key to re-read by keyset)",
                query=self.plan.label,
            )

    def _track(self, envelope: Envelope, *, increasing: bool) -> None:
        if self._tracker is not None:
            self._tracker.add(envelope.items, increasing=increasing)

    def _keyset_pages(self) -> Iterator[tuple[Page, int, int]]:
        assert self.plan.key is not None
        kind = self.plan.types.get(self.plan.key)
        reader = KeysetReader(
            self.fetch,
            self.plan.text,
            self.plan.key,
            concurrency=self.plan.concurrency,
            numeric=None if kind is None else kind is ColumnType.INT,
        )
        for envelope in reader.envelopes():
            self._track(envelope, increasing=True)
            rows_after = self._rows_done + len(envelope.items)
            rows_total = max(reader.rows_estimate or 0, rows_after)
            pages_total = max(self._pages_done + 1, math.ceil(rows_total / PAGE_SIZE))
            yield self._page(envelope, rows_total), pages_total, rows_total


def _take(iterator: Iterator[int], n: int) -> list[int]:
    return [value for _, value in zip(range(n), iterator, strict=False)]


def _truncation_message(label: str | None, total: int) -> str:
    return (
        f"query {label or '<query>'} has {total:,} rows, more than NetSuite's {ROW_WINDOW:,}-row "
        "paging window; declare a unique key column (e.g. `-- key: id`, or uniquekey for "
        "transaction lines) so the client can page by key, or narrow the query"
    )
