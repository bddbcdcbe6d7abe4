"""Everything the generator decided, as one frozen record of numpy arrays, and how it is drawn.

Each stage draws from its own generator (`numpy.random.default_rng([seed, stage])`), so adding
draws to one stage does not shift the numbers of the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from suiteops.emulator.seed import documents as docs
from suiteops.emulator.seed.customers import DAY, Customers, plan_customers
from suiteops.emulator.seed.orders import (
    Lines,
    Orders,
    Scenario,
    derive_status,
    make_lines,
    make_orders,
)
from suiteops.emulator.seed.reference import Catalog


class Stage(IntEnum):
    """The independent random streams."""

    CUSTOMERS = 1
    ORDERS = 2
    LINES = 3
    FULFILLMENTS = 4
    BILLS = 5
    PAYMENTS = 6
    INVENTORY = 7
    TRACKING = 8
    TIMES = 9
    LOTS = 10
    ASSIGNMENTS = 11
    ITEM_LOCATIONS = 12


@dataclass(frozen=True)
class Account:
    """The whole generated account before it is written."""

    seed: int
    now: int  # epoch seconds of today's midnight: every timestamp is before it
    catalog: Catalog
    customers: Customers
    orders: Orders
    status: np.ndarray  # per order, 'A'..'H'
    modified: np.ndarray  # per order, lastmodifieddate (epoch seconds)
    lines: Lines
    fulfillments: docs.Fulfillments
    bills: docs.Bills
    payments: docs.Payments
    so_id: np.ndarray
    if_id: np.ndarray
    bill_id: np.ndarray
    payment_id: np.ndarray

    def rng(self, stage: Stage) -> np.random.Generator:
        """The generator of one stage (fresh on each call, so repeatable)."""
        return stage_rng(self.seed, stage)


def stage_rng(seed: int, stage: Stage) -> np.random.Generator:
    """A generator for one stage of one seed."""
    return np.random.default_rng([seed, int(stage)])


def _modified(
    rng: np.random.Generator, orders: Orders, f: docs.Fulfillments, b: docs.Bills, now: int
) -> np.ndarray:
    """Each order's lastmodifieddate: its latest fulfillment or bill, or a later edit."""
    latest = orders.created + rng.integers(30, 900, orders.count)
    np.maximum.at(latest, f.order, f.created + 60)
    np.maximum.at(latest, b.order, b.created + 60)
    ended = np.isin(orders.scenario, [Scenario.CLOSED, Scenario.CANCELLED])
    closed_at = latest + (rng.uniform(0.5, 6.0, orders.count) * DAY).astype(np.int64)
    latest = np.where(ended, np.minimum(closed_at, now - 600), latest)
    edit_at = orders.created + (rng.uniform(5.0, 20.0, orders.count) * DAY).astype(np.int64)
    edited = np.maximum(latest, np.minimum(edit_at, now - 600))
    return np.where(orders.edited, edited, latest)


def build_account(seed: int, orders_wanted: int, now: int, catalog: Catalog) -> Account:
    """Draw the whole account for `seed` with `orders_wanted` sales orders."""
    customers = plan_customers(orders_wanted)
    orders = make_orders(stage_rng(seed, Stage.ORDERS), orders_wanted, now, customers)
    lines = make_lines(stage_rng(seed, Stage.LINES), orders, catalog)
    fulfillments = docs.make_fulfillments(stage_rng(seed, Stage.FULFILLMENTS), orders, lines, now)
    bills = docs.make_bills(stage_rng(seed, Stage.BILLS), orders, lines, fulfillments, now)
    payments = docs.make_payments(stage_rng(seed, Stage.PAYMENTS), orders, bills, now)
    so_id, if_id, bill_id, payment_id = docs.assign_ids(
        orders.created, fulfillments.created, bills.created, payments.created
    )
    return Account(
        seed=seed,
        now=now,
        catalog=catalog,
        customers=customers,
        orders=orders,
        status=derive_status(orders, lines),
        modified=_modified(stage_rng(seed, Stage.TIMES), orders, fulfillments, bills, now),
        lines=lines,
        fulfillments=fulfillments,
        bills=bills,
        payments=payments,
        so_id=so_id,
        if_id=if_id,
        bill_id=bill_id,
        payment_id=payment_id,
    )
