"""Column roles: which column of a cached frame plays which part (location, age, amount, ...).

Views are written against roles, not against one query's column names, so the same filter, KPI,
link and chart code serves every query. A role resolves to the first of its candidate names that
the frame has; a view whose frame lacks a role simply skips what needs it.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType

import pandas as pd


class Role(Enum):
    """The part a column plays in a view."""

    LOCATION = "location"
    DATE = "date"
    AGE = "age"
    CHANNEL = "channel"
    CUSTOMER_TYPE = "customer_type"
    CUSTOMER = "customer"
    AMOUNT = "amount"
    QUANTITY = "quantity"
    SO_ID = "so_id"
    SO_NUMBER = "so_number"
    ORDER_NAME = "order_name"
    ORDER_ID = "order_id"
    FULFILLMENT_ID = "fulfillment_id"
    FULFILLMENT_NUMBER = "fulfillment_number"
    BILL_ID = "bill_id"
    BILL_NUMBER = "bill_number"
    BILL_TYPE = "bill_type"
    ITEM_ID = "item_id"
    SKU = "sku"
    TRACKING = "tracking"
    CARRIER = "carrier"
    STATUS = "status"
    REASON = "reason"
    HAS_TRACKING = "has_tracking"


CANDIDATES: Mapping[Role, tuple[str, ...]] = MappingProxyType(
    {
        Role.LOCATION: ("location_name", "location", "ship_location", "locations_shipped"),
        Role.DATE: ("trandate", "order_date", "ship_date", "day", "date", "created"),
        Role.AGE: ("age_days", "days_since_last_ship", "days_since_ship", "days_open", "age"),
        Role.CHANNEL: ("channel",),
        Role.CUSTOMER_TYPE: ("customer_type", "customer_kind"),
        Role.CUSTOMER: ("customer", "customer_name", "entity_name"),
        Role.AMOUNT: (
            "open_amount",
            "remaining_amount",
            "unbilled_amount",
            "amount",
            "order_amount",
            "foreigntotal",
            "total",
            "order_total",
        ),
        Role.QUANTITY: ("shortfall_qty", "open_qty", "remaining_qty", "unbilled_qty", "quantity"),
        Role.SO_ID: ("so_id", "salesorder_id", "order_internal_id"),
        Role.SO_NUMBER: ("so_number", "tranid", "so_tranid"),
        Role.ORDER_NAME: ("order_name", "shopify_order_name", "otherrefnum"),
        Role.ORDER_ID: ("shopify_order_id", "order_id", "etail_order_id"),
        Role.FULFILLMENT_ID: ("if_id", "fulfillment_id"),
        Role.FULFILLMENT_NUMBER: ("if_number", "fulfillment_number"),
        Role.BILL_ID: ("bill_id",),
        Role.BILL_NUMBER: ("bill_number",),
        Role.BILL_TYPE: ("bill_type", "expected_bill_type"),
        Role.ITEM_ID: ("item_id",),
        Role.SKU: ("sku", "itemid", "item"),
        Role.TRACKING: ("tracking_numbers", "tracking_number", "trackingnumber"),
        Role.CARRIER: ("carrier", "shipcarrier", "ship_carrier"),
        Role.STATUS: ("status_label", "status"),
        Role.REASON: ("failure_reason", "reason"),
        Role.HAS_TRACKING: ("has_tracking",),
    }
)


def column(frame: pd.DataFrame, role: Role) -> str | None:
    """The name of the column of `frame` playing `role`, or None when it has none."""
    return next((name for name in CANDIDATES[role] if name in frame.columns), None)


def date_only(frame: pd.DataFrame) -> tuple[str, ...]:
    """Timestamp columns whose values all fall on midnight (SuiteQL DATE values): show as dates."""
    return tuple(
        name
        for name in frame.columns
        if pd.api.types.is_datetime64_any_dtype(frame[name])
        and bool((frame[name].dropna() == frame[name].dropna().dt.normalize()).all())
    )
