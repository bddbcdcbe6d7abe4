"""`Services`: settings, the query catalog, the cache and the NetSuite endpoint, opened once.

The CLI opens one per command; the dashboard keeps one per process (a resource cache). In demo
mode (no NetSuite account configured) the endpoint is the shared demo emulator, started or
reused under `data_dir`, and the client signs with its documented demo TBA credentials; with an
account configured, the endpoint and credentials come from `settings.netsuite` unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from suiteops.cache import Cache
from suiteops.catalog import Catalog, load_catalog
from suiteops.config import NetSuiteSettings, Secret, Settings
from suiteops.netsuite.auth import default_base_url
from suiteops.netsuite.client import SuiteQLClient

TBA_FIELDS = ("consumer_key", "consumer_secret", "token_id", "token_secret")


@dataclass(frozen=True)
class Endpoint:
    """Where SuiteQL goes: the base URL, the account id, and whether it is the demo emulator."""

    base_url: str
    account: str
    demo: bool


@dataclass
class Services:
    """Everything a command or page needs. `netsuite` is the effective connection (the demo
    emulator's account and credentials in demo mode); None means `settings.netsuite`."""

    settings: Settings
    catalog: Catalog
    cache: Cache
    endpoint: Endpoint
    netsuite: NetSuiteSettings | None = None

    def client(self) -> SuiteQLClient:
        """A new SuiteQL client for the endpoint (close it, or use it as a context manager)."""
        effective = replace(self.settings, netsuite=self.netsuite or self.settings.netsuite)
        return SuiteQLClient.from_settings(effective, base_url=self.endpoint.base_url)

    def close(self) -> None:
        """Close the cache's snapshot connections."""
        self.cache.close()


def open_services(settings: Settings) -> Services:
    """Load the catalog, open the cache and resolve the endpoint (starting the demo emulator
    when no account is configured)."""
    catalog = load_catalog(settings.queries_dir, settings.fields)
    cache = Cache(settings.data_dir)
    netsuite = demo_netsuite(settings) if settings.demo else settings.netsuite
    base_url = netsuite.base_url or default_base_url(netsuite.account)
    endpoint = Endpoint(base_url.rstrip("/"), netsuite.account, settings.demo)
    return Services(settings, catalog, cache, endpoint, netsuite)


def demo_netsuite(settings: Settings) -> NetSuiteSettings:
    """Connection settings for the shared demo emulator (started if it is not running)."""
    from suiteops.emulator.demo import ensure_demo_emulator

    emu = settings.emulator
    demo = ensure_demo_emulator(
        settings.data_dir, seed=emu.seed, scale=emu.scale, latency_ms=emu.latency_ms
    )
    secrets = {name: _secret(getattr(demo.credentials, name)) for name in TBA_FIELDS}
    return replace(
        settings.netsuite, account=demo.account, base_url=demo.base_url, auth="tba", **secrets
    )


def _secret(value: Any) -> Secret:
    return value if isinstance(value, Secret) else Secret(str(value))
