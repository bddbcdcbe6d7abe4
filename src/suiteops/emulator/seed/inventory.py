"""Stock: lots with expiry dates per lot item and location, lot assignments on fulfillment lines,
item/location quantities, and the handful of (lot item, location) pairs with no lot available.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np

from suiteops.emulator.seed.account import Account, Stage
from suiteops.emulator.seed.customers import DAY
from suiteops.emulator.seed.reference import LOCATIONS
from suiteops.emulator.seed.writer import append, dates, timestamps

FIRST_LOT_ID = 70_001
GAP_PAIRS = 6
MISSING_ASSIGNMENT_RATE = 0.06
_LOCATION_IDS = np.array([loc[0] for loc in LOCATIONS], dtype=np.int64)


def pair_key(item: np.ndarray, location: np.ndarray) -> np.ndarray:
    """One integer per (item, location) pair."""
    return item * 8 + location


@dataclass(frozen=True)
class Stock:
    """Lots and the lot gaps; the rest of the stock tables are derived from these."""

    gaps: np.ndarray  # sorted pair keys with no available lot quantity
    lot_item: np.ndarray  # per lot
    lot_first: np.ndarray  # per lot: bool, the item's first lot (kept in stock outside gaps)
    committed: np.ndarray  # per order line
    backordered: np.ndarray  # per order line


def open_demand(account: Account) -> np.ndarray:
    """Open quantity of each order line that NetSuite would commit (approved, open orders)."""
    status = account.status[account.lines.order]
    return np.where(np.isin(status, ["B", "D", "E"]), account.lines.open, 0)


def plan_stock(account: Account) -> Stock:
    """Choose the gap pairs among open lot lines, draw the lots, and commit open quantities."""
    rng = account.rng(Stage.INVENTORY)
    lines = account.lines
    demand = open_demand(account)
    waiting = np.unique(pair_key(lines.item, lines.location)[lines.is_lot & (demand > 0)])
    gaps = np.sort(rng.choice(waiting, size=min(GAP_PAIRS, waiting.size), replace=False))
    per_item = rng.integers(2, 5, account.catalog.lot_ids.size)
    lot_item = np.repeat(account.catalog.lot_ids, per_item)
    lot_first = np.r_[True, lot_item[1:] != lot_item[:-1]]
    short = np.isin(pair_key(lines.item, lines.location), gaps)
    return Stock(
        gaps=gaps,
        lot_item=lot_item,
        lot_first=lot_first,
        committed=np.where(short, 0, demand),
        backordered=np.where(short, demand, 0),
    )


@dataclass(frozen=True)
class LotLevels:
    """One row per lot and location: the inventorynumberlocation quantities."""

    lot: np.ndarray  # index into Stock.lot_item
    location: np.ndarray
    onhand: np.ndarray
    available: np.ndarray


def _lot_levels(rng: np.random.Generator, stock: Stock) -> LotLevels:
    """Draw lot quantities; each item's first lot is stocked everywhere except at the gaps."""
    lots = stock.lot_item.size
    lot = np.repeat(np.arange(lots), _LOCATION_IDS.size)
    location = np.tile(_LOCATION_IDS, lots)
    onhand = np.where(rng.random(lot.size) < 0.3, 0, rng.integers(1, 300, lot.size))
    onhand = np.where(stock.lot_first[lot], np.maximum(onhand, 24), onhand)
    available = onhand - rng.integers(0, 1 + onhand // 2)
    key = pair_key(stock.lot_item[lot], location)
    gap = np.isin(key, stock.gaps)
    held = gap & (stock.gaps.searchsorted(key) % 2 == 1)  # odd gaps: on hand, but all held
    return LotLevels(
        lot=lot,
        location=location,
        onhand=np.where(gap & ~held, 0, onhand),
        available=np.where(gap, 0, available),
    )


def _lot_numbers(made: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Lot numbers like `L20260322-212`: production date and a short serial."""
    day = np.strings.replace(dates(made).astype(str), "-", "")
    return np.strings.add(np.strings.add("L", day), np.strings.add("-", (ids % 997).astype(str)))


def write_lots(con: duckdb.DuckDBPyConnection, account: Account, stock: Stock) -> LotLevels:
    """Write inventorynumber and inventorynumberlocation; return the lot levels."""
    rng = account.rng(Stage.LOTS)
    levels = _lot_levels(rng, stock)
    lots = stock.lot_item.size
    ids = FIRST_LOT_ID + np.arange(lots)
    made = account.now - rng.integers(20, 400, lots) * DAY
    lot_table = {
        "id": ids,
        "item": stock.lot_item,
        "inventorynumber": _lot_numbers(made, ids),
        "expirationdate": dates(made + rng.integers(380, 900, lots) * DAY),
        "quantityonhand": np.bincount(levels.lot, levels.onhand, lots).astype(np.int64),
    }
    append(con, "inventorynumber", lot_table)
    by_location = {
        "inventorynumber": ids[levels.lot],
        "location": levels.location,
        "quantityonhand": levels.onhand,
        "quantityavailable": levels.available,
        "quantityonorder": np.where(rng.random(levels.lot.size) < 0.1, 48, 0),
        "quantityintransit": 0,
    }
    append(con, "inventorynumberlocation", by_location)
    return levels


def write_assignments(con: duckdb.DuckDBPyConnection, account: Account, stock: Stock) -> None:
    """Lot assignments on fulfillment lines of lot items; a few are missing (a real exception)."""
    rng = account.rng(Stage.ASSIGNMENTS)
    f, lines = account.fulfillments, account.lines
    lot_lines = np.flatnonzero(lines.is_lot[f.line])
    lot_lines = lot_lines[rng.random(lot_lines.size) >= MISSING_ASSIGNMENT_RATE]
    item = lines.item[f.line[lot_lines]]
    first = np.searchsorted(stock.lot_item, item)
    count = np.searchsorted(stock.lot_item, item, side="right") - first
    lot = first + rng.integers(0, 1 << 30, item.size) % count
    append(
        con,
        "inventoryassignment",
        (
            {
                "id": 1 + np.arange(lot_lines.size),
                "transaction": account.if_id[f.line_doc[lot_lines]],
                "transactionline": f.line_id[lot_lines],
                "inventorynumber": FIRST_LOT_ID + lot,
                "quantity": -lines.shipped[f.line[lot_lines]],
            }
        ),
    )


def _sum_by_pair(
    keys: np.ndarray, item: np.ndarray, location: np.ndarray, values: np.ndarray
) -> np.ndarray:
    """Sum `values` per (item, location) pair, looked up at the pairs `keys`."""
    return np.bincount(pair_key(item, location), values, int(keys.max()) + 1)[keys].astype(np.int64)


def write_item_locations(
    con: duckdb.DuckDBPyConnection, account: Account, stock: Stock, levels: LotLevels
) -> None:
    """inventoryitemlocations: lot items sum their lots; others draw on-hand; commitments add up."""
    rng = account.rng(Stage.ITEM_LOCATIONS)
    parts, lines = account.catalog.inventory_ids, account.lines
    item, location = np.repeat(parts, _LOCATION_IDS.size), np.tile(_LOCATION_IDS, parts.size)
    keys = pair_key(item, location)
    lot_item = stock.lot_item[levels.lot]
    committed = _sum_by_pair(keys, lines.item, lines.location, stock.committed)
    is_lot = np.isin(item, account.catalog.lot_ids)
    onhand = np.where(
        is_lot,
        _sum_by_pair(keys, lot_item, levels.location, levels.onhand),
        rng.integers(0, 400, keys.size),
    )
    available = np.where(
        is_lot,
        _sum_by_pair(keys, lot_item, levels.location, levels.available),
        np.maximum(onhand - committed, 0),
    )
    columns = {
        "item": item,
        "location": location,
        "quantityonhand": onhand,
        "quantityavailable": available,
        "quantitycommitted": committed,
        "quantitybackordered": _sum_by_pair(keys, lines.item, lines.location, stock.backordered),
        "lastquantityavailablechange": timestamps(
            account.now - rng.integers(600, 10 * DAY, keys.size)
        ),
    }
    append(con, "inventoryitemlocations", columns)


def write_inventory(con: duckdb.DuckDBPyConnection, account: Account, stock: Stock) -> None:
    """Write every stock table."""
    levels = write_lots(con, account, stock)
    write_assignments(con, account, stock)
    write_item_locations(con, account, stock, levels)
