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
- lines: about 1 in 11 of an order's second and later lines ships from another warehouse; one
  fulfillment per order and shipping location. Kit lines carry price, fulfilment and billing;
  their member lines (`kitmemberof` = the kit's item id, as `schema.DISPLAY_FIELDS` has it;
  `fulfillable = 'F'`, amount 0) mirror the kit's ordered and shipped quantities and appear on
  no fulfillment or bill. Discount lines have no quantity, a negative rate, a positive amount.
- open lines of approved orders (B/D/E) are committed (`quantitycommitted`), except at the lot
  gaps below, where they are backordered; `inventoryitemlocations` sums both per item/location.

Ids: transactions from 20001 in creation order across all types (document numbers SO10001,
IF5001, CS7001, INV3001, PYMT1001 likewise); `uniquekey` from 1000001 ascending in (transaction,
line id); customers from 5001 (people, then companies); items 101-262, kits 801-808, discount
items 900/901; ship items 9001-9006; lots from 70001. A caller adding rows takes max + 1.

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
Picked (A) and packed (B) fulfillments, only on fresh unbilled orders, count towards
`quantityshiprecv` like shipped (C) ones; whether NetSuite counts them with pick-pack-ship on is
not documented in shared/reference/netsuite.md, so all three are treated alike.

Exceptions and their rates, measured with seed 7 at demo scale (3,000 orders, today 2026-12-04;
tests/emulator/test_seed_exceptions.py checks each within a band):

| exception                                                              | target | measured |
|------------------------------------------------------------------------|--------|----------|
| SO pending fulfillment (B) placed more than 7 days ago                 | ~8%    | 8.4%     |
| SO partially fulfilled, D (shipped part billed) or E (not billed)      | ~6%    | 5.7%     |
| shipped (C) fulfillment with no tracking number in either table        | ~4%    | 4.3%     |
| SO in E/F, auto-bill flag 'T', no OrdBill link, last shipment 2+ days  | ~3%    | 2.9%     |
| (lot item, location) pairs with open lines and no lot available there  | 6      | 6        |
| lot-item fulfillment lines without an inventoryassignment              | ~6%    | 6.2%     |
| shipped fulfillment not exported back to Shopify (incl. no tracking)   | ~11%   | 11.5%    |
| SO edited 5-20 days after import (memo says so; others change < 3 d)   | ~2%    | 2.2%     |
| SO pending approval (A) / cancelled (C) / closed (H)                   | 1/1/2% | 0.9/1.0/1.5% |

Half the gap pairs have lots on hand but none available (all held), half have none on hand.
Fresh orders (placed in the last 1.5 days) are mostly B or F, as a real backlog is. Order volume
grows ~50% over the window, with a weekly rhythm and US-evening peaks (`orders.order_times`).

Scales, seed 7 (rows; seconds of `seed_database` into an in-memory DuckDB, measured on 2 cores
shared with 7 other sessions at load average 8-12, so an idle machine is faster; about 85% of
the time is DuckDB ingesting the Arrow tables; peak RSS for large 1.0 GB):

| table                       | tiny  | demo   | large     |
|-----------------------------|-------|--------|-----------|
| sales orders                | 200   | 3,000  | 110,000   |
| transaction                 | 564   | 8,704  | 319,017   |
| transactionline             | 1,970 | 30,772 | 1,112,548 |
| next/previous line links    | 842   | 13,000 | 479,252   |
| nexttransactionlink         | 364   | 5,704  | 209,017   |
| customer                    | 88    | 1,275  | 46,750    |
| trackingnumber (and map)    | 164   | 2,315  | 85,592    |
| itemfulfillmentpackage      | 39    | 775    | 28,736    |
| inventoryassignment         | 122   | 1,693  | 62,523    |
| seconds                     | 0.2-0.7 | 0.3-1.1 | 8.6-11.7 |

Fixed at every scale: 172 items, 19 kit members, 5 locations, 166 lots, 830 lot/location rows,
810 item/location rows.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb

from suiteops.emulator import schema
from suiteops.emulator.seed.account import Account, Stage, build_account
from suiteops.emulator.seed.customers import DAY, write_customers
from suiteops.emulator.seed.inventory import plan_stock, write_inventory
from suiteops.emulator.seed.lines import write_lines
from suiteops.emulator.seed.links import write_links
from suiteops.emulator.seed.reference import ItemRow, build_catalog, write_reference
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


MAX_ORDERS = 5_000_000  # tracking-number serials and Shopify ids stay unique well beyond this


def resolve_scale(scale: str | int) -> int:
    """The number of sales orders for a named scale, a digit string or a positive int."""
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
    if not 1 <= scale <= MAX_ORDERS:
        raise ValueError(f"seed scale must be 1 to {MAX_ORDERS:,} sales orders, got {scale}")
    return scale


def _check_seed(seed: int) -> int:
    """The seed, if it is a non-negative int (what numpy's SeedSequence accepts)."""
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, not {seed!r}")
    return seed


def _midnight(today: datetime.date | None) -> tuple[datetime.date, int]:
    """`today` (default: the current date) and its midnight in epoch seconds."""
    if isinstance(today, datetime.datetime):
        today = today.date()
    day = today or datetime.date.today()
    return day, (day - datetime.date(1970, 1, 1)).days * DAY


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """One transaction for the whole load: a failed seed leaves no half-filled tables."""
    try:
        con.execute("BEGIN TRANSACTION")
    except duckdb.TransactionException as exc:
        raise ValueError("seed_database runs its own transaction: call it outside one") from exc
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _write_all(
    con: duckdb.DuckDBPyConnection, account: Account, items: list[ItemRow]
) -> tuple[int, int]:
    """Write every table of the account; returns (transactions, transaction lines)."""
    stock = plan_stock(account)
    with _transaction(con):
        write_reference(con, account.catalog, items, account.now)
        write_customers(con, account.customers, account.rng(Stage.CUSTOMERS), account.now)
        transactions = write_transactions(con, account)
        lines = write_lines(con, account, stock)
        write_links(con, account)
        write_tracking(con, account)
        write_inventory(con, account, stock)
    return transactions, lines


def seed_database(
    con: duckdb.DuckDBPyConnection,
    *,
    seed: int = 7,
    scale: str | int = "demo",
    today: datetime.date | None = None,
) -> SeedSummary:
    """Create the schema in `con` and fill every table for `seed` and `scale` (see module doc).

    Raises ValueError for a bad seed or scale, or when `con` already holds transactions.
    """
    started = time.perf_counter()
    orders, day = resolve_scale(scale), _midnight(today)
    schema.create_schema(con)
    if con.execute("SELECT count(*) FROM transaction").fetchone() != (0,):
        raise ValueError("seed_database needs an empty database: table 'transaction' has rows")
    catalog, items = build_catalog()
    account = build_account(_check_seed(seed), orders, day[1], catalog)
    transactions, lines = _write_all(con, account, items)
    return SeedSummary(
        seed=seed,
        scale=scale,
        orders=orders,
        transactions=transactions,
        lines=lines,
        today=day[0],
        seconds=round(time.perf_counter() - started, 3),
    )
