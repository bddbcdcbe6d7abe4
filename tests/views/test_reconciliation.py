"""Reconciliation aggregates per day and channel, totals, mismatches and figures."""

from __future__ import annotations

import pandas as pd
import pytest

from suiteops.views import reconciliation as rec


@pytest.fixture
def orders() -> pd.DataFrame:
    """Five orders over two days and two channels; SO2 unbilled, SO4 billed short."""
    return pd.DataFrame(
        {
            "so_id": [1, 2, 3, 4, 5],
            "trandate": ["2026-12-01", "2026-12-01", "2026-12-01", "2026-12-02", "2026-12-02"],
            "channel": ["shopify", "shopify", "wholesale", "shopify", None],
            "order_total": [100.0, 50.0, 200.0, 80.0, 10.0],
            "billed_amount": [100.0, 0.0, 200.0, 70.0, 10.004],
            "bill_count": [1, 0, 1, 1, 1],
            "paid_amount": [100.0, 0.0, 0.0, 70.0, 10.0],
        }
    )


def test_daily_aggregates_per_day_and_channel(orders: pd.DataFrame) -> None:
    table = rec.daily(orders)
    assert list(table.columns) == list(rec.DAILY_COLUMNS)
    rows = [
        (d.isoformat(), c, o, ord_, bo, b, p, diff, m)
        for d, c, o, ord_, bo, b, p, diff, m in table.itertuples(index=False)
    ]
    assert rows == [
        ("2026-12-01", "shopify", 2, 150.0, 1, 100.0, 100.0, 50.0, 1),
        ("2026-12-01", "wholesale", 1, 200.0, 1, 200.0, 0.0, 0.0, 0),
        ("2026-12-02", "(none)", 1, 10.0, 1, 10.0, 10.0, 0.0, 0),
        ("2026-12-02", "shopify", 1, 80.0, 1, 70.0, 70.0, 10.0, 1),
    ]


def test_mismatches_ignore_fractions_of_a_cent_and_sort_by_gap(orders: pd.DataFrame) -> None:
    assert rec.mismatches(orders)["so_id"].tolist() == [2, 4]


def test_totals(orders: pd.DataFrame) -> None:
    got = {m.label: m.value for m in rec.totals(orders)}
    assert got == {
        "Orders": 5,
        "Ordered": 440.0,
        "Billed": 380.0,
        "Paid": 180.0,
        "Ordered − billed": 60.0,
        "Mismatched orders": 2,
    }


def test_figures_draw_the_daily_table(orders: pd.DataFrame) -> None:
    table = rec.daily(orders)
    fig = rec.daily_figure(table)
    assert list(fig.data[0].x) == ["2026-12-01", "2026-12-02"]
    assert list(fig.data[0].y) == [350.0, 90.0] and list(fig.data[1].y) == [300.0, 80.0]
    assert list(fig.data[2].y) == [50.0, 10.0]
    assert [t.type for t in fig.data] == ["scatter", "scatter", "bar"]
    channels = rec.channel_figure(table)
    assert dict(zip(channels.data[0].x, channels.data[0].y, strict=True)) == {
        "(none)": 0.0,
        "shopify": 60.0,
        "wholesale": 0.0,
    }


def test_empty_frame() -> None:
    empty = pd.DataFrame(
        columns=["trandate", "channel", "order_total", "billed_amount", "bill_count", "paid_amount"]
    )
    assert rec.daily(empty).empty and rec.mismatches(empty).empty
    assert {m.label: m.value for m in rec.totals(empty)}["Orders"] == 0
