"""The whole SuiteOps exception tree, organised by what callers catch.

    SuiteOpsError                      anything SuiteOps raises on purpose
    ├── ConfigError                    a setting is missing or invalid (names the setting)
    ├── QueryFileError                 a queries/*.sql file is malformed (path, line, column)
    │   └── VersionLockError           text changed without a version bump (names the fix)
    ├── ParameterError                 a query parameter value is invalid (names param and query)
    ├── NetSuiteError                  NetSuite (or the emulator) said no, or could not be reached
    │   ├── AuthError                  401/403: bad credentials, signature, token or permission
    │   ├── BadRequestError            400: invalid parameter, SQL or body
    │   │   └── IdempotencyError       400 IDEMPOTENCY_ERROR: the key was already used
    │   ├── NotFoundError              404 NONEXISTENT_ID
    │   ├── RateLimitError             429 CONCURRENCY_LIMIT_EXCEEDED
    │   ├── ServerError                5xx UNEXPECTED_ERROR and friends
    │   ├── TransportError             timeouts, refused or dropped connections
    │   └── ResponseError              a 2xx whose body is not what the protocol promises
    ├── TruncationError                a result would be cut at NetSuite's 100,000-row window
    ├── CacheError                     the DuckDB cache cannot be read or written
    │   └── RefreshInProgress          another refresh holds the single-flight lock
    └── ActionError                    a recovery action failed
        ├── ActionRefused              the plan refuses (reason given, nothing was changed)
        └── PermissionDenied           the actor lacks the role the action needs

`RateLimitError`, `ServerError` and `TransportError` are `retryable`; everything else is not.
Messages never carry credentials: `NetSuiteError` keeps only status, code, detail, the query
name (or a short excerpt of its text) and the request id.
"""

from __future__ import annotations


class SuiteOpsError(Exception):
    """Base class of every error SuiteOps raises on purpose."""


class ConfigError(SuiteOpsError):
    """A setting is missing or invalid; the message names the setting and where it came from."""


class QueryFileError(SuiteOpsError):
    """A query file is malformed. Carries the file path and, where known, line and column."""

    def __init__(self, message: str, path: str, line: int | None = None, column: int | None = None):
        self.path = str(path)
        self.line = line
        self.column = column
        where = self.path if line is None else f"{self.path}:{line}"
        if line is not None and column is not None:
            where += f":{column}"
        super().__init__(f"{where}: {message}")
        self.message = message


class VersionLockError(QueryFileError):
    """A query's text changed but its version (and queries/versions.lock) did not."""


class ParameterError(SuiteOpsError):
    """A parameter value is invalid for the query that declares it."""

    def __init__(self, message: str, name: str | None = None, query: str | None = None):
        self.name = name
        self.query = query
        prefix = ""
        if query:
            prefix += f"query {query!r}: "
        if name:
            prefix += f"parameter {name!r}: "
        super().__init__(prefix + message)


class NetSuiteError(SuiteOpsError):
    """An error response from NetSuite (or the emulator), or a failure to reach it."""

    retryable: bool = False

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        detail: str | None = None,
        query: str | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
    ):
        self.status = status
        self.code = code
        self.detail = detail
        self.query = query
        self.request_id = request_id
        self.retry_after = retry_after
        parts = [message]
        if status is not None:
            parts.append(f"HTTP {status}")
        if code:
            parts.append(code)
        text = " | ".join(parts)
        if detail and detail not in message:
            text += f": {detail}"
        if query:
            text += f" (query: {query})"
        super().__init__(text)


class AuthError(NetSuiteError):
    """401/403: the credentials, signature or token were refused, or the role lacks permission."""


class BadRequestError(NetSuiteError):
    """400: NetSuite rejected the request (bad parameter, SQL or body)."""


class IdempotencyError(BadRequestError):
    """400 IDEMPOTENCY_ERROR: a write with this idempotency key was already accepted."""

    def __init__(self, message: str, *, location: str | None = None, **kwargs: object):
        self.location = location
        super().__init__(message, **kwargs)  # type: ignore[arg-type]


class NotFoundError(NetSuiteError):
    """404 NONEXISTENT_ID: the record does not exist."""


class RateLimitError(NetSuiteError):
    """429 CONCURRENCY_LIMIT_EXCEEDED: too many requests in flight for the account."""

    retryable = True


class ServerError(NetSuiteError):
    """5xx: NetSuite failed (UNEXPECTED_ERROR); safe to retry a read."""

    retryable = True


class TransportError(NetSuiteError):
    """The request did not complete: timeout, refused or dropped connection."""

    retryable = True


class ResponseError(NetSuiteError):
    """A success status whose body breaks the protocol (truncated JSON, missing envelope keys)."""

    retryable = True


class TruncationError(SuiteOpsError):
    """A result is larger than NetSuite's 100,000-row window and cannot be keyset-paged."""


class CacheError(SuiteOpsError):
    """The DuckDB cache cannot be read or written."""


class RefreshInProgress(CacheError):
    """Another refresh holds the single-flight lock."""


class ActionError(SuiteOpsError):
    """A recovery action failed; the audit log has the details."""


class ActionRefused(ActionError):
    """The plan refuses to act; `reason` says why. Nothing was changed."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class PermissionDenied(ActionError):
    """The actor lacks the role this action or page needs."""
