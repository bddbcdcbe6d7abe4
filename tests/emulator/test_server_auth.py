"""Authentication over real HTTP: TBA signed by independent signers, and OAuth 2.0 M2M."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from emuhelpers import SUITEQL, error_code, sign, start_small, suiteql
from requests_oauthlib import OAuth1

from suiteops.emulator.oauth2 import ASSERTION_TYPE, TOKEN_PATH
from suiteops.emulator.server import Emulator

Q = "SELECT id FROM item WHERE id = 1"


@pytest.fixture(scope="module")
def tba() -> Iterator[Emulator]:
    with start_small() as emu:
        yield emu


def reason(response: httpx.Response) -> str:
    header = response.headers["WWW-Authenticate"]
    return header.split('error="', 1)[1].rstrip('"')


def post_signed(emu: Emulator, headers: dict[str, str], query: str = "") -> httpx.Response:
    url = emu.base_url + SUITEQL + query
    return httpx.post(url, json={"q": Q}, headers={"Prefer": "transient", **headers})


def assert_refused(response: httpx.Response, why: str) -> None:
    assert response.status_code == 401
    assert error_code(response) == "INVALID_LOGIN"
    assert "Invalid login attempt" in response.json()["o:errorDetails"][0]["detail"]
    assert reason(response) == why


def test_oauthlib_signature_with_query_parameters_is_accepted(tba: Emulator) -> None:
    url = tba.base_url + SUITEQL + "?limit=5&offset=0"
    response = post_signed(tba, sign(tba, "POST", url), "?limit=5&offset=0")
    assert response.status_code == 200 and response.json()["count"] == 1


def test_requests_oauthlib_signer_is_accepted(tba: Emulator) -> None:
    c = tba.config
    auth = OAuth1(c.consumer_key, c.consumer_secret, c.token_id, c.token_secret,
                  signature_method="HMAC-SHA256", realm=tba.account)  # fmt: skip
    url = tba.base_url + SUITEQL + "?limit=10"
    prepared = requests.Request("POST", url, json={"q": Q}).prepare()
    headers = {"Authorization": auth(prepared).headers["Authorization"]}
    response = post_signed(tba, headers, "?limit=10")
    assert response.status_code == 200


def test_wrong_secret_is_refused(tba: Emulator) -> None:
    headers = sign(tba, "POST", tba.base_url + SUITEQL, client_secret="not-the-secret")
    assert_refused(post_signed(tba, headers), "InvalidSignature")


def test_wrong_token_secret_is_refused(tba: Emulator) -> None:
    headers = sign(tba, "POST", tba.base_url + SUITEQL, resource_owner_secret="nope")
    assert_refused(post_signed(tba, headers), "InvalidSignature")


def test_replayed_nonce_is_refused(tba: Emulator) -> None:
    headers = sign(tba, "POST", tba.base_url + SUITEQL)
    assert post_signed(tba, headers).status_code == 200
    assert_refused(post_signed(tba, headers), "NonceUsed")


def test_stale_timestamp_is_refused(tba: Emulator) -> None:
    old = str(int(time.time()) - 301)
    headers = sign(tba, "POST", tba.base_url + SUITEQL, timestamp=old)
    assert_refused(post_signed(tba, headers), "InvalidTimestamp")


def test_timestamp_from_the_future_is_refused(tba: Emulator) -> None:
    ahead = str(int(time.time()) + 400)
    headers = sign(tba, "POST", tba.base_url + SUITEQL, timestamp=ahead)
    assert_refused(post_signed(tba, headers), "InvalidTimestamp")


def test_lower_case_realm_is_refused(tba: Emulator) -> None:
    headers = sign(tba, "POST", tba.base_url + SUITEQL, realm=tba.account.lower())
    assert_refused(post_signed(tba, headers), "InvalidAccount")


def test_hmac_sha1_is_refused(tba: Emulator) -> None:
    headers = sign(tba, "POST", tba.base_url + SUITEQL, signature_method="HMAC-SHA1")
    assert_refused(post_signed(tba, headers), "UnknownAlgorithm")


def test_short_nonce_is_refused(tba: Emulator) -> None:
    headers = sign(tba, "POST", tba.base_url + SUITEQL, nonce="abc12")
    assert_refused(post_signed(tba, headers), "InvalidNonce")


@pytest.mark.parametrize(("arg", "why"), [("client_key", "InvalidConsumerKey"),
                                          ("resource_owner_key", "InvalidToken")])  # fmt: skip
def test_unknown_consumer_or_token_is_refused(tba: Emulator, arg: str, why: str) -> None:
    headers = sign(tba, "POST", tba.base_url + SUITEQL, **{arg: "unknown"})
    assert_refused(post_signed(tba, headers), why)


def test_signature_covers_the_query_string(tba: Emulator) -> None:
    headers = sign(tba, "POST", tba.base_url + SUITEQL + "?limit=10&offset=0")
    assert_refused(post_signed(tba, headers, "?limit=10&offset=10"), "InvalidSignature")


def test_signature_covers_the_host_as_requested(tba: Emulator) -> None:
    port = tba.base_url.rsplit(":", 1)[1]
    headers = sign(tba, "POST", f"http://localhost:{port}{SUITEQL}")
    assert_refused(post_signed(tba, headers), "InvalidSignature")


def test_missing_or_foreign_authorization_is_refused(tba: Emulator) -> None:
    assert_refused(post_signed(tba, {}), "MissingAuthorization")
    assert_refused(post_signed(tba, {"Authorization": "Basic Zm9vOmJhcg=="}),
                   "UnsupportedAuthorizationScheme")  # fmt: skip
    assert_refused(post_signed(tba, {"Authorization": "OAuth garbage"}),
                   "InvalidAuthorizationHeader")  # fmt: skip


def test_emulator_clock_decides_staleness(tba: Emulator) -> None:
    headers = sign(tba, "POST", tba.base_url + SUITEQL)
    tba.advance_clock(400)
    try:
        assert_refused(post_signed(tba, headers), "InvalidTimestamp")
    finally:
        tba.advance_clock(-400)


def test_account_given_with_hyphen_uses_the_canonical_realm() -> None:
    with start_small(account="1234567-sb1") as emu:
        assert emu.account == "1234567_SB1"
        assert suiteql(emu, Q).status_code == 200


# ---------------------------------------------------------------- OAuth 2.0 client credentials


def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def certificate_pem(key: Any) -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "suiteops-test")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365)).sign(key, hashes.SHA256()))  # fmt: skip
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def public_pem(key: Any) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


RSA_KEY = rsa_key()
EC_KEY = ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="module")
def m2m_rsa() -> Iterator[Emulator]:
    with start_small(certificate_pem=certificate_pem(RSA_KEY)) as emu:
        yield emu


@pytest.fixture(scope="module")
def m2m_ec() -> Iterator[Emulator]:
    with start_small(certificate_pem=public_pem(EC_KEY)) as emu:
        yield emu


def assertion(emu: Emulator, key: Any, alg: str, **changes: Any) -> str:
    now = int(time.time())
    claims = {"iss": emu.config.client_id, "scope": ["restlets", "rest_webservices"],
              "aud": emu.base_url + TOKEN_PATH, "iat": now, "exp": now + 3600}  # fmt: skip
    headers = {"kid": changes.pop("kid", emu.config.certificate_id), "typ": "JWT"}
    claims.update(changes)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, key, algorithm=alg, headers=headers)


def token_request(emu: Emulator, jwt_text: str, **form: str) -> httpx.Response:
    data = {"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": jwt_text, **form}  # fmt: skip
    return httpx.post(emu.base_url + TOKEN_PATH, data=data)


def bearer_query(emu: Emulator, token: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}", "Prefer": "transient"}
    return httpx.post(emu.base_url + SUITEQL, json={"q": Q}, headers=headers)


@pytest.mark.parametrize(("fixture", "alg"), [("m2m_rsa", "PS256"), ("m2m_ec", "ES256")])
def test_token_flow_then_bearer_requests(request: pytest.FixtureRequest, fixture: str,
                                         alg: str) -> None:  # fmt: skip
    emu: Emulator = request.getfixturevalue(fixture)
    key = RSA_KEY if alg == "PS256" else EC_KEY
    reply = token_request(emu, assertion(emu, key, alg))
    assert reply.status_code == 200
    body = reply.json()
    assert (body["expires_in"], body["token_type"]) == (3600, "bearer")
    assert bearer_query(emu, body["access_token"]).json()["items"] == [{"links": [], "id": "1"}]


def test_bearer_token_expires_after_3600_seconds(m2m_rsa: Emulator) -> None:
    token = token_request(m2m_rsa, assertion(m2m_rsa, RSA_KEY, "PS256")).json()["access_token"]
    m2m_rsa.advance_clock(3599)
    try:
        assert bearer_query(m2m_rsa, token).status_code == 200
        m2m_rsa.advance_clock(2)
        response = bearer_query(m2m_rsa, token)
    finally:
        m2m_rsa.advance_clock(-3601)
    assert response.status_code == 401 and error_code(response) == "INVALID_LOGIN"
    assert response.headers["WWW-Authenticate"].startswith("Bearer ")
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_unknown_bearer_token_is_refused(m2m_rsa: Emulator) -> None:
    assert reason(bearer_query(m2m_rsa, "made-up-token")) == "invalid_token"


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"kid": "other-certificate"}, "invalid_grant"),
        ({"iss": "other-client"}, "invalid_grant"),
        ({"aud": "https://example.com/token"}, "invalid_grant"),
        ({"exp": int(time.time()) + 7200}, "invalid_grant"),
        ({"exp": int(time.time()) - 10, "iat": int(time.time()) - 100}, "invalid_grant"),
        ({"scope": "restlets"}, "invalid_scope"),
        ({"iss": None}, "invalid_grant"),
    ],
)
def test_bad_assertions_are_refused(m2m_rsa: Emulator, changes: dict, error: str) -> None:
    reply = token_request(m2m_rsa, assertion(m2m_rsa, RSA_KEY, "PS256", **changes))
    assert reply.status_code == 400 and reply.json()["error"] == error


def test_comma_separated_scope_is_accepted(m2m_rsa: Emulator) -> None:
    jwt_text = assertion(m2m_rsa, RSA_KEY, "PS256", scope="restlets,rest_webservices")
    assert token_request(m2m_rsa, jwt_text).status_code == 200


@pytest.mark.parametrize(("key", "alg"), [(RSA_KEY, "RS256"), (EC_KEY, "ES256")])
def test_wrong_algorithm_or_key_is_refused(m2m_rsa: Emulator, key: Any, alg: str) -> None:
    reply = token_request(m2m_rsa, assertion(m2m_rsa, key, alg))
    assert reply.status_code == 400 and reply.json()["error"] == "invalid_grant"


def test_signature_by_another_key_is_refused(m2m_rsa: Emulator) -> None:
    reply = token_request(m2m_rsa, assertion(m2m_rsa, rsa_key(), "PS256"))
    assert reply.status_code == 400 and "rejected" in reply.json()["error_description"]


def test_form_fields_are_checked(m2m_rsa: Emulator) -> None:
    good = assertion(m2m_rsa, RSA_KEY, "PS256")
    assert token_request(m2m_rsa, good, grant_type="password").json()["error"] == (
        "unsupported_grant_type"
    )
    assert token_request(m2m_rsa, good, client_assertion_type="x").json()["error"] == (
        "invalid_request"
    )


def test_without_a_certificate_oauth2_is_off(tba: Emulator) -> None:
    reply = token_request(tba, assertion(tba, RSA_KEY, "PS256"))
    assert reply.status_code == 400 and reply.json()["error"] == "invalid_client"
