"""`POST /services/rest/query/v1/suiteql`: request checks, paging window, envelope.

Pages run the translated query wrapped as `SELECT * FROM (<query>) LIMIT n OFFSET o`, so
DuckDB computes only what is asked for (a top-N for ordered queries): the first page exactly
(keyset paging only ever asks for it), later pages ten at a time, cached. `totalResults` comes
from a `count(*)` over the same query. Both caches are keyed by (query, params, data version)
and expire after a minute; any write bumps the data version, so with `mutate_during_paging`
every page sees the rows as they are at that moment.

Values come back formatted by DuckDB (see formatting.py): a `LIMIT 0` run of the query, cached
like the count, gives its column types, from which the page's select list is built.
"""

from __future__ import annotations

import functools
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

import duckdb
import sqlglot
from sqlglot import exp

from suiteops.emulator.database import EmulatorDatabase
from suiteops.emulator.formatting import PageShape, page_json, page_links, page_shape
from suiteops.emulator.problems import ErrorCode, bad_request

MAX_LIMIT = 1000
WINDOW = 100_000
CACHE_TTL_SECONDS = 60.0
CHUNK_PAGES = 10
T = TypeVar("T")


class TranslationLike(Protocol):
    """What the dialect returns: DuckDB SQL with `?` params and the output column names."""

    @property
    def sql(self) -> str: ...

    @property
    def columns(self) -> tuple[str, ...]: ...


class Translator(Protocol):
    """SuiteQL text → DuckDB translation; raises `Problem` for queries NetSuite refuses."""

    def __call__(self, suiteql: str, *, param_count: int) -> TranslationLike: ...


@dataclass(frozen=True)
class Paging:
    """The validated `limit` and `offset` URL parameters."""

    limit: int
    offset: int


@dataclass(frozen=True)
class QueryRequest:
    """The validated JSON body: query text and bound parameters."""

    q: str
    params: tuple[str | int | float, ...]


def _int_param(raw: str | None, name: str, default: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise bad_request(f"Invalid '{name}' parameter value: {raw!r} is not an integer.") from None


def parse_paging(limit_raw: str | None, offset_raw: str | None) -> Paging:
    """Check `limit` (1..1000, default 1000) and `offset` (a multiple of limit, < 100,000)."""
    limit = _int_param(limit_raw, "limit", MAX_LIMIT)
    offset = _int_param(offset_raw, "offset", 0)
    if not 1 <= limit <= MAX_LIMIT:
        raise bad_request(f"Invalid 'limit' parameter value: {limit}. It must be 1 to {MAX_LIMIT}.")
    if offset < 0 or offset % limit:
        raise bad_request(
            f"Invalid 'offset' parameter value: {offset}. It must be a non-negative multiple of "
            f"the limit ({limit})."
        )
    if offset >= WINDOW:
        raise bad_request(
            f"Invalid 'offset' parameter value: {offset}. SuiteQL returns at most {WINDOW} "
            "results; use a narrower query (for example keyset paging on id)."
        )
    return Paging(limit, offset)


def parse_body(raw: bytes, *, bound_params: bool) -> QueryRequest:
    """Check the JSON body: `q` text and, on 2026.2-style accounts, a `params` list."""
    try:
        body = json.loads(raw or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise bad_request(
            f"Invalid JSON in the request body: {exc}", ErrorCode.INVALID_CONTENT
        ) from None
    if not isinstance(body, dict) or not isinstance(body.get("q"), str) or not body["q"].strip():
        raise bad_request(
            "The request body must be a JSON object with the query text in 'q'.",
            ErrorCode.INVALID_CONTENT,
        )
    params = body.get("params", [])
    if "params" in body and not bound_params:
        raise bad_request(
            "Invalid field 'params': bound parameters are not supported on this "
            "account (they need NetSuite 2026.2 or later)."
        )
    if not isinstance(params, list):
        raise bad_request("Invalid field 'params': it must be a list of values.")
    for index, value in enumerate(params):
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise bad_request(
                f"Invalid value params[{index}]: {value!r} is not a string or number."
            )
    return QueryRequest(body["q"], tuple(params))


class _TtlCache(Generic[T]):
    """A small LRU whose entries expire; concurrent misses of one key compute it once."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[Hashable, tuple[float, T]] = OrderedDict()
        self._computing: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()

    def _hit(self, key: Hashable) -> tuple[bool, T | None]:
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None and time.monotonic() - hit[0] < CACHE_TTL_SECONDS:
                self._entries.move_to_end(key)
                return True, hit[1]
            return False, None

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        found, value = self._hit(key)
        if found:
            return value  # type: ignore[return-value]
        with self._lock:
            flight = self._computing.setdefault(key, threading.Lock())
        with flight:
            found, value = self._hit(key)
            if found:
                return value  # type: ignore[return-value]
            fresh = compute()
            with self._lock:
                self._entries[key] = (time.monotonic(), fresh)
                self._computing.pop(key, None)
                while len(self._entries) > self._size:
                    self._entries.popitem(last=False)
        return fresh


Rows = list[tuple[object, ...]]


class SuiteQLService:
    """Runs one SuiteQL page request against the emulator's database."""

    def __init__(
        self,
        db: EmulatorDatabase,
        translator: Translator,
        before_query: Callable[[], None] | None = None,
    ):
        self._db = db
        self._translate = translator
        self._before_query = before_query
        self._counts: _TtlCache[int] = _TtlCache(64)
        self._chunks: _TtlCache[Rows] = _TtlCache(8)
        self._shapes: _TtlCache[PageShape] = _TtlCache(64)

    def page(self, request: QueryRequest, paging: Paging, href: Callable[[int], str]) -> str:
        """The JSON envelope of one page (runs in a worker thread)."""
        translation = self._translate(request.q, param_count=len(request.params))
        if self._before_query is not None:
            self._before_query()
        params = list(request.params)
        key = (translation.sql, request.params, self._db.version)
        # Result types depend on the SQL and the parameters' types, not on their values.
        shape_key = (translation.sql, tuple(map(type, params)), self._db.version)
        shape = self._shapes.get(shape_key, lambda: self._describe(translation, params))
        total = self._counts.get(key, lambda: self._count(translation.sql, params))
        reachable = min(total, WINDOW)
        size = max(0, min(paging.limit, reachable - paging.offset))
        rows = self._page_rows(translation.sql, params, key, paging, reachable, shape)
        has_more = paging.offset + size < reachable
        last = ((reachable - 1) // paging.limit) * paging.limit if reachable else 0
        fields = {
            "links": page_links(
                href, offset=paging.offset, limit=paging.limit, has_more=has_more, last_offset=last
            ),
            "count": len(rows),
            "hasMore": has_more,
            "offset": paging.offset,
            "totalResults": total,
        }
        return page_json(fields, shape, rows)

    def _describe(self, translation: TranslationLike, params: list[object]) -> PageShape:
        """The result's keys and column types, from running the query with `LIMIT 0`."""
        _, described = self._run(
            f"SELECT * FROM ({translation.sql}) AS suiteql_page LIMIT 0", params
        )
        keys = _columns(translation.columns, [name for name, _ in described])
        return page_shape(keys, [type_name for _, type_name in described])

    def _count(self, sql: str, params: list[object]) -> int:
        found = self._run(count_sql(sql), params)[0]
        return int(found[0][0])  # type: ignore[call-overload]

    def _page_rows(
        self,
        sql: str,
        params: list[object],
        key: Hashable,
        paging: Paging,
        reachable: int,
        shape: PageShape,
    ) -> Rows:
        """The page's rows: the first page exactly (keyset paging asks only for it), later
        pages from a cached chunk of `CHUNK_PAGES` pages, so offset paging runs the query
        once per ten pages (not when rows change between requests anyway)."""
        size = max(0, min(paging.limit, reachable - paging.offset))
        if size == 0:
            return []
        if paging.offset == 0 or self._before_query is not None:
            return self._rows(sql, params, size, paging.offset, shape)
        span = paging.limit * CHUNK_PAGES
        start = paging.offset // span * span
        chunk_size = min(span, reachable - start)
        rows = self._chunks.get(
            (key, start, span), lambda: self._rows(sql, params, chunk_size, start, shape)
        )
        low = paging.offset - start
        return rows[low : low + size]

    def _rows(
        self, sql: str, params: list[object], size: int, offset: int, shape: PageShape
    ) -> Rows:
        """`size` rows from `offset`, formatted by DuckDB as far as `shape` says."""
        aliases = ", ".join(f"c{i}" for i in range(len(shape.keys)))
        wrapped = (
            f"SELECT {shape.select} FROM ({sql}) AS suiteql_page({aliases}) "
            f"LIMIT {size} OFFSET {offset}"
        )
        return self._run(wrapped, params)[0]

    def _run(self, sql: str, params: list[object]) -> tuple[Rows, list[tuple[str, str]]]:
        """The rows, and each column's name and DuckDB type."""
        cur = self._db.cursor()
        try:
            rows = cur.execute(sql, params).fetchall()
        except duckdb.Error as exc:
            first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise bad_request(
                "Invalid search query. Detailed unprocessed description follows. "
                f"Search error occurred: {first_line}"
            ) from None
        return rows, [(d[0], str(d[1])) for d in cur.description or ()]


@functools.lru_cache(maxsize=256)
def count_sql(sql: str) -> str:
    """`SELECT count(*)` over `sql`, without its outermost ORDER BY when nothing limits the
    rows (sorting does not change a count, and DuckDB would otherwise sort every row)."""
    inner = sql
    try:
        tree = sqlglot.parse_one(sql, read="duckdb")
    except sqlglot.errors.ParseError:
        tree = None
    unlimited = isinstance(tree, exp.Select) and not (
        tree.args.get("limit") or tree.args.get("offset")
    )
    if unlimited and tree is not None and tree.args.get("order") is not None:
        tree.set("order", None)
        inner = tree.sql(dialect="duckdb")
    return f"SELECT count(*) FROM ({inner}) AS suiteql_count"


def _columns(declared: Sequence[str], described: Sequence[str]) -> list[str]:
    """The dialect's names when they match the result's width, else DuckDB's (lower-cased)."""
    names = declared if len(declared) == len(described) else described
    return [name.lower() for name in names]
