"""Test support for refresh and CLI tests: settings and a small query catalog over an emulator."""

from __future__ import annotations

from pathlib import Path

from suiteops.catalog import update_lock
from suiteops.config import NetSuiteSettings, Secret, Settings

SALES_ORDERS = """\
-- title: Sales orders
-- description: Every sales order with its total (refresh tests).
-- version: 1
-- params: modified_after datetime optional
-- columns: so_id int; so_number text; total decimal; trandate date; status text;
--     last_modified datetime
-- key: so_id
-- refresh: 15m
-- incremental: last_modified
-- kpi: amount=total; group=status
SELECT t.id AS so_id,
       t.tranid AS so_number,
       t.foreigntotal AS total,
       TO_CHAR(t.trandate, 'YYYY-MM-DD') AS trandate,
       t.status AS status,
       TO_CHAR(t.lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS last_modified
FROM transaction t
WHERE t.type = 'SalesOrd'
  AND (:modified_after IS NULL OR t.lastmodifieddate >= :modified_after)
ORDER BY t.id
"""

ORDER_LINES = """\
-- title: Sales order lines
-- description: Every item line of every sales order (many pages, for fault tests).
-- version: 1
-- columns: line_key int; so_id int; quantity decimal
-- key: line_key
-- refresh: 30m
SELECT tl.uniquekey AS line_key,
       tl.transaction AS so_id,
       tl.quantity AS quantity
FROM transactionline tl
INNER JOIN transaction t ON t.id = tl.transaction
WHERE t.type = 'SalesOrd' AND tl.mainline = 'F'
ORDER BY tl.uniquekey
"""

ORDER_LOOKUP = """\
-- title: Order lookup
-- description: One sales order by number (live).
-- version: 1
-- params: so_number text
-- columns: so_id int; so_number text; total decimal; trandate date; is_closed bool
-- key: so_id
-- refresh: live
SELECT t.id AS so_id,
       t.tranid AS so_number,
       t.foreigntotal AS total,
       TO_CHAR(t.trandate, 'YYYY-MM-DD') AS trandate,
       CASE WHEN t.status = 'H' THEN 'T' ELSE 'F' END AS is_closed
FROM transaction t
WHERE t.type = 'SalesOrd' AND t.tranid = :so_number
ORDER BY t.id
"""

QUERIES = {"sales_orders": SALES_ORDERS, "order_lines": ORDER_LINES, "order_lookup": ORDER_LOOKUP}


def write_queries(directory: Path) -> Path:
    """Write the test query files and their versions.lock into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in QUERIES.items():
        (directory / f"{name}.sql").write_text(text, encoding="utf-8")
    update_lock(directory)
    return directory


def settings_for(
    emulator: object, data_dir: Path, queries_dir: Path, **netsuite: object
) -> Settings:
    """Settings pointing at a running emulator with its TBA credentials."""
    config = emulator.config  # type: ignore[attr-defined]
    ns = NetSuiteSettings(
        account=emulator.account,  # type: ignore[attr-defined]
        base_url=emulator.base_url,  # type: ignore[attr-defined]
        consumer_key=Secret(config.consumer_key),
        consumer_secret=Secret(config.consumer_secret),
        token_id=Secret(config.token_id),
        token_secret=Secret(config.token_secret),
        **netsuite,  # type: ignore[arg-type]
    )
    return Settings(netsuite=ns, data_dir=data_dir, queries_dir=queries_dir)


def environment(settings: Settings) -> dict[str, str]:
    """The SUITEOPS_* environment variables that reproduce `settings` (for CLI runs)."""
    ns = settings.netsuite
    return {
        "SUITEOPS_NETSUITE_ACCOUNT": ns.account,
        "SUITEOPS_NETSUITE_BASE_URL": ns.base_url,
        "SUITEOPS_NETSUITE_CONSUMER_KEY": ns.consumer_key.reveal(),
        "SUITEOPS_NETSUITE_CONSUMER_SECRET": ns.consumer_secret.reveal(),
        "SUITEOPS_NETSUITE_TOKEN_ID": ns.token_id.reveal(),
        "SUITEOPS_NETSUITE_TOKEN_SECRET": ns.token_secret.reveal(),
        "SUITEOPS_NETSUITE_MAX_ATTEMPTS": str(ns.max_attempts),
        "SUITEOPS_NETSUITE_CONCURRENCY": str(ns.concurrency),
        "SUITEOPS_NETSUITE_RETRY_BUDGET": str(ns.retry_budget),
        "SUITEOPS_DATA_DIR": str(settings.data_dir),
        "SUITEOPS_QUERIES_DIR": str(settings.queries_dir),
    }
