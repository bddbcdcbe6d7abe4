"""OAuth 2.0 client credentials (M2M): the token endpoint and Bearer token checks.

`POST /services/rest/auth/oauth2/v1/token` (DOC:section_162755359851, DOC:section_162790605110):
form fields `grant_type=client_credentials`,
`client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer` and
`client_assertion` = a JWT whose header has `alg` PS256 or ES256 and `kid` = the certificate id,
and whose claims have `iss` = client id, `aud` = the token URL as requested, `scope` containing
`rest_webservices` (comma-separated text or a list), `iat` and `exp` with `exp - iat <= 3600`.
The signature is checked against the configured certificate's public key (PEM public key or
x.509 certificate). The reply is `{access_token, expires_in: 3600, token_type: "bearer"}`.

Token-endpoint failures use the RFC 6749/7523 shape (`{"error": "invalid_grant", ...}`, 400),
which is what OAuth clients parse; NetSuite's docs name `invalid_grant` for an expired flow.
Bearer tokens are opaque random strings valid 3600 s by the emulator's clock; an unknown or
expired token is a 401 INVALID_LOGIN with `WWW-Authenticate: Bearer error="invalid_token"`
(DOC:subsect_158521885412).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from suiteops.emulator.problems import invalid_login

TOKEN_PATH = "/services/rest/auth/oauth2/v1/token"
TOKEN_LIFETIME_SECONDS = 3600
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ALGORITHMS = {"PS256": rsa.RSAPublicKey, "ES256": ec.EllipticCurvePublicKey}
CLOCK_SKEW_SECONDS = 300


class TokenError(Exception):
    """A refused token request: RFC 6749 `error` code and a description."""

    def __init__(self, error: str, description: str, status: int = 400):
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status

    def body(self) -> dict[str, str]:
        """The RFC 6749 §5.2 error body."""
        return {"error": self.error, "error_description": self.description}


@dataclass(frozen=True)
class M2MClient:
    """The OAuth 2.0 integration the account accepts: client id, certificate id and key."""

    client_id: str
    certificate_id: str
    certificate_pem: str | None


def load_public_key(pem: str) -> Any:
    """The public key of a PEM x.509 certificate or PEM public key."""
    data = pem.encode()
    if b"BEGIN CERTIFICATE" in data:
        return x509.load_pem_x509_certificate(data).public_key()
    return serialization.load_pem_public_key(data)


class BearerTokens:
    """Issued access tokens and their expiry times by the emulator's clock."""

    def __init__(self, realm: str, clock: Callable[[], float]):
        self._realm = realm
        self._clock = clock
        self._expiry: dict[str, float] = {}
        self._lock = threading.Lock()

    def issue(self) -> dict[str, object]:
        """A new token response body."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._expiry[token] = self._clock() + TOKEN_LIFETIME_SECONDS
        return {"access_token": token, "expires_in": TOKEN_LIFETIME_SECONDS, "token_type": "bearer"}

    def check(self, token: str) -> None:
        """Raise 401 `Problem` unless `token` was issued and has not expired."""
        with self._lock:
            expiry = self._expiry.get(token)
        if expiry is None or self._clock() >= expiry:
            raise invalid_login(self._realm, "invalid_token", bearer=True)


class TokenEndpoint:
    """Verifies client-credentials requests and issues Bearer tokens."""

    def __init__(self, client: M2MClient, tokens: BearerTokens, clock: Callable[[], float]):
        self._client = client
        self._tokens = tokens
        self._clock = clock

    def exchange(self, form: Mapping[str, str], token_url: str) -> dict[str, object]:
        """Check the form and its JWT assertion; return the token response body."""
        if form.get("grant_type") != "client_credentials":
            raise TokenError("unsupported_grant_type", "grant_type must be client_credentials")
        if form.get("client_assertion_type") != ASSERTION_TYPE:
            raise TokenError("invalid_request", f"client_assertion_type must be {ASSERTION_TYPE}")
        assertion = form.get("client_assertion", "")
        if not assertion:
            raise TokenError("invalid_request", "client_assertion is missing")
        claims = self._verify(assertion, token_url)
        self._check_claims(claims)
        return self._tokens.issue()

    def _verify(self, assertion: str, token_url: str) -> dict[str, Any]:
        if not self._client.certificate_pem:
            raise TokenError("invalid_client", "no certificate is configured for this account")
        try:
            header = jwt.get_unverified_header(assertion)
        except jwt.PyJWTError as exc:
            raise TokenError("invalid_grant", f"malformed client_assertion: {exc}") from None
        alg = header.get("alg")
        if alg not in ALGORITHMS:
            raise TokenError("invalid_grant", f"alg {alg!r} is not allowed (PS256 or ES256)")
        if header.get("kid") != self._client.certificate_id:
            raise TokenError("invalid_grant", "kid does not match a certificate of this client")
        key = load_public_key(self._client.certificate_pem)
        if not isinstance(key, ALGORITHMS[alg]):
            raise TokenError("invalid_grant", f"the certificate's key cannot verify {alg}")
        try:
            return jwt.decode(
                assertion,
                key,
                algorithms=[alg],
                audience=token_url,
                issuer=self._client.client_id,
                options={
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                    "require": ["iss", "aud", "iat", "exp"],
                },
            )
        except jwt.PyJWTError as exc:
            raise TokenError("invalid_grant", f"client_assertion rejected: {exc}") from None

    def _check_claims(self, claims: Mapping[str, Any]) -> None:
        now = self._clock()
        iat, exp = claims["iat"], claims["exp"]
        if not isinstance(iat, int | float) or not isinstance(exp, int | float):
            raise TokenError("invalid_grant", "iat and exp must be numbers")
        if exp <= now or iat > now + CLOCK_SKEW_SECONDS:
            raise TokenError("invalid_grant", "the assertion is expired or not yet valid")
        if exp - iat > TOKEN_LIFETIME_SECONDS:
            raise TokenError("invalid_grant", "exp must be at most 3600 s after iat")
        scope = claims.get("scope", "")
        scopes = scope if isinstance(scope, list) else str(scope).replace(" ", ",").split(",")
        if "rest_webservices" not in {s.strip() for s in scopes}:
            raise TokenError("invalid_scope", "scope must include rest_webservices")
