"""Pure parts of the client: account forms, TBA signing (vs oauthlib), retry policy, AIMD limit,
coercion, envelope checks and error mapping."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oauthlib import oauth1

from suiteops.config import Secret
from suiteops.errors import (
    AuthError,
    BadRequestError,
    ConfigError,
    IdempotencyError,
    NotFoundError,
    RateLimitError,
    ResponseError,
    ServerError,
    TransportError,
)
from suiteops.models import ColumnType as C
from suiteops.netsuite import AdaptiveLimit, RetryPolicy, TokenAuth, normalize_account
from suiteops.netsuite.auth import default_base_url
from suiteops.netsuite.coerce import coerce_value, shape_rows
from suiteops.netsuite.paging import read_envelope
from suiteops.netsuite.responses import error_from_exception, error_from_response, query_label

# --- accounts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["1234567_SB1", "1234567-sb1", "1234567_sb1", " 1234567-SB1 "])
def test_normalize_account_any_form(form: str) -> None:
    account = normalize_account(form)
    assert (account.realm, account.host_slug) == ("1234567_SB1", "1234567-sb1")


@pytest.mark.parametrize("bad", ["", "12 34", "acct/..", "a__b", "x.y"])
def test_normalize_account_rejects(bad: str) -> None:
    with pytest.raises(ConfigError, match=r"netsuite\.account"):
        normalize_account(bad)


def test_default_base_url() -> None:
    assert default_base_url("TSTDRV123_sb2") == "https://tstdrv123-sb2.suitetalk.api.netsuite.com"


# --- TBA signing cross-checked with oauthlib ----------------------------------------------------

KEYS = ("ck+/=&x", "cs secret&%", "tok~en", "ts!*secret")


@pytest.mark.parametrize(
    "url",
    [
        "https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/query/v1/suiteql?limit=1000&offset=2000",
        "http://127.0.0.1:8123/services/rest/record/v1/salesOrder/42?expandSubResources=true&a=b%20c",
        "https://host.example/path/eid:A-1/!transform/invoice",
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST", "PATCH"])
def test_tba_signature_matches_oauthlib(url: str, method: str) -> None:
    auth = TokenAuth(
        "1234567_sb1", *KEYS, nonce=lambda: "abcdefghij0123456789", clock=lambda: 1.7e9
    )
    ours = auth.header(method, url)
    client = oauth1.Client(
        KEYS[0],
        client_secret=KEYS[1],
        resource_owner_key=KEYS[2],
        resource_owner_secret=KEYS[3],
        signature_method=oauth1.SIGNATURE_HMAC_SHA256,
        realm="1234567_SB1",
        nonce="abcdefghij0123456789",
        timestamp="1700000000",
    )
    # NetSuite signs no JSON body; oauthlib 4 would add an oauth_body_hash for one, so the
    # cross-check signs the request line alone, as requests-oauthlib does for JSON bodies.
    _, headers, _ = client.sign(url, http_method=method)
    assert _fields(ours) == _fields(headers["Authorization"])


def _fields(header: str) -> dict[str, str]:
    assert header.startswith("OAuth ")
    pairs = (part.strip().split("=", 1) for part in header[6:].split(","))
    return {k: v.strip('"') for k, v in pairs}


def test_tba_fresh_nonce_and_timestamp_every_attempt() -> None:
    ticks = iter([100.0, 101.0])
    auth = TokenAuth("1", *KEYS, clock=lambda: next(ticks))
    request = httpx.Request("POST", "https://1.example/x?limit=1")
    first = _fields(_sign(auth, request))
    second = _fields(_sign(auth, request))
    assert first["oauth_nonce"] != second["oauth_nonce"]
    assert (first["oauth_timestamp"], second["oauth_timestamp"]) == ("100", "101")
    assert first["oauth_signature"] != second["oauth_signature"]
    assert len(first["oauth_nonce"]) >= 6


def _sign(auth: TokenAuth, request: httpx.Request) -> str:
    flow = auth.auth_flow(request)
    return next(flow).headers["Authorization"]


def test_tba_repr_hides_secrets() -> None:
    auth = TokenAuth("1", Secret("ck-SECRET1"), "cs-SECRET2", "tk-SECRET3", "ts-SECRET4")
    text = repr(auth) + str(auth) + repr(vars(auth).get("account"))
    assert "SECRET" not in text and "1" in text


# --- retry policy -------------------------------------------------------------------------------


def test_delay_is_full_jitter_over_capped_exponential() -> None:
    policy = RetryPolicy(base=0.5, cap=5.0, jitter=lambda ceiling: ceiling)
    assert [policy.delay(n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]
    zero = RetryPolicy(base=0.5, jitter=lambda ceiling: 0.0)
    assert zero.delay(3) == 0.0


def test_delay_default_jitter_stays_within_ceiling() -> None:
    policy = RetryPolicy(base=1.0, cap=8.0)
    samples = [policy.delay(3) for _ in range(200)]
    assert all(0.0 <= s <= 4.0 for s in samples)
    assert len(set(samples)) > 100


def test_delay_honours_retry_after_as_floor_but_capped() -> None:
    policy = RetryPolicy(base=0.1, cap=10.0, jitter=lambda ceiling: 0.0)
    assert policy.delay(1, retry_after=3.0) == 3.0
    assert policy.delay(1, retry_after=60.0) == 10.0


@pytest.mark.parametrize(
    ("error", "method", "idempotent", "attempt", "r401", "expected"),
    [
        (RateLimitError("x", status=429), "POST", True, 1, 0, True),
        (ServerError("x", status=500), "GET", False, 1, 0, True),
        (TransportError("x"), "GET", False, 5, 0, True),
        (TransportError("x"), "GET", False, 6, 0, False),
        (ResponseError("x"), "GET", False, 1, 0, True),
        (ServerError("x", status=500), "PATCH", False, 1, 0, False),
        (ServerError("x", status=500), "PUT", True, 1, 0, True),
        (AuthError("x", status=401), "GET", False, 1, 0, True),
        (AuthError("x", status=401), "GET", False, 2, 1, False),
        (AuthError("x", status=403), "GET", False, 1, 0, False),
        (BadRequestError("x", status=400), "GET", False, 1, 0, False),
        (NotFoundError("x", status=404), "GET", False, 1, 0, False),
    ],
)
def test_should_retry(
    error: Exception, method: str, idempotent: bool, attempt: int, r401: int, expected: bool
) -> None:
    policy = RetryPolicy()
    got = policy.should_retry(
        error, attempt=attempt, method=method, idempotent=idempotent, retries_401=r401
    )
    assert got is expected


def test_budget() -> None:
    policy = RetryPolicy(budget=10.0)
    assert policy.within_budget(8.0, 2.0) and not policy.within_budget(8.0, 2.5)


def test_policy_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)


# --- adaptive limit -----------------------------------------------------------------------------


def test_aimd_halves_on_429_and_recovers_by_one() -> None:
    limit = AdaptiveLimit(8, recover_after=3)
    limit.throttled()
    assert limit.cap == 4
    limit.throttled()
    limit.throttled()
    limit.throttled()
    assert limit.cap == 1
    for _ in range(3):
        limit.succeeded()
    assert limit.cap == 2
    for _ in range(30):
        limit.succeeded()
    assert limit.cap == 8


def test_aimd_default_recovers_one_per_window_of_cap_successes() -> None:
    limit = AdaptiveLimit(8)
    limit.throttled()
    limit.throttled()
    assert limit.cap == 2
    limit.succeeded()
    assert limit.cap == 2
    limit.succeeded()
    assert limit.cap == 3
    for _ in range(3):
        limit.succeeded()
    assert limit.cap == 4


def test_aimd_halves_once_per_burst() -> None:
    limit = AdaptiveLimit(8)
    epochs = [limit.acquire() for _ in range(4)]
    for epoch in epochs:  # four 429s from requests all sent before the first decrease
        limit.throttled(epoch)
    assert limit.cap == 4
    for _ in epochs:
        limit.release()
    limit.throttled(limit.acquire())  # a request sent after the decrease: halve again
    assert limit.cap == 2


def test_limit_blocks_above_cap() -> None:
    limit = AdaptiveLimit(2)
    inside = []
    lock = threading.Lock()
    peak = [0]

    def work() -> None:
        limit.acquire()
        with lock:
            inside.append(1)
            peak[0] = max(peak[0], len(inside))
        time.sleep(0.02)
        with lock:
            inside.pop()
        limit.release()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak[0] == 2 and limit.max_in_flight == 2


# --- coercion -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [
        (C.INT, "143", 143),
        (C.INT, "-3", -3),
        (C.INT, "3.0", 3),
        (C.DECIMAL, "12.5", Decimal("12.5")),
        (C.DECIMAL, "-0.0001", Decimal("-0.0001")),
        (C.DATE, "6/22/2023", date(2023, 6, 22)),
        (C.DATE, "2023-06-22", date(2023, 6, 22)),
        (C.DATETIME, "6/22/2023 3:04 pm", datetime(2023, 6, 22, 15, 4)),
        (C.DATETIME, "6/22/2023 12:04:05 am", datetime(2023, 6, 22, 0, 4, 5)),
        (C.DATETIME, "6/22/2023", datetime(2023, 6, 22)),
        (C.DATETIME, "2023-06-22 10:11:12", datetime(2023, 6, 22, 10, 11, 12)),
        (
            C.DATETIME,
            "2023-06-22T10:11:12Z",
            datetime(2023, 6, 22, 10, 11, 12, tzinfo=UTC),
        ),
        (C.BOOL, "T", True),
        (C.BOOL, "F", False),
        (C.TEXT, "T", "T"),
    ],
)
def test_coerce(kind: C, text: str, value: object) -> None:
    assert coerce_value(text, kind) == value


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (C.INT, "3.5"),
        (C.INT, "x"),
        (C.DECIMAL, "NaN"),
        (C.DATE, "13/40/2023"),
        (C.DATE, "today"),
        (C.BOOL, "Y"),
        (C.DATETIME, "6/22/2023 13:00 pm"),
    ],
)
def test_coerce_rejects(kind: C, text: str) -> None:
    with pytest.raises(ValueError, match=kind.value):
        coerce_value(text, kind)


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=date(1900, 1, 1)), number=st.integers(-(10**15), 10**15))
def test_coerce_round_trips_netsuite_text(day: date, number: int) -> None:
    us = f"{day.month}/{day.day}/{day.year}"
    assert coerce_value(us, C.DATE) == coerce_value(day.isoformat(), C.DATE) == day
    assert coerce_value(str(number), C.INT) == number
    assert coerce_value(str(number), C.DECIMAL) == Decimal(number)


def test_shape_rows_keeps_column_order_and_omitted_nulls() -> None:
    items = [{"links": [], "b": "2", "a": "x"}, {"links": [], "a": "y", "extra": "e"}]
    rows = shape_rows(items, ("a", "b", "c"), {"b": C.INT}, first_row=0, query="q")
    assert rows == [{"a": "x", "b": 2, "c": None}, {"a": "y", "b": None, "c": None, "extra": "e"}]
    assert list(rows[0]) == ["a", "b", "c"]


def test_shape_rows_bad_value_names_column_row_and_value() -> None:
    items = [{"n": "1"}, {"n": "oops"}]
    with pytest.raises(ResponseError) as info:
        shape_rows(items, ("n",), {"n": C.INT}, first_row=1000, query="open_orders")
    text = str(info.value)
    assert "'n'" in text and "row 1001" in text and "'oops'" in text and "open_orders" in text


# --- envelope -----------------------------------------------------------------------------------


def _env(n: int, total: int, offset: int, has_more: bool, count: int | None = None) -> dict:
    items = [{"links": [], "id": str(i)} for i in range(n)]
    return {
        "links": [],
        "count": n if count is None else count,
        "hasMore": has_more,
        "offset": offset,
        "totalResults": total,
        "items": items,
    }


@pytest.mark.parametrize(
    ("body", "offset"),
    [
        (_env(1000, 2500, 0, True), 0),
        (_env(500, 2500, 2000, False), 2000),
        (_env(0, 0, 0, False), 0),
        (_env(1000, 250_000, 99_000, False), 99_000),
    ],
)
def test_envelope_ok(body: dict, offset: int) -> None:
    assert read_envelope(body, offset=offset, query="q").total == body["totalResults"]


@pytest.mark.parametrize(
    ("body", "offset", "says"),
    [
        (_env(999, 2500, 0, True), 0, "999 items"),
        (_env(1000, 2500, 0, True, count=10), 0, "count 10"),
        (_env(1000, 2500, 0, False), 0, "hasMore"),
        (_env(1000, 2500, 1000, True), 2000, "offset"),
        ({"items": []}, 0, "lacks"),
    ],
)
def test_envelope_inconsistent(body: dict, offset: int, says: str) -> None:
    with pytest.raises(ResponseError, match=says):
        read_envelope(body, offset=offset, query="q")


# --- error mapping ------------------------------------------------------------------------------


def _error(status: int, code: str, detail: str, headers: dict | None = None) -> httpx.Response:
    body = {
        "type": "https://www.rfc-editor.org/rfc/rfc9110",
        "title": "Bad",
        "status": status,
        "o:errorDetails": [{"detail": detail, "o:errorCode": code}],
    }
    return httpx.Response(status, json=body, headers={"X-N-OperationId": "op-1", **(headers or {})})


@pytest.mark.parametrize(
    ("status", "code", "cls"),
    [
        (400, "INVALID_PARAMETER", BadRequestError),
        (400, "IDEMPOTENCY_ERROR", IdempotencyError),
        (401, "INVALID_LOGIN", AuthError),
        (403, "INSUFFICIENT_PERMISSION", AuthError),
        (404, "NONEXISTENT_ID", NotFoundError),
        (429, "CONCURRENCY_LIMIT_EXCEEDED", RateLimitError),
        (500, "UNEXPECTED_ERROR", ServerError),
        (503, "UNEXPECTED_ERROR", ServerError),
    ],
)
def test_error_mapping(status: int, code: str, cls: type) -> None:
    error = error_from_response(
        _error(status, code, "it broke", {"Location": "/async/v1/job/9", "Retry-After": "2"}),
        query="pending_orders",
    )
    assert type(error) is cls
    assert (error.status, error.code, error.detail) == (status, code, "it broke")
    assert (error.request_id, error.query, error.retry_after) == ("op-1", "pending_orders", 2.0)
    assert code in str(error) and "pending_orders" in str(error)
    if cls is IdempotencyError:
        assert error.location == "/async/v1/job/9"


def test_error_mapping_non_json_body() -> None:
    error = error_from_response(httpx.Response(502, text="<html>Bad gateway</html>"))
    assert isinstance(error, ServerError) and "Bad gateway" in (error.detail or "")


def test_error_detail_is_scrubbed_of_secrets() -> None:
    response = _error(401, "INVALID_LOGIN", "token tk-SECRET-123 refused")
    error = error_from_response(response, secrets=["tk-SECRET-123"])
    assert "SECRET" not in str(error) and "SECRET" not in repr(error)


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (httpx.ReadTimeout("slow"), "timed out"),
        (httpx.ConnectError("refused"), "cannot connect"),
        (httpx.RemoteProtocolError("Server disconnected"), "dropped"),
    ],
)
def test_transport_errors(exc: httpx.HTTPError, words: str) -> None:
    error = error_from_exception(exc, query="q")
    assert isinstance(error, TransportError) and error.retryable and words in str(error)


def test_query_label_is_an_excerpt() -> None:
    long = "SELECT " + ", ".join(f"col{i}" for i in range(100)) + " FROM t"
    label = query_label(None, long)
    assert label is not None and len(label) <= 60 and label.startswith("SELECT col0")
    assert query_label("named", long) == "named"
