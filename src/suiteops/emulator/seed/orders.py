"""Sales orders and their item lines as numpy arrays: who, when, what, and how far each got.

Each order first draws a *scenario* (how far fulfilment and billing went); line quantities follow
from the scenario, and the status letter is then derived from the line quantities alone by
`derive_status`, so status and lines cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import IntEnum

import numpy as np

from suiteops.emulator.seed.customers import DAY, Customers
from suiteops.emulator.seed.reference import (
    DC_LOCATIONS,
    OVERFLOW_LOCATION,
    RETAIL_LOCATION,
    SHIP_ITEMS,
    Catalog,
)


class Channel(IntEnum):
    """Where the Shopify order came from (custbody_celigo_etail_channel)."""

    WEB = 0
    B2B = 1
    POS = 2


CHANNEL_NAMES = ("Shopify", "Shopify B2B", "Shopify POS")


class Scenario(IntEnum):
    """How far an order got; the status letter follows from the lines, not from this."""

    PENDING = 0  # nothing shipped (B); "stuck" when older than 7 days
    APPROVAL = 1  # A
    CANCELLED = 2  # C
    PARTIAL_BILLED = 3  # some shipped and billed, rest open (D)
    PARTIAL_UNBILLED = 4  # some shipped, not billed, rest open (E)
    SHIPPED_UNBILLED = 5  # all shipped recently, billing not run yet (F)
    BILLING_FAILED = 6  # all shipped > 2 days ago, connector tried to bill and failed (F)
    CLOSED = 7  # partly shipped and billed, the rest closed (H)
    BILLED = 8  # all shipped and billed (G)


# Scenario probabilities by order age: fresh (< 1.5 days), young (< 4 days), settled.
_Table = tuple[tuple[Scenario, float], ...]
_FRESH: _Table = ((Scenario.PENDING, 0.55), (Scenario.SHIPPED_UNBILLED, 0.25))
_YOUNG: _Table = (
    (Scenario.PENDING, 0.15),
    (Scenario.SHIPPED_UNBILLED, 0.07),
    (Scenario.PARTIAL_UNBILLED, 0.04),
)
_SETTLED: _Table = (
    (Scenario.APPROVAL, 0.01),
    (Scenario.CANCELLED, 0.01),
    (Scenario.PARTIAL_BILLED, 0.03),
    (Scenario.PARTIAL_UNBILLED, 0.035),
    (Scenario.BILLING_FAILED, 0.033),
    (Scenario.CLOSED, 0.02),
)
_STUCK_RATE = 0.093  # PENDING among settled orders older than 7 days
_EDITED_RATE = 0.02


@dataclass(frozen=True)
class Orders:
    """One entry per sales order, in creation order (index i → SO10001 + i)."""

    created: np.ndarray  # epoch seconds
    channel: np.ndarray
    customer: np.ndarray
    location: np.ndarray
    shipmethod: np.ndarray
    terms: np.ndarray  # 0 = none
    scenario: np.ndarray
    discount_pct: np.ndarray  # 0 = no discount line
    edited: np.ndarray  # bool: changed in NetSuite well after the connector created it
    shopify_id: np.ndarray

    @property
    def count(self) -> int:
        """Number of orders."""
        return int(self.created.size)


@dataclass(frozen=True)
class Lines:
    """The item lines of every order that carry quantities (inventory parts and kit parents)."""

    order: np.ndarray
    position: np.ndarray  # 0-based within the order
    item: np.ndarray
    is_kit: np.ndarray
    is_lot: np.ndarray
    quantity: np.ndarray  # positive here; written negative
    rate_cents: np.ndarray
    location: np.ndarray
    shipped: np.ndarray
    billed: np.ndarray
    closed: np.ndarray  # bool

    @property
    def open(self) -> np.ndarray:
        """Quantity still to ship on lines that are not closed."""
        return np.where(self.closed, 0, self.quantity - self.shipped)


def _pick(rng: np.random.Generator, table: _Table, n: int) -> np.ndarray:
    """Draw n scenarios from `table`; whatever probability is left over is BILLED."""
    keys = [scenario for scenario, _ in table] + [Scenario.BILLED]
    probs = [p for _, p in table] + [1.0 - sum(p for _, p in table)]
    return rng.choice(np.array(keys, dtype=np.int64), size=n, p=probs)


def _scenarios(rng: np.random.Generator, age_days: np.ndarray) -> np.ndarray:
    """A scenario per order, conditioned on its age."""
    n = age_days.size
    settled = _pick(rng, _SETTLED, n)
    stuck = (age_days > 8) & (rng.random(n) < _STUCK_RATE)
    settled = np.where(stuck, Scenario.PENDING, settled)
    young = np.where(age_days < 4, _pick(rng, _YOUNG, n), settled)
    return np.where(age_days < 1.5, _pick(rng, _FRESH, n), young)


# Order volume: growing ~50% over the window, a weekly rhythm (index 0 = Monday) and a daily one
# in UTC hours (US evenings busy, US nights quiet).
_GROWTH = 0.5
_WEEKDAY = (1.1, 1.0, 1.0, 1.0, 0.95, 0.85, 1.05)
_HOUR = (
    1.4, 1.3, 1.1, 0.9, 0.6, 0.4, 0.3, 0.25, 0.25, 0.3, 0.4, 0.6,
    0.8, 1.0, 1.1, 1.2, 1.2, 1.2, 1.2, 1.25, 1.3, 1.35, 1.4, 1.45,
)  # fmt: skip


def _volume(created: np.ndarray, now: int) -> np.ndarray:
    """Relative order volume at each time (epoch seconds)."""
    growth = 1.0 + _GROWTH * (1.0 - (now - created) / (120 * DAY))
    weekday = np.array(_WEEKDAY)[(created // DAY + 3) % 7]  # 1970-01-01 was a Thursday
    hour = np.array(_HOUR)[(created % DAY) // 3600]
    return growth * weekday * hour


def order_times(rng: np.random.Generator, n: int, now: int) -> np.ndarray:
    """n creation times in the 120 days before `now`, drawn by rejection from `_volume`."""
    top = (1.0 + _GROWTH) * max(_WEEKDAY) * max(_HOUR)
    batches: list[np.ndarray] = []
    needed = n
    while needed > 0:
        candidate = now - 3600 - rng.integers(0, 120 * DAY - 3600, 3 * needed + 64)
        kept = candidate[rng.random(candidate.size) * top < _volume(candidate, now)][:needed]
        batches.append(kept)
        needed -= kept.size
    return np.sort(np.concatenate(batches))


def make_orders(rng: np.random.Generator, n: int, now: int, people: Customers) -> Orders:
    """Draw n sales orders spread over the 120 days before `now` (epoch seconds, midnight)."""
    created = order_times(rng, n, now)
    channel = rng.choice(np.arange(3), size=n, p=[0.74, 0.18, 0.08])
    b2b = channel == Channel.B2B
    person = people.person_ids(np.floor(people.people * rng.random(n) ** 1.6).astype(np.int64))
    company_index = np.floor(people.companies * rng.random(n) ** 1.3).astype(np.int64)
    dc = rng.choice(np.array(DC_LOCATIONS), size=n, p=[0.45, 0.35, 0.2])
    ships = np.array([s[0] for s in SHIP_ITEMS])
    web_ship = rng.choice(ships, size=n, p=[0.35, 0.1, 0.15, 0.1, 0.2, 0.1])
    ground = rng.choice(ships[[0, 2]], size=n)  # wholesale goes UPS or FedEx Ground
    age_days = (now - created) / DAY
    discount = np.where(rng.random(n) < 0.18, rng.choice([10, 15], size=n), 0)
    return Orders(
        created=created,
        channel=channel,
        customer=np.where(b2b, people.company_ids(company_index), person),
        location=np.where(channel == Channel.POS, RETAIL_LOCATION, dc),
        shipmethod=np.select([b2b, channel == Channel.POS], [ground, ships[4]], web_ship),
        terms=np.where(b2b, people.company_terms(company_index), 0),
        scenario=_scenarios(rng, age_days),
        discount_pct=np.where(b2b, np.where(rng.random(n) < 0.3, 5, 0), discount),
        edited=(age_days > 10) & (rng.random(n) < _EDITED_RATE),
        shopify_id=5_480_000_000_000 + np.arange(n) * 9_973 + rng.integers(0, 9_973, n),
    )


def _line_counts(rng: np.random.Generator, orders: Orders) -> np.ndarray:
    """Item lines per order: mostly 1-2 for consumers, more for wholesale."""
    consumer = rng.choice(np.arange(1, 7), size=orders.count, p=[0.38, 0.27, 0.16, 0.1, 0.06, 0.03])
    wholesale = rng.choice(np.arange(1, 7), size=orders.count, p=[0.1, 0.2, 0.25, 0.2, 0.15, 0.1])
    return np.where(orders.channel == Channel.B2B, wholesale, consumer)


def cumsum_within(order: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Cumulative sum of `values` restarting at each new order (order must be sorted)."""
    total = np.cumsum(values)
    starts = np.flatnonzero(np.r_[True, order[1:] != order[:-1]])
    first = np.repeat(total[starts] - values[starts], np.diff(np.r_[starts, order.size]))
    return total - first


def _items(rng: np.random.Generator, catalog: Catalog, order: np.ndarray) -> np.ndarray:
    """Pool positions, distinct within an order: a popular first item, then nearby ones."""
    size = catalog.ids.size
    popularity = 1.0 / (np.arange(size) + 6.0)
    ranked = rng.permutation(size)
    first = ranked[rng.choice(size, size=order.size, p=popularity / popularity.sum())]
    step = rng.integers(1, 26, order.size)  # ≤ 6 lines x 25 < pool size: never wraps onto itself
    offset = cumsum_within(order, step) - step
    starts = np.r_[0, np.flatnonzero(order[1:] != order[:-1]) + 1]
    return (np.repeat(first[starts], np.diff(np.r_[starts, order.size])) + offset) % size


def make_lines(rng: np.random.Generator, orders: Orders, catalog: Catalog) -> Lines:
    """Draw the item lines of every order and how much of each shipped, billed or closed."""
    counts = _line_counts(rng, orders)
    order = np.repeat(np.arange(orders.count), counts)
    position = np.arange(order.size) - np.repeat(np.cumsum(counts) - counts, counts)
    pool = _items(rng, catalog, order)
    channel = orders.channel[order]
    quantity = np.select(
        [channel == Channel.B2B, channel == Channel.POS],
        [6 * rng.integers(1, 9, order.size), rng.integers(1, 3, order.size)],
        rng.choice([1, 2, 3, 4], size=order.size, p=[0.72, 0.18, 0.07, 0.03]),
    )
    price = catalog.price_cents[pool]
    away = (position > 0) & (channel != Channel.POS) & (rng.random(order.size) < 0.12)
    other = rng.choice(np.array([*DC_LOCATIONS, OVERFLOW_LOCATION]), size=order.size)
    location = orders.location[order]
    location = np.where(away & (other != location), other, location)
    lines = Lines(
        order=order,
        position=position,
        item=catalog.ids[pool],
        is_kit=catalog.is_kit[pool],
        is_lot=catalog.is_lot[pool],
        quantity=quantity,
        rate_cents=np.where(channel == Channel.B2B, price * 6 // 10, price),
        location=location,
        shipped=np.zeros(order.size, np.int64),
        billed=np.zeros(order.size, np.int64),
        closed=np.zeros(order.size, bool),
    )
    return _progress(rng, orders, lines, counts)


def _progress(rng: np.random.Generator, orders: Orders, lines: Lines, counts: np.ndarray) -> Lines:
    """Fill shipped/billed/closed quantities from each order's scenario."""
    s = orders.scenario[lines.order]
    partial = np.isin(s, [Scenario.PARTIAL_BILLED, Scenario.PARTIAL_UNBILLED, Scenario.CLOSED])
    single = counts[lines.order] == 1
    quantity = np.where(partial & single, np.maximum(lines.quantity, 2), lines.quantity)
    last = lines.position == counts[lines.order] - 1
    part = np.select(
        [single, lines.position == 0, last, rng.random(lines.order.size) < 0.5],
        [quantity // 2, quantity, 0, quantity],
        0,
    )
    full = np.isin(s, [Scenario.BILLED, Scenario.SHIPPED_UNBILLED, Scenario.BILLING_FAILED])
    shipped = np.select([full, partial], [quantity, part], 0)
    billed_all = np.isin(s, [Scenario.BILLED, Scenario.PARTIAL_BILLED, Scenario.CLOSED])
    return replace(
        lines,
        quantity=quantity,
        shipped=shipped,
        billed=np.where(billed_all, shipped, 0),
        closed=np.isin(s, [Scenario.CANCELLED, Scenario.CLOSED]),
    )


def derive_status(orders: Orders, lines: Lines) -> np.ndarray:
    """The NetSuite status letter of every order, from its line quantities (array of str)."""
    n = orders.count
    open_qty = np.bincount(lines.order, lines.open, n)
    shipped = np.bincount(lines.order, lines.shipped, n)
    unbilled = np.bincount(lines.order, lines.shipped - lines.billed, n)
    closed = np.bincount(lines.order, lines.closed, n) > 0
    status = np.select(
        [
            orders.scenario == Scenario.APPROVAL,
            orders.scenario == Scenario.CANCELLED,
            (open_qty > 0) & (shipped == 0),
            (open_qty > 0) & (unbilled > 0),
            open_qty > 0,
            unbilled > 0,
            closed,
        ],
        ["A", "C", "B", "E", "D", "F", "H"],
        "G",
    )
    return status
