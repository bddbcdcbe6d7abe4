"""The one place that turns NetSuite responses and httpx failures into `suiteops.errors` classes.

NetSuite errors are RFC 7807-style JSON (DOC:section_156570709583): `type`, `title`, `status`
and `o:errorDetails` `[{detail, o:errorCode}]`. Every error carries the HTTP status, the NetSuite
code, the detail, which query (its name, or a short excerpt of its text) and the request id
(`X-N-OperationId`). Text is scrubbed of credential strings before it goes into any message.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from suiteops.errors import (
    AuthError,
    BadRequestError,
    IdempotencyError,
    NetSuiteError,
    NotFoundError,
    RateLimitError,
    ResponseError,
    ServerError,
    TransportError,
)

REQUEST_ID_HEADER = "X-N-OperationId"
EXCERPT = 60

_BY_STATUS: dict[int, type[NetSuiteError]] = {
    400: BadRequestError,
    401: AuthError,
    403: AuthError,
    404: NotFoundError,
    409: BadRequestError,
    429: RateLimitError,
}
_TITLES: dict[type[NetSuiteError], str] = {
    AuthError: "NetSuite refused the credentials",
    BadRequestError: "NetSuite rejected the request",
    IdempotencyError: "idempotency key already used",
    NotFoundError: "record not found",
    RateLimitError: "NetSuite concurrency limit exceeded",
    ServerError: "NetSuite failed",
    NetSuiteError: "NetSuite error",
}


def query_label(name: str | None, text: str | None) -> str | None:
    """The query's name, else a one-line excerpt of its text (never the whole of a long query)."""
    if name:
        return name
    if not text:
        return None
    line = " ".join(text.split())
    return line if len(line) <= EXCERPT else line[: EXCERPT - 1] + "…"


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every credential string (of 4+ characters) replaced by `***`."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return text


@dataclass(frozen=True)
class ErrorBody:
    """What a NetSuite error body says."""

    title: str | None
    code: str | None
    detail: str | None


def parse_error_body(response: httpx.Response) -> ErrorBody:
    """Read `title`, `o:errorCode` and `detail` from an error response (any shape tolerated)."""
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        text = response.text.strip()[:200] if response.content else None
        return ErrorBody(None, None, text or None)
    if not isinstance(body, dict):
        return ErrorBody(None, None, None)
    details = body.get("o:errorDetails")
    first: Mapping[str, Any] = details[0] if isinstance(details, list) and details else {}
    if not isinstance(first, Mapping):
        first = {}
    code = first.get("o:errorCode") or body.get("o:errorCode") or body.get("error")
    detail = first.get("detail") or body.get("error_description")
    return ErrorBody(_str(body.get("title")), _str(code), _str(detail))


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def retry_after(response: httpx.Response) -> float | None:
    """Seconds from a `Retry-After` header (delta-seconds or HTTP date), if present."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    date_header = response.headers.get("Date")
    now = parsedate_to_datetime(date_header) if date_header else None
    return max(0.0, (when - now).total_seconds()) if now else None


def error_from_response(
    response: httpx.Response,
    *,
    query: str | None = None,
    secrets: Iterable[str] = (),
    message: str | None = None,
) -> NetSuiteError:
    """The `NetSuiteError` subclass for a non-success response."""
    body = parse_error_body(response)
    status = response.status_code
    cls = _BY_STATUS.get(status, ServerError if status >= 500 else NetSuiteError)
    if body.code == "IDEMPOTENCY_ERROR":
        cls = IdempotencyError
    secrets = tuple(secrets)
    text = redact(message or _TITLES.get(cls, "NetSuite error"), secrets)
    kwargs: dict[str, Any] = {
        "status": status,
        "code": body.code,
        "detail": redact(body.detail, secrets) if body.detail else None,
        "query": query,
        "request_id": response.headers.get(REQUEST_ID_HEADER),
        "retry_after": retry_after(response),
    }
    if cls is IdempotencyError:
        return IdempotencyError(text, location=response.headers.get("Location"), **kwargs)
    return cls(text, **kwargs)


_TRANSPORT_WORDS: tuple[tuple[type[Exception], str], ...] = (
    (httpx.TimeoutException, "request timed out"),
    (httpx.ConnectError, "cannot connect to NetSuite"),
    (httpx.RemoteProtocolError, "connection dropped before a complete response"),
    (httpx.ReadError, "connection dropped while reading the response"),
    (httpx.WriteError, "connection dropped while sending the request"),
)


def error_from_exception(
    exc: httpx.HTTPError, *, query: str | None = None, secrets: Iterable[str] = ()
) -> TransportError:
    """A `TransportError` for an httpx failure (timeouts, refused or dropped connections)."""
    words = next((w for kind, w in _TRANSPORT_WORDS if isinstance(exc, kind)), "request failed")
    detail = redact(f"{type(exc).__name__}: {exc}", secrets)
    return TransportError(words, detail=detail, query=query)


def json_body(response: httpx.Response, *, query: str | None = None) -> dict[str, Any]:
    """The JSON object of a success response; anything else is a (retryable) `ResponseError`."""
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ResponseError(
            "response body is not valid JSON (truncated?)",
            status=response.status_code,
            detail=f"{len(response.content)} bytes: {exc}",
            query=query,
            request_id=response.headers.get(REQUEST_ID_HEADER),
        ) from None
    if not isinstance(body, dict):
        raise ResponseError(
            "response body is not a JSON object", status=response.status_code, query=query
        )
    return body
