"""Settings: frozen dataclasses read from environment, `.streamlit/secrets.toml` or a TOML file.

This is the only module that reads the environment. Precedence, lowest first: built-in defaults,
the `[suiteops]` table of the TOML file (``SUITEOPS_CONFIG`` or ``.streamlit/secrets.toml``), then
environment variables. Every setting is declared once in `SETTINGS` (name, environment variable,
type, default, help); the README documents each one and a test keeps the two in step.

Secrets are wrapped in `Secret`, whose ``repr``/``str`` never show the value.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from suiteops.errors import ConfigError

ROLES = ("ops", "finance", "support", "admin")
IDENTIFIER = re.compile(r"^(custbody|custcol|custentity|custitem)_[a-z0-9_]{1,80}$|^otherrefnum$")


class Secret:
    """A credential whose text is only reachable through `reveal()`."""

    __slots__ = ("_value",)

    def __init__(self, value: str):
        self._value = value

    def reveal(self) -> str:
        """Return the secret text (for signing only; never log it)."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)


@dataclass(frozen=True)
class Setting:
    """One declared setting: dotted name, environment variable, type, default and help text."""

    name: str
    env: str
    kind: type
    default: Any
    help: str
    secret: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "netsuite.account",
        "SUITEOPS_NETSUITE_ACCOUNT",
        str,
        "",
        "NetSuite account id (`1234567`, `1234567_SB1` or `1234567-sb1`). Empty: demo mode "
        "on the embedded emulator.",
    ),
    Setting(
        "netsuite.base_url",
        "SUITEOPS_NETSUITE_BASE_URL",
        str,
        "",
        "Override of `https://<account>.suitetalk.api.netsuite.com` (the emulator sets it).",
    ),
    Setting(
        "netsuite.auth",
        "SUITEOPS_NETSUITE_AUTH",
        str,
        "tba",
        "`tba` (OAuth 1.0a token-based) or `oauth2` (client credentials, M2M).",
    ),
    Setting(
        "netsuite.consumer_key",
        "SUITEOPS_NETSUITE_CONSUMER_KEY",
        str,
        "",
        "TBA consumer key of the integration record.",
        secret=True,
    ),
    Setting(
        "netsuite.consumer_secret",
        "SUITEOPS_NETSUITE_CONSUMER_SECRET",
        str,
        "",
        "TBA consumer secret.",
        secret=True,
    ),
    Setting(
        "netsuite.token_id",
        "SUITEOPS_NETSUITE_TOKEN_ID",
        str,
        "",
        "TBA access token id.",
        secret=True,
    ),
    Setting(
        "netsuite.token_secret",
        "SUITEOPS_NETSUITE_TOKEN_SECRET",
        str,
        "",
        "TBA access token secret.",
        secret=True,
    ),
    Setting(
        "netsuite.client_id",
        "SUITEOPS_NETSUITE_CLIENT_ID",
        str,
        "",
        "OAuth 2.0 client id of the integration record.",
        secret=True,
    ),
    Setting(
        "netsuite.certificate_id",
        "SUITEOPS_NETSUITE_CERTIFICATE_ID",
        str,
        "",
        "OAuth 2.0 M2M certificate id (the JWT `kid`).",
    ),
    Setting(
        "netsuite.private_key",
        "SUITEOPS_NETSUITE_PRIVATE_KEY",
        str,
        "",
        "Path of the PEM private key matching the uploaded certificate.",
    ),
    Setting(
        "netsuite.jwt_algorithm",
        "SUITEOPS_NETSUITE_JWT_ALGORITHM",
        str,
        "PS256",
        "JWT signing algorithm for OAuth 2.0: `PS256` or `ES256`.",
    ),
    Setting(
        "netsuite.concurrency",
        "SUITEOPS_NETSUITE_CONCURRENCY",
        int,
        5,
        "Most requests in flight at once (keep at or below the integration's share of the "
        "account's concurrency limit).",
    ),
    Setting(
        "netsuite.bound_params",
        "SUITEOPS_NETSUITE_BOUND_PARAMS",
        bool,
        False,
        "Send parameters as bound `?` params (NetSuite 2026.2+) instead of typed literals.",
    ),
    Setting(
        "netsuite.timeout",
        "SUITEOPS_NETSUITE_TIMEOUT",
        float,
        60.0,
        "Seconds before one HTTP request times out.",
    ),
    Setting(
        "netsuite.max_attempts",
        "SUITEOPS_NETSUITE_MAX_ATTEMPTS",
        int,
        6,
        "Attempts per request (first try included) for retryable failures.",
    ),
    Setting(
        "netsuite.retry_budget",
        "SUITEOPS_NETSUITE_RETRY_BUDGET",
        float,
        120.0,
        "Most seconds spent retrying one request.",
    ),
    Setting(
        "fields.order_id",
        "SUITEOPS_FIELD_ORDER_ID",
        str,
        "custbody_celigo_etail_order_id",
        "Sales-order body field holding the Shopify order id.",
    ),
    Setting(
        "fields.order_name",
        "SUITEOPS_FIELD_ORDER_NAME",
        str,
        "otherrefnum",
        "Sales-order field holding the Shopify order name (`#1001`).",
    ),
    Setting(
        "fields.channel",
        "SUITEOPS_FIELD_CHANNEL",
        str,
        "custbody_celigo_etail_channel",
        "Sales-order body field naming the sales channel.",
    ),
    Setting(
        "fields.auto_bill_flag",
        "SUITEOPS_FIELD_AUTO_BILL_FLAG",
        str,
        "custbody_celigo_etail_auto_bill_exp",
        "Checkbox the connector ticks when it tried to auto-bill the order.",
    ),
    Setting(
        "fields.fulfillment_exported_flag",
        "SUITEOPS_FIELD_FULFILLMENT_EXPORTED_FLAG",
        str,
        "custbody_celigo_etail_fulfill_exported",
        "Checkbox on item fulfillments the connector ticks once sent to Shopify.",
    ),
    Setting(
        "fields.order_line_id",
        "SUITEOPS_FIELD_ORDER_LINE_ID",
        str,
        "custcol_celigo_etail_order_line_id",
        "Sales-order line field holding the Shopify line item id.",
    ),
    Setting(
        "data_dir",
        "SUITEOPS_DATA_DIR",
        str,
        ".suiteops",
        "Folder for the DuckDB cache, the run ledger, the audit log and locks.",
    ),
    Setting(
        "queries_dir",
        "SUITEOPS_QUERIES_DIR",
        str,
        "",
        "Folder of the SuiteQL query files (default: the project's `queries/`).",
    ),
    Setting(
        "shopify.store",
        "SUITEOPS_SHOPIFY_STORE",
        str,
        "",
        "Shopify store handle; when set, orders link to `admin.shopify.com/store/<handle>`.",
    ),
    Setting(
        "refresh.auto",
        "SUITEOPS_REFRESH_AUTO",
        bool,
        True,
        "Refresh stale queries on schedule while the dashboard runs.",
    ),
    Setting("emulator.seed", "SUITEOPS_EMULATOR_SEED", int, 7, "Seed of the demo data generator."),
    Setting(
        "emulator.scale",
        "SUITEOPS_EMULATOR_SCALE",
        str,
        "demo",
        "`demo`, `large` (1,000,000+ transaction lines) or a number of sales orders.",
    ),
    Setting(
        "emulator.latency_ms",
        "SUITEOPS_EMULATOR_LATENCY_MS",
        float,
        0.0,
        "Latency the embedded emulator adds to every request.",
    ),
    Setting(
        "emulator.port",
        "SUITEOPS_EMULATOR_PORT",
        int,
        0,
        "Port of the embedded emulator (0 picks a free loopback port).",
    ),
    Setting(
        "auth.roles",
        "SUITEOPS_ROLES",
        str,
        "",
        "Role map: `email=role1+role2,email2=role3` (roles: ops, finance, support, admin).",
    ),
    Setting(
        "auth.demo_user",
        "SUITEOPS_DEMO_USER",
        str,
        "demo@suiteops.local",
        "Actor recorded for actions in demo mode (holds every role).",
    ),
)


@dataclass(frozen=True)
class NetSuiteSettings:
    """How to reach and authenticate to NetSuite."""

    account: str = ""
    base_url: str = ""
    auth: str = "tba"
    consumer_key: Secret = field(default_factory=lambda: Secret(""))
    consumer_secret: Secret = field(default_factory=lambda: Secret(""))
    token_id: Secret = field(default_factory=lambda: Secret(""))
    token_secret: Secret = field(default_factory=lambda: Secret(""))
    client_id: Secret = field(default_factory=lambda: Secret(""))
    certificate_id: str = ""
    private_key: str = ""
    jwt_algorithm: str = "PS256"
    concurrency: int = 5
    bound_params: bool = False
    timeout: float = 60.0
    max_attempts: int = 6
    retry_budget: float = 120.0


@dataclass(frozen=True)
class ConnectorFields:
    """Account-specific connector field ids, checked against an identifier allow-list."""

    order_id: str = "custbody_celigo_etail_order_id"
    order_name: str = "otherrefnum"
    channel: str = "custbody_celigo_etail_channel"
    auto_bill_flag: str = "custbody_celigo_etail_auto_bill_exp"
    fulfillment_exported_flag: str = "custbody_celigo_etail_fulfill_exported"
    order_line_id: str = "custcol_celigo_etail_order_line_id"

    def as_mapping(self) -> dict[str, str]:
        """The fields as `{name: identifier}` for substitution into query text."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class EmulatorSettings:
    """The embedded emulator used when no NetSuite account is configured."""

    seed: int = 7
    scale: str = "demo"
    latency_ms: float = 0.0
    port: int = 0


@dataclass(frozen=True)
class Settings:
    """Everything SuiteOps is configured with. Build with `load_settings()`."""

    netsuite: NetSuiteSettings = field(default_factory=NetSuiteSettings)
    fields: ConnectorFields = field(default_factory=ConnectorFields)
    emulator: EmulatorSettings = field(default_factory=EmulatorSettings)
    data_dir: Path = Path(".suiteops")
    queries_dir: Path = Path(__file__).resolve().parents[2] / "queries"
    shopify_store: str = ""
    refresh_auto: bool = True
    roles: Mapping[str, frozenset[str]] = field(default_factory=dict)
    demo_user: str = "demo@suiteops.local"

    @property
    def demo(self) -> bool:
        """True when no NetSuite account is configured: run on the embedded emulator."""
        return not self.netsuite.account


def load_settings(
    env: Mapping[str, str] | None = None, toml_path: str | Path | None = None
) -> Settings:
    """Read settings from defaults, the TOML file and the environment (in that order)."""
    env = os.environ if env is None else env
    raw = {s.name: s.default for s in SETTINGS}
    path = _toml_path(env, toml_path)
    if path is not None:
        raw.update(_read_toml(path))
    for s in SETTINGS:
        if s.env in env:
            raw[s.name] = _coerce(s, env[s.env], f"environment variable {s.env}")
    return _build(raw)


def _toml_path(env: Mapping[str, str], explicit: str | Path | None) -> Path | None:
    if explicit is not None:
        return Path(explicit)
    if env.get("SUITEOPS_CONFIG"):
        return Path(env["SUITEOPS_CONFIG"])
    default = Path(".streamlit/secrets.toml")
    return default if default.is_file() else None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    table = data.get("suiteops", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [suiteops] must be a table")
    known = {s.name: s for s in SETTINGS}
    out: dict[str, Any] = {}
    for name, value in _flatten(table):
        if name not in known:
            raise ConfigError(f"{path}: unknown setting suiteops.{name}")
        out[name] = _coerce(known[name], value, f"{path} [suiteops] {name}")
    return out


def _flatten(table: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    items: list[tuple[str, Any]] = []
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            items.extend(_flatten(value, name + "."))
        else:
            items.append((name, value))
    return items


def _coerce(setting: Setting, value: Any, where: str) -> Any:
    try:
        if setting.kind is bool:
            return _to_bool(value)
        if setting.kind is int:
            return int(value)
        if setting.kind is float:
            return float(value)
        return str(value)
    except (TypeError, ValueError):
        raise ConfigError(
            f"{where}: {setting.name} must be {setting.kind.__name__}, got {value!r}"
        ) from None


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on", "t"}:
        return True
    if text in {"0", "false", "no", "off", "f", ""}:
        return False
    raise ValueError(value)


def _build(raw: dict[str, Any]) -> Settings:
    ns = {k.split(".", 1)[1]: v for k, v in raw.items() if k.startswith("netsuite.")}
    for name in (s.name.split(".", 1)[1] for s in SETTINGS if s.secret):
        ns[name] = Secret(ns[name])
    if ns["auth"] not in {"tba", "oauth2"}:
        raise ConfigError(f"netsuite.auth must be 'tba' or 'oauth2', got {ns['auth']!r}")
    if ns["jwt_algorithm"] not in {"PS256", "ES256"}:
        raise ConfigError(
            f"netsuite.jwt_algorithm must be PS256 or ES256, got {ns['jwt_algorithm']!r}"
        )
    if ns["concurrency"] < 1:
        raise ConfigError(f"netsuite.concurrency must be at least 1, got {ns['concurrency']}")
    fields = {k.split(".", 1)[1]: v for k, v in raw.items() if k.startswith("fields.")}
    for name, ident in fields.items():
        if not IDENTIFIER.match(ident):
            raise ConfigError(
                f"fields.{name}: {ident!r} is not an allowed field id (expected otherrefnum or "
                "custbody_/custcol_/custentity_/custitem_ followed by lower-case letters, "
                "digits, _)"
            )
    emu = {k.split(".", 1)[1]: v for k, v in raw.items() if k.startswith("emulator.")}
    queries_dir = Path(raw["queries_dir"]) if raw["queries_dir"] else Settings.queries_dir
    return Settings(
        netsuite=NetSuiteSettings(**ns),
        fields=ConnectorFields(**fields),
        emulator=EmulatorSettings(**emu),
        data_dir=Path(raw["data_dir"]),
        queries_dir=queries_dir,
        shopify_store=raw["shopify.store"],
        refresh_auto=raw["refresh.auto"],
        roles=parse_roles(raw["auth.roles"]),
        demo_user=raw["auth.demo_user"],
    )


def parse_roles(text: str) -> dict[str, frozenset[str]]:
    """Parse `email=role1+role2,email2=role3` into `{email: {roles}}`, rejecting unknown roles."""
    roles: dict[str, frozenset[str]] = {}
    for entry in filter(None, (part.strip() for part in text.split(","))):
        email, sep, names = entry.partition("=")
        if not sep or not email.strip():
            raise ConfigError(f"auth.roles: {entry!r} is not of the form email=role1+role2")
        wanted = frozenset(n.strip() for n in names.split("+") if n.strip())
        unknown = wanted - set(ROLES)
        if unknown:
            raise ConfigError(f"auth.roles: unknown role(s) {sorted(unknown)} for {email.strip()}")
        roles[email.strip().lower()] = wanted
    return roles
