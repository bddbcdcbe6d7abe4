"""NetSuite's REST error shape (DOC:section_156570709583), raised by handlers as `Problem`.

{"type": "https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.1",
 "title": "Bad Request", "status": 400,
 "o:errorDetails": [{"detail": "...", "o:errorCode": "INVALID_PARAMETER"}]}
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import Enum

from starlette.responses import Response

_RFC2616 = "https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html"

# status → (type URL, title). 429 is not in RFC 2616; RFC 6585 defines it.
_STATUS_TEXT: dict[int, tuple[str, str]] = {
    400: (f"{_RFC2616}#sec10.4.1", "Bad Request"),
    401: (f"{_RFC2616}#sec10.4.2", "Unauthorized"),
    403: (f"{_RFC2616}#sec10.4.4", "Forbidden"),
    404: (f"{_RFC2616}#sec10.4.5", "Not Found"),
    405: (f"{_RFC2616}#sec10.4.6", "Method Not Allowed"),
    429: ("https://tools.ietf.org/html/rfc6585#section-4", "Too Many Requests"),
    500: (f"{_RFC2616}#sec10.5.1", "Internal Server Error"),
}

INVALID_LOGIN_TEXT = (
    "Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at "
    "Setup > Users/Roles > User Management > View Login Audit Trail."
)


class ErrorCode(Enum):
    """The `o:errorCode` values the emulator answers with."""

    INVALID_PARAMETER = "INVALID_PARAMETER"
    INVALID_CONTENT = "INVALID_CONTENT"
    INVALID_REQUEST = "INVALID_REQUEST"
    USER_ERROR = "USER_ERROR"
    INVALID_LOGIN = "INVALID_LOGIN"
    NONEXISTENT_ID = "NONEXISTENT_ID"
    CONCURRENCY_LIMIT_EXCEEDED = "CONCURRENCY_LIMIT_EXCEEDED"
    UNEXPECTED_ERROR = "UNEXPECTED_ERROR"
    IDEMPOTENCY_ERROR = "IDEMPOTENCY_ERROR"


class Problem(Exception):
    """An error response in NetSuite's shape; raise it from a handler."""

    def __init__(
        self,
        status: int,
        code: ErrorCode,
        detail: str,
        *,
        headers: Mapping[str, str] | None = None,
        title: str | None = None,
    ):
        super().__init__(f"{status} {code.value}: {detail}")
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = dict(headers or {})
        self.title = title

    def body(self) -> dict[str, object]:
        """The JSON body NetSuite sends for this error."""
        kind, title = _STATUS_TEXT.get(self.status, (_RFC2616, "Error"))
        return {
            "type": kind,
            "title": self.title or title,
            "status": self.status,
            "o:errorDetails": [{"detail": self.detail, "o:errorCode": self.code.value}],
        }

    def response(self) -> Response:
        """The HTTP response for this error."""
        return Response(
            json.dumps(self.body()),
            status_code=self.status,
            headers=self.headers,
            media_type="application/vnd.oracle.resource+json; type=error",
        )


def bad_request(detail: str, code: ErrorCode = ErrorCode.INVALID_PARAMETER) -> Problem:
    """A 400 with the given detail."""
    return Problem(400, code, detail)


def not_found(detail: str) -> Problem:
    """A 404 NONEXISTENT_ID."""
    return Problem(404, ErrorCode.NONEXISTENT_ID, detail)


def invalid_login(account: str, reason: str, *, bearer: bool = False) -> Problem:
    """A 401 INVALID_LOGIN; `reason` goes in `WWW-Authenticate` (NetSuite's audit-trail code)."""
    scheme = "Bearer" if bearer else "OAuth"
    header = f'{scheme} realm="{account}", error="{reason}"'
    return Problem(
        401, ErrorCode.INVALID_LOGIN, INVALID_LOGIN_TEXT, headers={"WWW-Authenticate": header}
    )


def concurrency_exceeded() -> Problem:
    """A 429 CONCURRENCY_LIMIT_EXCEEDED."""
    return Problem(
        429,
        ErrorCode.CONCURRENCY_LIMIT_EXCEEDED,
        "Concurrent request limit exceeded. Request blocked.",
    )


def unexpected(error_id: str) -> Problem:
    """A 500 UNEXPECTED_ERROR carrying an Error ID, as NetSuite's does."""
    return Problem(
        500,
        ErrorCode.UNEXPECTED_ERROR,
        f"An unexpected error occurred. Error ID: {error_id}",
    )
