"""Settings: precedence, coercion, secrets, allow-listed connector fields, role map."""

from __future__ import annotations

from pathlib import Path

import pytest

from suiteops.config import SETTINGS, Secret, load_settings, parse_roles
from suiteops.errors import ConfigError


def test_defaults_mean_demo_mode() -> None:
    settings = load_settings({}, toml_path=None)
    assert settings.demo
    assert settings.netsuite.concurrency == 5
    assert settings.fields.order_id == "custbody_celigo_etail_order_id"


def test_environment_overrides_toml(tmp_path: Path) -> None:
    toml = tmp_path / "s.toml"
    toml.write_text('[suiteops.netsuite]\naccount = "111_SB1"\nconcurrency = 3\n')
    env = {"SUITEOPS_NETSUITE_CONCURRENCY": "9"}
    settings = load_settings(env, toml_path=toml)
    assert settings.netsuite.account == "111_SB1"
    assert settings.netsuite.concurrency == 9
    assert not settings.demo


def test_secrets_never_show_in_repr() -> None:
    env = {"SUITEOPS_NETSUITE_CONSUMER_SECRET": "hunter2-very-secret"}
    settings = load_settings(env, toml_path=None)
    assert "hunter2" not in repr(settings)
    assert "hunter2" not in str(settings.netsuite.consumer_secret)
    assert settings.netsuite.consumer_secret.reveal() == "hunter2-very-secret"
    assert Secret("a") == Secret("a")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SUITEOPS_NETSUITE_CONCURRENCY": "many"}, "SUITEOPS_NETSUITE_CONCURRENCY"),
        ({"SUITEOPS_NETSUITE_CONCURRENCY": "0"}, "at least 1"),
        ({"SUITEOPS_NETSUITE_AUTH": "basic"}, "netsuite.auth"),
        ({"SUITEOPS_NETSUITE_JWT_ALGORITHM": "HS256"}, "PS256 or ES256"),
        ({"SUITEOPS_FIELD_ORDER_ID": "id; DROP TABLE x"}, "fields.order_id"),
        ({"SUITEOPS_FIELD_CHANNEL": "CUSTBODY_X"}, "fields.channel"),
        ({"SUITEOPS_REFRESH_AUTO": "maybe"}, "SUITEOPS_REFRESH_AUTO"),
        ({"SUITEOPS_ROLES": "a@b.c=ops+wizard"}, "wizard"),
    ],
)
def test_bad_values_name_the_setting(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("+", r"\+")):
        load_settings(env, toml_path=None)


def test_toml_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[suiteops\n")
    with pytest.raises(ConfigError, match=r"bad\.toml"):
        load_settings({}, toml_path=bad)
    unknown = tmp_path / "unknown.toml"
    unknown.write_text("[suiteops]\nnope = 1\n")
    with pytest.raises(ConfigError, match=r"unknown setting suiteops\.nope"):
        load_settings({}, toml_path=unknown)
    with pytest.raises(ConfigError, match="not found"):
        load_settings({}, toml_path=tmp_path / "missing.toml")


def test_role_map_parses_and_lowercases() -> None:
    roles = parse_roles("Ann@Example.com=ops+finance, bob@x.io=admin")
    assert roles == {"ann@example.com": {"ops", "finance"}, "bob@x.io": {"admin"}}
    with pytest.raises(ConfigError, match="email=role1"):
        parse_roles("nobody")


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    missing = [s.env for s in SETTINGS if s.env not in readme]
    assert not missing, f"settings missing from README.md: {missing}"
