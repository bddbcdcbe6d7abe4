"""The emulated account's data: a Shopify merchant's last ~120 days on NetSuite, deterministic.

`seed_database(con, seed=7, scale="demo", today=None)` creates the schema
(`suiteops.emulator.schema`) and fills every table. Same seed, scale and `today` → identical
rows. Every timestamp lies in the 120 days before `today` (midnight); nothing is dated today.

What it depicts ("Brightleaf Goods Inc.", subsidiary 1):
- locations East DC (NJ), West DC (CA), Central (TX), Retail Store - Brooklyn, Overflow 3PL (NV);
  terms Net 15/30/60; UPS/FedEx/USPS ship items; 162 inventory parts (56 lot numbered:
  supplements, skincare, oils), 8 kits (`itemmember`), 2 discount items.
- orders from three channels: "Shopify" (consumers, billed by cash sale), "Shopify B2B"
  (companies with terms, billed by invoice, paid by customer payment), "Shopify POS" (ship-to-
  customer orders from the retail store). `otherrefnum` = Shopify order name (`#1001`…),
  `custbody_celigo_etail_order_id` = Shopify order id (13 digits).
- lines: ~12% of the extra lines of an order ship from another warehouse (one fulfillment per
  order and location); kit lines carry price, fulfilment and billing, their member lines
  (`kitmemberof` = the kit's item id, `fulfillable = 'F'`, amount 0) mirror the kit's shipped
  quantity; discount lines have no quantity.

Status letters follow from the lines (`orders.derive_status`), over item lines that are not kit
members: A pending approval and C cancelled are explicit (nothing shipped; C has every line
closed); otherwise with open = unshipped quantity on lines not closed: B open and nothing shipped;
E open, something shipped and some shipped quantity unbilled; D open, something shipped, all of it
billed (NetSuite's "Partially Fulfilled"); F nothing open, some shipped quantity unbilled;
H nothing open, all billed, some line closed; G everything shipped and billed.
`quantityshiprecv` = the sum of ShipRcpt-linked fulfillment line quantities, `quantitybilled` =
the sum of OrdBill-linked bill line quantities (both positive; document lines are negative).
Fulfillment lines and lot assignments (`inventoryassignment.quantity`) are negative like the
order lines they mirror: NetSuite does not document the sign, the mirror is the choice here.

Exceptions and their measured rates (seed 7, demo scale, 3,000 orders):

| exception                                                             | target | measured |
|-----------------------------------------------------------------------|--------|----------|
| SO pending fulfillment (B) for more than 7 days                       | ~8%    | 8.2%     |
| SO partially fulfilled (D or E)                                       | ~6%    | 6.4%     |
| shipped (C) fulfillment without any tracking number                   | ~4%    | 4.1%     |
| SO pending billing (E/F), no bill, no bill for 2+ days, auto-bill 'T' | ~3%    | 3.2%     |
| (lot item, location) pairs with open lines and no available lot       | 6      | 6        |
| lot-item fulfillment lines without a lot assignment                   | ~6%    | 5.9%     |
| shipped fulfillment not exported back to Shopify                      | ~7%    | 7.0%     |
| SO edited well after import (lastmodifieddate 5-20 days later)        | ~2%    | 1.9%     |
| pending approval (A) / cancelled (C) / closed (H)                     | 1/1/2% | 1.0/1.0/1.9% |

Scales (rows and wall time of `seed_database` into an in-memory DuckDB, 2 shared cores):

| scale | orders  | transactions | transaction lines | seconds |
|-------|---------|--------------|-------------------|---------|
| tiny  | 200     | 527          | 1,869             | 0.3     |
| demo  | 3,000   | 7,864        | 28,092            | 0.5     |
| large | 110,000 | 289,193      | 1,031,140         | 9.8     |
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

import duckdb

from suiteops.emulator import schema
from suiteops.emulator.seed.account import Stage, build_account, stage_rng
from suiteops.emulator.seed.customers import DAY, write_customers
from suiteops.emulator.seed.inventory import plan_stock, write_inventory
from suiteops.emulator.seed.lines import write_lines
from suiteops.emulator.seed.links import write_links
from suiteops.emulator.seed.reference import build_catalog, write_reference
from suiteops.emulator.seed.tracking import write_tracking
from suiteops.emulator.seed.transactions import write_transactions

__all__ = ["SCALES", "SeedSummary", "resolve_scale", "seed_database"]

SCALES: dict[str, int] = {"tiny": 200, "demo": 3_000, "large": 110_000}


@dataclass(frozen=True)
class SeedSummary:
    """What one `seed_database` call generated and how long it took."""

    seed: int
    scale: str | int
    orders: int
    transactions: int
    lines: int
    today: datetime.date
    seconds: float


def resolve_scale(scale: str | int) -> int:
    """The number of sales orders for a named scale or a positive int."""
    if isinstance(scale, bool) or not isinstance(scale, int | str):
        raise ValueError(f"seed scale must be one of {', '.join(SCALES)} or an int, not {scale!r}")
    if isinstance(scale, str):
        if scale.strip().isdigit():
            return resolve_scale(int(scale))
        if scale not in SCALES:
            raise ValueError(
                f"unknown seed scale {scale!r} (expected one of: {', '.join(SCALES)}, or an int)"
            )
        return SCALES[scale]
    if scale < 1:
        raise ValueError(f"seed scale must be at least 1 sales order, got {scale}")
    return scale


def seed_database(
    con: duckdb.DuckDBPyConnection,
    *,
    seed: int = 7,
    scale: str | int = "demo",
    today: datetime.date | None = None,
) -> SeedSummary:
    """Create the schema in `con` and fill every table for `seed` and `scale` (see module doc)."""
    started = time.perf_counter()
    orders = resolve_scale(scale)
    today = today or datetime.date.today()
    now = (today - datetime.date(1970, 1, 1)).days * DAY
    schema.create_schema(con)
    if con.execute("SELECT count(*) FROM transaction").fetchone() != (0,):
        raise ValueError("seed_database needs an empty database: table 'transaction' has rows")
    catalog, items = build_catalog()
    account = build_account(seed, orders, now, catalog)
    stock = plan_stock(account)
    con.execute("BEGIN TRANSACTION")
    try:
        write_reference(con, catalog, items)
        write_customers(con, account.customers, stage_rng(seed, Stage.CUSTOMERS), now)
        transactions = write_transactions(con, account)
        lines = write_lines(con, account, stock)
        write_links(con, account)
        write_tracking(con, account)
        write_inventory(con, account, stock)
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    return SeedSummary(
        seed=seed,
        scale=scale,
        orders=orders,
        transactions=transactions,
        lines=lines,
        today=today,
        seconds=round(time.perf_counter() - started, 3),
    )
