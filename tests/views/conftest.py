"""Small hand-made frames shaped like the cached query results the views read."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest


@pytest.fixture
def backlog() -> pd.DataFrame:
    """Six pending-fulfillment lines over four orders, two locations and two channels."""
    return pd.DataFrame(
        {
            "so_id": [10, 10, 11, 12, 13, 13],
            "so_number": ["SO10", "SO10", "SO11", "SO12", "SO13", "SO13"],
            "order_name": ["#1001", "#1001", "#1002", "#1003", "#1004", "#1004"],
            "shopify_order_id": ["5001", "5001", "5002", "5003", "5004", "5004"],
            "customer": ["Ann", "Ann", "Bo", "Cy", "Di", "Di"],
            "customer_type": ["DTC", "DTC", "B2B", "DTC", "B2B", "B2B"],
            "channel": ["shopify", "shopify", "wholesale", "shopify", "wholesale", "wholesale"],
            "item_id": [1, 2, 1, 3, 2, 3],
            "sku": ["A-1", "B-2", "A-1", "C-3", "B-2", "C-3"],
            "location_name": ["East", "East", "West", "East", "West", "West"],
            "trandate": pd.to_datetime(
                ["2026-11-01", "2026-11-01", "2026-11-20", "2026-12-01", "2026-12-03", "2026-12-03"]
            ),
            "age_days": [33, 33, 14, 3, 1, 1],
            "open_qty": [2.0, 1.0, 5.0, 1.0, 4.0, 2.0],
            "open_amount": [20.0, 15.5, 50.0, 9.99, 40.0, 30.0],
        }
    )


@pytest.fixture
def day() -> dt.date:
    """The 'today' of the frames above."""
    return dt.date(2026, 12, 4)
