"""Auth against the real emulator: TBA nonces, OAuth 2.0 M2M (PS256, ES256) with token caching,
expiry and one re-authentication, settings wiring, and secrets kept out of every error and log."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from nshelpers import BULK_COLUMNS, BULK_SQL, bulk_loader, bulk_params, make_client

from suiteops.config import load_settings
from suiteops.emulator.faults import FaultRates
from suiteops.emulator.server import Emulator, EmulatorConfig, start_emulator
from suiteops.errors import AuthError, ConfigError, NetSuiteError
from suiteops.netsuite import ClientCredentialsAuth, RetryPolicy, SuiteQLClient, TokenAuth
from suiteops.netsuite.auth import TOKEN_PATH

SECRETS = {
    "consumer_key": "ck-SUPERSECRET-0001",
    "consumer_secret": "cs-SUPERSECRET-0002",
    "token_id": "tk-SUPERSECRET-0003",
    "token_secret": "ts-SUPERSECRET-0004",
    "client_id": "ci-SUPERSECRET-0005",
}


def _keys(algorithm: str) -> tuple[bytes, str]:
    """A private key PEM and its public key PEM for PS256 (RSA) or ES256 (P-256)."""
    key = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if algorithm == "PS256"
        else ec.generate_private_key(ec.SECP256R1())
    )
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, public.decode()


@pytest.fixture(scope="module")
def keys() -> dict[str, tuple[bytes, str]]:
    """One key pair per algorithm."""
    return {alg: _keys(alg) for alg in ("PS256", "ES256")}


@pytest.fixture(scope="module")
def secret_emu(keys: dict[str, tuple[bytes, str]]) -> Iterator[Emulator]:
    """An emulator with secret-looking credentials and an ES256 certificate."""
    config = EmulatorConfig(certificate_pem=keys["ES256"][1], **SECRETS)
    emu = start_emulator(config, loader=bulk_loader(3000))
    yield emu
    emu.stop()


def _m2m(emu: Emulator, key_file: Path, algorithm: str, **kw: object) -> ClientCredentialsAuth:
    return ClientCredentialsAuth(
        emu.account,
        emu.config.client_id,
        emu.config.certificate_id,
        key_file,
        algorithm=algorithm,
        token_url=emu.base_url + TOKEN_PATH,
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("algorithm", ["PS256", "ES256"])
def test_oauth2_flow_and_token_cache(
    algorithm: str, keys: dict[str, tuple[bytes, str]], tmp_path: Path
) -> None:
    private, public = keys[algorithm]
    key_file = tmp_path / "key.pem"
    key_file.write_bytes(private)
    config = EmulatorConfig(certificate_pem=public)
    with start_emulator(config, loader=bulk_loader(1500)) as emu:
        auth = _m2m(emu, key_file, algorithm)
        with make_client(emu, auth=auth) as client:
            first = client.fetch(BULK_SQL, bulk_params(1500), columns=BULK_COLUMNS)
            assert emu.stats.requests == 1 + 2  # token + two pages
            emu.reset_stats()
            client.fetch(BULK_SQL, bulk_params(10))
            assert emu.stats.requests == 1  # cached token
    assert first.total == 1500


def test_oauth2_expired_token_reauthenticates_once_on_401(
    keys: dict[str, tuple[bytes, str]], tmp_path: Path
) -> None:
    private, public = keys["ES256"]
    key_file = tmp_path / "key.pem"
    key_file.write_bytes(private)
    lag = [0.0]  # the client's clock runs behind the server's by lag[0] seconds
    with start_emulator(EmulatorConfig(certificate_pem=public), loader=bulk_loader(10)) as emu:
        auth = _m2m(emu, key_file, "ES256", clock=lambda: emu.now() - lag[0])
        with make_client(emu, auth=auth, retry=RetryPolicy(retry_401=0)) as client:
            client.fetch(BULK_SQL, bulk_params(5))
            emu.advance_clock(3610)
            lag[0] = 120.0  # client still thinks the token is fresh; the server does not
            emu.reset_stats()
            result = client.fetch(BULK_SQL, bulk_params(5))
            statuses = dict(emu.stats.statuses)
    assert result.total == 5
    assert emu.stats.requests == 3  # 401, new token, re-sent query
    assert statuses.get(401) == 1


def test_oauth2_token_refreshed_before_expiry(
    keys: dict[str, tuple[bytes, str]], tmp_path: Path
) -> None:
    private, public = keys["ES256"]
    key_file = tmp_path / "key.pem"
    key_file.write_bytes(private)
    with start_emulator(EmulatorConfig(certificate_pem=public), loader=bulk_loader(10)) as emu:
        client = make_client(emu, auth=_m2m(emu, key_file, "ES256", clock=emu.now))
        with client:
            client.fetch(BULK_SQL, bulk_params(5))
            emu.advance_clock(3550)  # inside the last minute of the token's life
            emu.reset_stats()
            client.fetch(BULK_SQL, bulk_params(5))
            statuses = dict(emu.stats.statuses)
    assert emu.stats.requests == 2 and 401 not in statuses


def test_oauth2_missing_key_file_is_config_error(secret_emu: Emulator, tmp_path: Path) -> None:
    auth = _m2m(secret_emu, tmp_path / "missing.pem", "ES256")
    with make_client(secret_emu, auth=auth) as client, pytest.raises(ConfigError, match="key"):
        client.fetch(BULK_SQL, bulk_params(1))


def test_tba_reused_nonce_is_refused(secret_emu: Emulator) -> None:
    c, now = secret_emu.config, secret_emu.now()
    auth = TokenAuth(
        secret_emu.account,
        c.consumer_key,
        c.consumer_secret,
        c.token_id,
        c.token_secret,
        nonce=lambda: "fixed-nonce-123",
        clock=lambda: now,
    )
    retry = RetryPolicy(retry_401=0)
    with make_client(secret_emu, auth=auth, retry=retry) as client:
        client.fetch(BULK_SQL, bulk_params(1))
        with pytest.raises(AuthError) as info:
            client.fetch(BULK_SQL, bulk_params(1))
    assert info.value.status == 401 and info.value.code == "INVALID_LOGIN"


def test_401_retried_at_most_retry_401_times(secret_emu: Emulator) -> None:
    c = secret_emu.config
    bad = TokenAuth(secret_emu.account, c.consumer_key, "wrong", c.token_id, c.token_secret)
    secret_emu.reset_stats()
    client = make_client(secret_emu, auth=bad, retry=RetryPolicy(retry_401=1, base=0.001))
    with client, pytest.raises(AuthError):
        client.fetch(BULK_SQL, bulk_params(1))
    assert secret_emu.stats.requests == 2


def _no_toml(tmp_path: Path) -> Path:
    path = tmp_path / "suiteops.toml"
    path.write_text("[suiteops]\n", encoding="utf-8")
    return path


def test_from_settings_tba(secret_emu: Emulator, tmp_path: Path) -> None:
    env = {
        "SUITEOPS_NETSUITE_ACCOUNT": secret_emu.account.lower().replace("_", "-"),
        "SUITEOPS_NETSUITE_BASE_URL": secret_emu.base_url,
        "SUITEOPS_NETSUITE_CONCURRENCY": "3",
        **{f"SUITEOPS_NETSUITE_{k.upper()}": v for k, v in SECRETS.items()},
    }
    settings = load_settings(env, toml_path=_no_toml(tmp_path))
    with SuiteQLClient.from_settings(settings) as client:
        assert client.concurrency == 3 and client.account.realm == secret_emu.account
        assert client.fetch(BULK_SQL, bulk_params(3)).total == 3


def test_from_settings_oauth2(
    secret_emu: Emulator, keys: dict[str, tuple[bytes, str]], tmp_path: Path
) -> None:
    key_file = tmp_path / "m2m.pem"
    key_file.write_bytes(keys["ES256"][0])
    env = {
        "SUITEOPS_NETSUITE_ACCOUNT": secret_emu.account,
        "SUITEOPS_NETSUITE_BASE_URL": secret_emu.base_url,
        "SUITEOPS_NETSUITE_AUTH": "oauth2",
        "SUITEOPS_NETSUITE_CLIENT_ID": SECRETS["client_id"],
        "SUITEOPS_NETSUITE_CERTIFICATE_ID": secret_emu.config.certificate_id,
        "SUITEOPS_NETSUITE_PRIVATE_KEY": str(key_file),
        "SUITEOPS_NETSUITE_JWT_ALGORITHM": "ES256",
    }
    settings = load_settings(env, toml_path=_no_toml(tmp_path))
    with SuiteQLClient.from_settings(settings) as client:
        assert client.fetch(BULK_SQL, bulk_params(4)).total == 4
        assert SECRETS["client_id"] not in repr(client.http.auth)


def test_from_settings_needs_credentials(tmp_path: Path) -> None:
    env = {"SUITEOPS_NETSUITE_ACCOUNT": "123", "SUITEOPS_NETSUITE_BASE_URL": "http://127.0.0.1:9"}
    settings = load_settings(env, toml_path=_no_toml(tmp_path))
    with pytest.raises(ConfigError, match="consumer_key"):
        SuiteQLClient.from_settings(settings)


# --- secrets never shown ------------------------------------------------------------------------


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


SCENARIOS = {
    "401": (FaultRates(), {"consumer_secret": "WRONG-SUPERSECRET"}, "sql"),
    "400": (FaultRates(), {}, "bad-sql"),
    "404": (FaultRates(), {}, "record"),
    "429": (FaultRates(rate_429=1.0), {}, "sql"),
    "500": (FaultRates(rate_500=1.0), {}, "sql"),
    "drop": (FaultRates(rate_drop=1.0), {}, "sql"),
    "truncate": (FaultRates(rate_truncate=1.0), {}, "sql"),
    "refused": (FaultRates(), {}, "closed-port"),
}


@pytest.mark.parametrize("kind", list(SCENARIOS))
def test_secrets_never_in_errors_reprs_or_logs(
    kind: str, secret_emu: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    faults, override, action = SCENARIOS[kind]
    creds = {**SECRETS, **override}
    auth = TokenAuth(
        secret_emu.account,
        creds["consumer_key"],
        creds["consumer_secret"],
        creds["token_id"],
        creds["token_secret"],
    )
    base_url = _closed_port_url() if action == "closed-port" else secret_emu.base_url
    policy = RetryPolicy(max_attempts=2, base=0.001, cap=0.002)
    secret_emu.set_faults(faults)
    caplog.set_level(logging.DEBUG)
    try:
        client = SuiteQLClient(
            account=secret_emu.account, auth=auth, base_url=base_url, retry=policy, timeout=5.0
        )
        with client, pytest.raises(NetSuiteError) as info:
            _act(client, action)
        texts = [
            str(info.value),
            repr(info.value),
            str(info.value.detail),
            repr(client),
            repr(auth),
            repr(client.records),
            caplog.text,
            str(vars(info.value)),
        ]
    finally:
        secret_emu.set_faults(FaultRates())
    for secret in {*SECRETS.values(), *creds.values()}:
        assert all(secret not in text for text in texts), (kind, secret)
    assert "SUPERSECRET" not in " ".join(texts)


def _act(client: SuiteQLClient, action: str) -> None:
    if action == "bad-sql":
        client.fetch("SELECT nosuchcolumn FROM customer", name="broken")
    elif action == "record":
        client.records.get("salesOrder", 424242)
    else:
        client.fetch(BULK_SQL, bulk_params(5), name="bulk")


def test_error_mapping_names_query_code_and_request_id(secret_emu: Emulator) -> None:
    with make_client(secret_emu) as client, pytest.raises(NetSuiteError) as info:
        client.fetch("SELECT c.nosuchcolumn AS x FROM customer c", name="broken_query")
    error = info.value
    assert error.status == 400 and error.code in {"INVALID_PARAMETER", "USER_ERROR"}
    assert error.query == "broken_query" and error.request_id and error.detail
    assert "broken_query" in str(error)


def test_missing_prefer_transient_is_what_the_client_always_sends(secret_emu: Emulator) -> None:
    # The emulator refuses SuiteQL without `Prefer: transient`; the client always sends it.
    auth = TokenAuth(
        secret_emu.account,
        *(SECRETS[k] for k in ("consumer_key", "consumer_secret", "token_id", "token_secret")),
    )
    with httpx.Client(auth=auth) as http:
        response = http.post(
            f"{secret_emu.base_url}/services/rest/query/v1/suiteql",
            json={"q": "SELECT c.id AS id FROM customer c"},
        )
    assert response.status_code == 400


def test_oauth2_refusal_keeps_client_id_and_assertion_secret(
    secret_emu: Emulator,
    keys: dict[str, tuple[bytes, str]],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    key_file = tmp_path / "wrong.pem"
    key_file.write_bytes(keys["PS256"][0])  # not the key of the emulator's ES256 certificate
    auth = ClientCredentialsAuth(
        secret_emu.account,
        "ci-SUPERSECRET-9999",
        secret_emu.config.certificate_id,
        key_file,
        algorithm="PS256",
        token_url=secret_emu.base_url + TOKEN_PATH,
    )
    caplog.set_level(logging.DEBUG)
    with make_client(secret_emu, auth=auth) as client, pytest.raises(AuthError) as info:
        client.fetch(BULK_SQL, bulk_params(1))
    texts = [str(info.value), repr(info.value), repr(auth), caplog.text]
    assert info.value.status in {400, 401}
    assert all("SUPERSECRET" not in text and "eyJ" not in text for text in texts)
