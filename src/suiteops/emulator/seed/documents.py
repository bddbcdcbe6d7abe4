"""The documents that follow a sales order: item fulfillments, bills (cash sale or invoice) and
customer payments, with their timing; and the chronological transaction ids of all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from suiteops.emulator.seed.customers import DAY
from suiteops.emulator.seed.orders import Channel, Lines, Orders, Scenario
from suiteops.emulator.seed.reference import term_days

FIRST_TRANSACTION_ID = 20_001
_MARGIN = 600  # seconds kept free before midnight


class Tracking(IntEnum):
    """How a fulfillment's tracking number was recorded, if at all."""

    NONE = 0
    MAP = 1  # trackingnumber + trackingnumbermap
    PACKAGE = 2  # itemfulfillmentpackage.packagetrackingnumber
    EMPTY_PACKAGE = 3  # a package row without a tracking number


@dataclass(frozen=True)
class Fulfillments:
    """One entry per item fulfillment (one per order and shipping location)."""

    order: np.ndarray
    location: np.ndarray
    created: np.ndarray
    status: np.ndarray  # 'A' picked, 'B' packed, 'C' shipped
    tracking: np.ndarray  # Tracking
    boxes: np.ndarray  # 1 or 2 packages / tracking numbers
    exported: np.ndarray  # bool: connector pushed it back to Shopify
    line: np.ndarray  # per fulfillment line: index into Lines
    line_doc: np.ndarray  # per fulfillment line: index of its fulfillment
    line_id: np.ndarray  # per fulfillment line: transactionline.id (1..)


@dataclass(frozen=True)
class Bills:
    """One bill per billed order: a cash sale (consumers) or an invoice (wholesale, terms)."""

    order: np.ndarray
    created: np.ndarray
    invoice: np.ndarray  # bool
    discount: np.ndarray  # bool: the order's discount line is billed here
    line: np.ndarray
    line_doc: np.ndarray
    line_id: np.ndarray


@dataclass(frozen=True)
class Payments:
    """Customer payments, each paying one invoice in full."""

    bill: np.ndarray
    created: np.ndarray


def _rank_within(doc: np.ndarray) -> np.ndarray:
    """1-based position of each element among those with the same `doc` (stable)."""
    order = np.argsort(doc, kind="stable")
    sorted_doc = doc[order]
    starts = np.r_[0, np.flatnonzero(sorted_doc[1:] != sorted_doc[:-1]) + 1]
    counts = np.diff(np.r_[starts, doc.size])
    ranks = np.empty(doc.size, np.int64)
    ranks[order] = np.arange(doc.size) - np.repeat(starts, counts) + 1
    return ranks


def _after(
    rng: np.random.Generator, start: np.ndarray, low: float, high: float, now: int
) -> np.ndarray:
    """A time `low..high` days after `start`, squeezed to stay 10+ minutes before `now` (so that
    the document's later edits, a few minutes on, are still in the past)."""
    lag = rng.uniform(low, high, start.size) * DAY
    room = 0.9 * (now - _MARGIN - start)
    return start + np.maximum(1, np.minimum(lag, room)).astype(np.int64)


def make_fulfillments(
    rng: np.random.Generator, orders: Orders, lines: Lines, now: int
) -> Fulfillments:
    """One fulfillment per order and line location for every shipped line."""
    shipped = np.flatnonzero(lines.shipped > 0)
    keys, doc = np.unique(lines.order[shipped] * 8 + lines.location[shipped], return_inverse=True)
    order, n = keys // 8, keys.size
    created = _after(rng, orders.created[order], 0.15, 1.5, now)
    unbilled = np.isin(
        orders.scenario[order], [Scenario.SHIPPED_UNBILLED, Scenario.PARTIAL_UNBILLED]
    )
    in_flight = unbilled & (now - created < DAY) & (rng.random(n) < 0.5)
    status = np.where(in_flight, rng.choice(np.array(["A", "B"]), size=n), "C")
    mode = rng.choice(
        np.array([Tracking.NONE, Tracking.MAP, Tracking.PACKAGE]), size=n, p=[0.04, 0.72, 0.24]
    )
    packed = np.where(rng.random(n) < 0.5, Tracking.EMPTY_PACKAGE, Tracking.NONE)
    tracking = np.select([status == "C", status == "B"], [mode, packed], Tracking.NONE)
    has_number = np.isin(tracking, [Tracking.MAP, Tracking.PACKAGE])
    return Fulfillments(
        order=order,
        location=keys % 8,
        created=created,
        status=status,
        tracking=tracking,
        boxes=np.where(rng.random(n) < 0.1, 2, 1),
        exported=(status == "C") & has_number & (rng.random(n) < 0.93),
        line=shipped,
        line_doc=doc,
        line_id=_rank_within(doc),
    )


def make_bills(
    rng: np.random.Generator, orders: Orders, lines: Lines, fulfillments: Fulfillments, now: int
) -> Bills:
    """One bill per order with billed quantity, dated after its last fulfillment."""
    billed = np.flatnonzero(lines.billed > 0)
    order, doc = np.unique(lines.order[billed], return_inverse=True)
    last = np.zeros(orders.count, np.int64)
    np.maximum.at(last, fulfillments.order, fulfillments.created)
    return Bills(
        order=order,
        created=_after(rng, last[order], 0.02, 0.6, now),
        invoice=orders.channel[order] == Channel.B2B,
        discount=(orders.scenario[order] == Scenario.BILLED) & (orders.discount_pct[order] > 0),
        line=billed,
        line_doc=doc,
        line_id=_rank_within(doc),
    )


def make_payments(rng: np.random.Generator, orders: Orders, bills: Bills, now: int) -> Payments:
    """Most invoices get paid within their terms; payments after `now` do not exist yet."""
    days = term_days(orders.terms[bills.order[bills.invoice]])
    invoices = np.flatnonzero(bills.invoice)
    paid_at = bills.created[invoices] + (rng.uniform(0.3, 1.1, invoices.size) * days * DAY).astype(
        np.int64
    )
    paid = (paid_at < now - 3600) & (rng.random(invoices.size) < 0.85)
    return Payments(bill=invoices[paid], created=paid_at[paid])


def assign_ids(*created: np.ndarray) -> list[np.ndarray]:
    """Transaction ids for several kinds of document at once, ascending in creation time."""
    kind = np.concatenate([np.full(c.size, k) for k, c in enumerate(created)])
    times = np.concatenate(created)
    local = np.concatenate([np.arange(c.size) for c in created])
    rank = np.empty(times.size, np.int64)
    rank[np.lexsort((local, kind, times))] = np.arange(times.size)
    ids = FIRST_TRANSACTION_ID + rank
    return np.split(ids, np.cumsum([c.size for c in created])[:-1])
