"""Authentication as `httpx.Auth`: OAuth 1.0a TBA and OAuth 2.0 client credentials (M2M).

Both are generators that run again for every attempt, so each retry is signed afresh: TBA
refuses a reused nonce+timestamp pair (DOC:subsect_156935170194). The account id is accepted in
any form and normalised: the realm is upper case with `_` (`1234567_SB1`), the host slug lower
case with `-` (`1234567-sb1`) (DOC:section_1534941295, DOC:section_1546938065).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote

import httpx
import jwt

from suiteops.config import Secret
from suiteops.errors import AuthError, ConfigError
from suiteops.netsuite.responses import error_from_response

_ACCOUNT = re.compile(r"^[A-Za-z0-9]+([_-][A-Za-z0-9]+)*$")
TOKEN_PATH = "/services/rest/auth/oauth2/v1/token"
_REFUSED = frozenset({400, 401, 403})


@dataclass(frozen=True)
class Account:
    """A NetSuite account id in both spellings NetSuite needs."""

    realm: str
    host_slug: str


def normalize_account(account: str) -> Account:
    """`1234567_sb1`, `1234567-SB1`, ` 1234567_SB1 ` → realm `1234567_SB1`, slug `1234567-sb1`."""
    text = account.strip()
    if not _ACCOUNT.match(text):
        raise ConfigError(f"netsuite.account: {account!r} is not a NetSuite account id")
    return Account(realm=text.replace("-", "_").upper(), host_slug=text.replace("_", "-").lower())


def default_base_url(account: str | Account) -> str:
    """`https://<slug>.suitetalk.api.netsuite.com` for the account."""
    acct = account if isinstance(account, Account) else normalize_account(account)
    return f"https://{acct.host_slug}.suitetalk.api.netsuite.com"


def _reveal(value: Secret | str) -> str:
    return value.reveal() if isinstance(value, Secret) else value


def _enc(text: str) -> str:
    """RFC 3986 percent-encoding as RFC 5849 §3.6 requires (only unreserved characters kept)."""
    return quote(text, safe="~")


def _new_nonce() -> str:
    return secrets.token_hex(10)


class TokenAuth(httpx.Auth):
    """OAuth 1.0a token-based authentication, HMAC-SHA256 (DOC:section_1534941088)."""

    def __init__(
        self,
        account: str,
        consumer_key: Secret | str,
        consumer_secret: Secret | str,
        token_id: Secret | str,
        token_secret: Secret | str,
        *,
        nonce: Callable[[], str] = _new_nonce,
        clock: Callable[[], float] = time.time,
    ):
        self.account = normalize_account(account)
        self._consumer_key = _reveal(consumer_key)
        self._consumer_secret = _reveal(consumer_secret)
        self._token_id = _reveal(token_id)
        self._token_secret = _reveal(token_secret)
        self._nonce = nonce
        self._clock = clock

    def __repr__(self) -> str:
        return f"TokenAuth(account={self.account.realm!r}, credentials='***')"

    def secret_values(self) -> tuple[str, ...]:
        """The credential strings, so error text can be scrubbed of them."""
        return (self._consumer_key, self._consumer_secret, self._token_id, self._token_secret)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Sign `request` with a fresh nonce and timestamp (runs again on every attempt)."""
        request.headers["Authorization"] = self.header(request.method, str(request.url))
        yield request

    def header(self, method: str, url: str) -> str:
        """The `Authorization: OAuth ...` header value for one request."""
        oauth = {
            "oauth_consumer_key": self._consumer_key,
            "oauth_nonce": self._nonce(),
            "oauth_signature_method": "HMAC-SHA256",
            "oauth_timestamp": str(int(self._clock())),
            "oauth_token": self._token_id,
            "oauth_version": "1.0",
        }
        oauth["oauth_signature"] = self.signature(method, url, oauth)
        fields = [f'realm="{self.account.realm}"']
        fields += [f'{name}="{_enc(value)}"' for name, value in oauth.items()]
        return "OAuth " + ", ".join(fields)

    def signature(self, method: str, url: str, oauth: dict[str, str]) -> str:
        """Base64 HMAC-SHA256 over the RFC 5849 base string (query params signed, body not)."""
        key = f"{_enc(self._consumer_secret)}&{_enc(self._token_secret)}"
        digest = hmac.new(key.encode(), base_string(method, url, oauth).encode(), hashlib.sha256)
        return base64.b64encode(digest.digest()).decode()


def base_string(method: str, url: str, oauth: dict[str, str]) -> str:
    """RFC 5849 §3.4.1 signature base string; the realm is not part of it."""
    parsed = httpx.URL(url)
    port = parsed.port
    default = {"http": 80, "https": 443}.get(parsed.scheme)
    netloc = parsed.host if port in (None, default) else f"{parsed.host}:{port}"
    base_uri = f"{parsed.scheme}://{netloc}{parsed.path}"
    pairs = parse_qsl(parsed.query.decode(), keep_blank_values=True)
    pairs += [(k, v) for k, v in oauth.items() if k != "oauth_signature"]
    encoded = sorted((_enc(k), _enc(v)) for k, v in pairs)
    normalized = "&".join(f"{k}={v}" for k, v in encoded)
    return "&".join((method.upper(), _enc(base_uri), _enc(normalized)))


class ClientCredentialsAuth(httpx.Auth):
    """OAuth 2.0 client credentials with a JWT assertion (DOC:section_162755359851).

    The access token is cached until 60 s before it expires; a 401 on a request with a cached
    token (expired early or revoked) triggers one new token and one re-send.
    """

    requires_response_body = True
    _ALGORITHMS = frozenset({"PS256", "ES256"})

    def __init__(
        self,
        account: str,
        client_id: Secret | str,
        certificate_id: str,
        private_key: str | Path,
        *,
        algorithm: str = "PS256",
        token_url: str | None = None,
        scope: str = "rest_webservices",
        clock: Callable[[], float] = time.time,
    ):
        if algorithm not in self._ALGORITHMS:
            raise ConfigError(f"netsuite.jwt_algorithm must be PS256 or ES256, got {algorithm!r}")
        self.account = normalize_account(account)
        self._client_id = _reveal(client_id)
        self.certificate_id = certificate_id
        self.algorithm = algorithm
        self.token_url = token_url or default_base_url(self.account) + TOKEN_PATH
        self.scope = scope
        self._key_path = Path(private_key)
        self._clock = clock
        self._lock = threading.Lock()
        self._token: tuple[str, float] | None = None

    def __repr__(self) -> str:
        return (
            f"ClientCredentialsAuth(account={self.account.realm!r}, "
            f"algorithm={self.algorithm!r}, credentials='***')"
        )

    def secret_values(self) -> tuple[str, ...]:
        """The credential strings (and a cached token), so error text can be scrubbed of them."""
        token = self._token[0] if self._token else ""
        return tuple(v for v in (self._client_id, token) if v)

    def assertion(self) -> str:
        """A signed JWT client assertion (DOC:section_162790605110)."""
        try:
            key = self._key_path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(
                f"netsuite.private_key: cannot read {self._key_path}: {exc.strerror}"
            ) from None
        now = int(self._clock())
        claims = {
            "iss": self._client_id,
            "scope": self.scope,
            "aud": self.token_url,
            "iat": now,
            "exp": now + 3600,
        }
        headers = {"kid": self.certificate_id, "typ": "JWT"}
        return jwt.encode(claims, key, algorithm=self.algorithm, headers=headers)

    def token_request(self) -> httpx.Request:
        """The POST to the token endpoint."""
        form = {
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": self.assertion(),
        }
        return httpx.Request("POST", self.token_url, data=form)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add a bearer token (fetching one if needed); on a 401 re-authenticate once."""
        token = self._cached()
        if token is None:
            token = yield from self._fetch()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401:
            self._forget(token)
            token = yield from self._fetch()
            request.headers["Authorization"] = f"Bearer {token}"
            yield request

    def _cached(self) -> str | None:
        with self._lock:
            if self._token and self._clock() < self._token[1] - 60:
                return self._token[0]
        return None

    def _forget(self, token: str) -> None:
        with self._lock:
            if self._token and self._token[0] == token:
                self._token = None

    def _fetch(self) -> Generator[httpx.Request, httpx.Response, str]:
        response = yield self.token_request()
        if response.status_code != 200:
            error = error_from_response(response, message="OAuth 2.0 token request refused")
            if response.status_code in _REFUSED:  # invalid_grant/invalid_client: bad credentials
                raise AuthError(
                    "OAuth 2.0 token request refused",
                    status=error.status,
                    code=error.code,
                    detail=error.detail,
                    request_id=error.request_id,
                )
            raise error
        try:
            body = response.json()
            token, lifetime = str(body["access_token"]), float(body.get("expires_in", 3600))
        except (ValueError, KeyError, TypeError):
            raise AuthError("OAuth 2.0 token response is not valid", status=200) from None
        with self._lock:
            self._token = (token, self._clock() + lifetime)
        return token
