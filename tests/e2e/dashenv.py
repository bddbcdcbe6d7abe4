"""Pointing the dashboard at an emulator: the environment, and a cache refreshed once.

Shared by the AppTests (`tests/test_pages.py`), the browser suite and `bench/bench_pages.py`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from suiteops import refresh
from suiteops.cache import RunRecord
from suiteops.config import load_settings
from suiteops.services import open_services

SECRET_FIELDS = ("consumer_key", "consumer_secret", "token_id", "token_secret")


def emulator_env(emulator: Any, data_dir: Path, *, auto_refresh: bool = False) -> dict[str, str]:
    """The environment that points SuiteOps at `emulator` (TBA) with cache in `data_dir`."""
    env = {
        "SUITEOPS_DATA_DIR": str(data_dir),
        "SUITEOPS_NETSUITE_ACCOUNT": emulator.account,
        "SUITEOPS_NETSUITE_BASE_URL": emulator.base_url,
        "SUITEOPS_NETSUITE_AUTH": "tba",
        "SUITEOPS_SHOPIFY_STORE": "demo-store",
        "SUITEOPS_REFRESH_AUTO": "true" if auto_refresh else "false",
    }
    for name in SECRET_FIELDS:
        env[f"SUITEOPS_NETSUITE_{name.upper()}"] = getattr(emulator.config, name)
    return env


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of the block, then restore them."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def refresh_all() -> list[RunRecord]:
    """Refresh every cached query with the settings of the current environment."""
    services = open_services(load_settings())
    try:
        records = refresh.refresh(services)
    finally:
        services.close()
    failed = [(r.query, r.error) for r in records if not r.ok]
    if failed:
        raise AssertionError(f"refresh failed: {failed}")
    return records
