"""Helpers for the client tests: a bulk customer table and client construction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from suiteops.models import ColumnSpec, ColumnType
from suiteops.netsuite import RetryPolicy, SuiteQLClient, TokenAuth

BULK_BASE = 10_000_000
BULK_ROWS = 130_000
BULK_SQL = (
    "SELECT c.id AS id, c.entityid AS name, c.email AS email FROM customer c "
    "WHERE c.id > :lo AND c.id <= :hi ORDER BY c.id"
)
BULK_COLUMNS = (ColumnSpec("id", ColumnType.INT), ColumnSpec("name"), ColumnSpec("email"))
FAST_RETRY = RetryPolicy(max_attempts=12, base=0.005, cap=0.05, budget=60.0)


def add_bulk_customers(con: Any, rows: int = BULK_ROWS) -> None:
    """Insert `rows` customers with ids BULK_BASE+1.. (every 7th without an e-mail)."""
    con.execute(
        "INSERT INTO customer (id, entityid, isperson, email) "
        f"SELECT {BULK_BASE} + i, 'BULK-' || i, 'T', "
        "CASE WHEN i % 7 = 0 THEN NULL ELSE 'c' || i || '@bulk.test' END "
        f"FROM range(1, {rows} + 1) t(i)"
    )


def bulk_params(n: int, start: int = 0) -> dict[str, int]:
    """Parameters selecting `n` bulk customers after the `start`-th."""
    return {"lo": BULK_BASE + start, "hi": BULK_BASE + start + n}


def tba(emu: Any) -> TokenAuth:
    """TBA credentials the emulator accepts."""
    c = emu.config
    return TokenAuth(emu.account, c.consumer_key, c.consumer_secret, c.token_id, c.token_secret)


def make_client(emu: Any, **overrides: Any) -> SuiteQLClient:
    """A client for `emu` (TBA, fast retries unless overridden)."""
    options: dict[str, Any] = {"concurrency": 5, "retry": FAST_RETRY, "timeout": 10.0}
    options.update(overrides)
    auth = options.pop("auth", None) or tba(emu)
    return SuiteQLClient(account=emu.account, auth=auth, base_url=emu.base_url, **options)


def bulk_loader(rows: int = BULK_ROWS) -> Callable[[Any], None]:
    """A database loader: the empty NetSuite schema plus `rows` bulk customers."""

    from suiteops.emulator.schema import create_schema

    def load(con: Any) -> None:
        create_schema(con)
        add_bulk_customers(con, rows)

    return load
