"""Fixtures for the recovery-action tests: a fresh tiny emulator, services and a context."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from suiteops.actions.base import ActionContext
from suiteops.actions.context import open_context
from suiteops.actions.roles import Actor
from suiteops.config import Settings, load_settings
from suiteops.services import Services, open_services

OPS = Actor("ops@example.com", frozenset({"ops"}))
ADMIN = Actor("admin@example.com", frozenset({"admin"}))
SUPPORT = Actor("help@example.com", frozenset({"support"}))


def emulator_env(emu: Any, data_dir: Path, **extra: str) -> dict[str, str]:
    """Environment variables pointing SuiteOps at `emu` with `data_dir` as its data folder."""
    cfg = emu.config
    env = {
        "SUITEOPS_NETSUITE_ACCOUNT": emu.account,
        "SUITEOPS_NETSUITE_BASE_URL": emu.base_url,
        "SUITEOPS_NETSUITE_CONSUMER_KEY": cfg.consumer_key,
        "SUITEOPS_NETSUITE_CONSUMER_SECRET": cfg.consumer_secret,
        "SUITEOPS_NETSUITE_TOKEN_ID": cfg.token_id,
        "SUITEOPS_NETSUITE_TOKEN_SECRET": cfg.token_secret,
        "SUITEOPS_NETSUITE_MAX_ATTEMPTS": "3",
        "SUITEOPS_DATA_DIR": str(data_dir),
        "SUITEOPS_ROLES": "ops@example.com=ops,fin@example.com=finance,admin@example.com=admin",
    }
    if os.environ.get("SUITEOPS_QUERIES_DIR"):
        env["SUITEOPS_QUERIES_DIR"] = os.environ["SUITEOPS_QUERIES_DIR"]
    env.update(extra)
    return env


@dataclass
class Lab:
    """One emulator with SuiteOps pointed at it."""

    emu: Any
    settings: Settings
    services: Services
    ctx: ActionContext

    def one(self, sql: str) -> Any:
        """The first column of the first row of plain DuckDB `sql` on the emulator."""
        rows = self.emu.sql(sql)
        assert rows, f"no row for: {sql}"
        return rows[0][0]


@pytest.fixture
def make_lab(emulator_factory: Callable[..., Any], tmp_path: Path) -> Iterator[Callable[..., Lab]]:
    """Build labs: `make_lab(max_attempts="1", **emulator overrides)`."""
    opened: list[tuple[Services, Any]] = []

    def build(env: dict[str, str] | None = None, **overrides: Any) -> Lab:
        emu = emulator_factory(**overrides)
        data_dir = tmp_path / f"data{len(opened)}"
        settings = load_settings(env=emulator_env(emu, data_dir, **(env or {})), toml_path=None)
        services = open_services(settings)
        context = open_context(services)
        ctx = context.__enter__()
        opened.append((services, context))
        ctx = dataclasses.replace(ctx, refresh=None, job_timeout=15.0, lock_timeout=20.0)
        return Lab(emu, settings, services, ctx)

    yield build
    for services, context in opened:
        context.__exit__(None, None, None)
        services.close()


@pytest.fixture
def lab(make_lab: Callable[..., Lab]) -> Lab:
    """A fresh tiny emulator and SuiteOps services on a temporary data folder."""
    return make_lab()
