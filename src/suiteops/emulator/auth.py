"""Token-based authentication (OAuth 1.0a, HMAC-SHA256), verified for real, and the check that
dispatches each request to TBA or to an OAuth 2.0 Bearer token.

TBA rules (reference §2.1, DOC:section_1534941088, DOC:subsect_156935170194):
- `Authorization: OAuth realm="...", oauth_consumer_key=..., ...`, values percent-encoded;
- realm must equal the account id in canonical form (upper case, `_`): a lower-case realm fails;
- only HMAC-SHA256; the signature covers the RFC 5849 base string of the URL *as requested*
  (scheme, host and port as the client addressed them, path, query parameters), never the JSON
  body; key = enc(consumer secret) & enc(token secret);
- the timestamp must be within ±300 s of the emulator's clock; the nonce at least 6 characters;
  a nonce+timestamp pair is accepted once (`NonceUsed`).
Every refusal is 401 INVALID_LOGIN with NetSuite's text; the audit-trail reason (the code the
Login Audit Trail would show, e.g. `InvalidSignature`) goes in `WWW-Authenticate`.

This verifier is written from RFC 5849 directly (not with oauthlib) so that tests signing with
oauthlib check two independent implementations against each other.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from suiteops.emulator.oauth2 import BearerTokens
from suiteops.emulator.problems import invalid_login

TIMESTAMP_WINDOW_SECONDS = 300
MIN_NONCE_LENGTH = 6


def canonical_account(account: str) -> str:
    """`1234567-sb1` → `1234567_SB1`: the realm NetSuite expects."""
    return account.strip().upper().replace("-", "_")


@dataclass(frozen=True)
class TbaCredentials:
    """The TBA consumer and token the emulated account accepts."""

    consumer_key: str
    consumer_secret: str
    token_id: str
    token_secret: str


def enc(text: str) -> str:
    """RFC 5849 §3.6 percent-encoding (unreserved characters kept)."""
    return quote(text, safe="-._~")


def parse_oauth_header(header: str) -> dict[str, str]:
    """The decoded `name="value"` pairs of an `OAuth ...` Authorization header."""
    scheme, _, rest = header.strip().partition(" ")
    if scheme.lower() != "oauth":
        raise ValueError("not an OAuth header")
    params: dict[str, str] = {}
    for part in rest.split(","):
        name, sep, value = part.strip().partition("=")
        if not sep or len(value) < 2 or value[0] != '"' or value[-1] != '"':
            raise ValueError(f"malformed OAuth parameter {part.strip()!r}")
        params[unquote(name)] = unquote(value[1:-1])
    return params


def base_string(method: str, url: str, oauth_params: Mapping[str, str]) -> str:
    """The RFC 5849 §3.4.1 signature base string for `method url` and the header parameters."""
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    default_port = {"http": 80, "https": 443}.get(scheme)
    netloc = host if parts.port in (None, default_port) else f"{host}:{parts.port}"
    base_uri = f"{scheme}://{netloc}{parts.path or '/'}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    pairs += [(k, v) for k, v in oauth_params.items() if k not in {"realm", "oauth_signature"}]
    normalized = "&".join(f"{k}={v}" for k, v in sorted((enc(k), enc(v)) for k, v in pairs))
    return "&".join((method.upper(), enc(base_uri), enc(normalized)))


def sign_hmac_sha256(base: str, consumer_secret: str, token_secret: str) -> str:
    """Base64 HMAC-SHA256 of `base` keyed with the two secrets."""
    key = f"{enc(consumer_secret)}&{enc(token_secret)}".encode()
    return base64.b64encode(hmac.new(key, base.encode(), hashlib.sha256).digest()).decode()


class TbaVerifier:
    """Checks TBA-signed requests and remembers used nonces."""

    def __init__(self, account: str, credentials: TbaCredentials, clock: Callable[[], float]):
        self.realm = canonical_account(account)
        self._creds = credentials
        self._clock = clock
        self._seen: set[tuple[str, str]] = set()
        self._order: deque[tuple[float, tuple[str, str]]] = deque()
        self._lock = threading.Lock()

    def verify(self, method: str, url: str, header: str) -> None:
        """Raise 401 `Problem` unless the header is a valid, fresh TBA signature for the URL."""
        try:
            params = parse_oauth_header(header)
        except ValueError:
            raise self._refuse("InvalidAuthorizationHeader") from None
        self._check_identity(params)
        timestamp = self._check_freshness(params)
        base = base_string(method, url, params)
        expected = sign_hmac_sha256(base, self._creds.consumer_secret, self._creds.token_secret)
        if not hmac.compare_digest(expected, params.get("oauth_signature", "")):
            raise self._refuse("InvalidSignature")
        self._remember(params["oauth_nonce"], params["oauth_timestamp"], timestamp)

    def _refuse(self, reason: str) -> Exception:
        return invalid_login(self.realm, reason)

    def _check_identity(self, params: Mapping[str, str]) -> None:
        if params.get("realm") != self.realm:
            raise self._refuse("InvalidAccount")
        if params.get("oauth_signature_method") != "HMAC-SHA256":
            raise self._refuse("UnknownAlgorithm")
        if params.get("oauth_version", "1.0") != "1.0":
            raise self._refuse("InvalidVersion")
        if params.get("oauth_consumer_key") != self._creds.consumer_key:
            raise self._refuse("InvalidConsumerKey")
        if params.get("oauth_token") != self._creds.token_id:
            raise self._refuse("InvalidToken")

    def _check_freshness(self, params: Mapping[str, str]) -> int:
        try:
            timestamp = int(params.get("oauth_timestamp", ""))
        except ValueError:
            raise self._refuse("InvalidTimestamp") from None
        if abs(self._clock() - timestamp) > TIMESTAMP_WINDOW_SECONDS:
            raise self._refuse("InvalidTimestamp")
        if len(params.get("oauth_nonce", "")) < MIN_NONCE_LENGTH:
            raise self._refuse("InvalidNonce")
        key = (params["oauth_nonce"], params["oauth_timestamp"])
        with self._lock:
            if key in self._seen:
                raise self._refuse("NonceUsed")
        return timestamp

    def _remember(self, nonce: str, raw_timestamp: str, timestamp: int) -> None:
        key = (nonce, raw_timestamp)
        horizon = self._clock() - 2 * TIMESTAMP_WINDOW_SECONDS
        with self._lock:
            if key in self._seen:
                raise self._refuse("NonceUsed")
            self._seen.add(key)
            self._order.append((timestamp, key))
            # A pair older than the timestamp window is refused anyway; forget it.
            while self._order and self._order[0][0] < horizon:
                self._seen.discard(self._order.popleft()[1])


class Authenticator:
    """Accepts a request signed with TBA or carrying a valid OAuth 2.0 Bearer token."""

    def __init__(self, tba: TbaVerifier, bearer: BearerTokens):
        self.tba = tba
        self.bearer = bearer

    def check(self, method: str, url: str, authorization: str | None) -> None:
        """Raise 401 `Problem` unless the request is authenticated."""
        if not authorization:
            raise invalid_login(self.tba.realm, "MissingAuthorization")
        scheme = authorization.strip().split(" ", 1)[0].lower()
        if scheme == "bearer":
            self.bearer.check(authorization.strip()[7:].strip())
        elif scheme == "oauth":
            self.tba.verify(method, url, authorization)
        else:
            raise invalid_login(self.tba.realm, "UnsupportedAuthorizationScheme")
