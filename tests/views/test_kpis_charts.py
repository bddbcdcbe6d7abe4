"""KPI metrics and the aggregations behind each figure, checked against hand counts."""

from __future__ import annotations

import pandas as pd

from suiteops.views import charts
from suiteops.views.columns import Role
from suiteops.views.filters import AgeBucket
from suiteops.views.kpis import Metric, format_value, metrics, orders, total


def test_metrics_count_rows_orders_amount_units_and_age(backlog: pd.DataFrame) -> None:
    got = {m.label: m.value for m in metrics(backlog)}
    assert got == {
        "Rows": 6,
        "Orders": 4,
        "Amount": 165.49,
        "Units": 15.0,
        "Median age (d)": 8.5,
        "Oldest (d)": 33.0,
    }


def test_metrics_skip_what_the_frame_cannot_answer() -> None:
    got = [m.label for m in metrics(pd.DataFrame({"x": [1, 2]}))]
    assert got == ["Rows", "Orders"]
    assert orders(pd.DataFrame({"x": [1, 2]})) == 2
    assert total(pd.DataFrame({"x": [1]}), Role.AMOUNT) is None


def test_format_value() -> None:
    assert [format_value(v) for v in (1234, 1234.0, 1234.5, "n/a")] == [
        "1,234",
        "1,234",
        "1,234.50",
        "n/a",
    ]
    assert Metric("x", 2.5).formatted() == "2.50"


def test_backlog_table_counts_distinct_orders_per_location_and_bucket(
    backlog: pd.DataFrame,
) -> None:
    table = charts.backlog_table(backlog)
    assert len(table) == 2 * len(AgeBucket)
    nonzero = table[table["orders"] > 0]
    assert sorted(map(tuple, nonzero.values.tolist())) == [
        ("East", "3–7 d", 1),
        ("East", "> 30 d", 1),
        ("West", "0–2 d", 1),
        ("West", "8–14 d", 1),
    ]


def test_backlog_figure_draws_the_table(backlog: pd.DataFrame) -> None:
    fig = charts.backlog_figure(backlog)
    assert [t.name for t in fig.data] == [b.value for b in AgeBucket]
    over_30 = fig.data[-1]
    assert list(over_30.x) == ["East", "West"] and list(over_30.y) == [1, 0]
    assert fig.layout.barmode == "stack"


def test_age_table_and_figure(backlog: pd.DataFrame) -> None:
    table = charts.age_table(backlog)
    assert table.values.tolist() == [[1, 2], [3, 1], [14, 1], [33, 2]]
    fig = charts.age_figure(backlog)
    assert list(fig.data[0].x) == [1, 3, 14, 33] and list(fig.data[0].y) == [2, 1, 1, 2]


def test_daily_table_and_figure(backlog: pd.DataFrame) -> None:
    table = charts.daily_table(backlog)
    assert [d.isoformat() for d in table["day"]] == [
        "2026-11-01",
        "2026-11-20",
        "2026-12-01",
        "2026-12-03",
    ]
    assert table["count"].tolist() == [1, 1, 1, 1]
    assert table["amount"].tolist() == [35.5, 50.0, 9.99, 70.0]
    fig = charts.daily_figure(backlog)
    assert list(fig.data[1].y) == [35.5, 50.0, 9.99, 70.0]
    assert fig.data[0].name == "orders"


def test_daily_figure_counts_fulfillments_and_skips_a_missing_amount() -> None:
    frame = pd.DataFrame(
        {
            "if_id": [1, 1, 2, 3],
            "so_id": [7, 7, 7, 8],
            "ship_date": ["2026-12-01", "2026-12-01", "2026-12-01", "2026-12-02"],
        }
    )
    fig = charts.daily_figure(frame, "t", Role.FULFILLMENT_ID, "fulfillments")
    assert len(fig.data) == 1 and fig.data[0].name == "fulfillments"
    assert list(fig.data[0].y) == [2, 1]
    assert charts.daily_table(frame)["count"].tolist() == [1, 1]


def test_sku_table_orders_by_units_then_name(backlog: pd.DataFrame) -> None:
    table = charts.sku_table(backlog)
    assert table.values.tolist() == [["A-1", 7.0], ["B-2", 5.0], ["C-3", 3.0]]
    assert charts.sku_table(backlog, top=1)["sku"].tolist() == ["A-1"]
    fig = charts.sku_figure(backlog)
    assert list(fig.data[0].y) == ["C-3", "B-2", "A-1"]


def test_tables_are_empty_without_their_columns() -> None:
    bare = pd.DataFrame({"x": [1]})
    assert charts.backlog_table(bare).empty
    assert charts.age_table(bare).empty
    assert charts.daily_table(bare).empty
    assert charts.sku_table(bare).empty


def test_metrics_count_fulfillments_when_the_frame_has_them() -> None:
    frame = pd.DataFrame({"if_id": [1, 1, 2], "so_id": [5, 5, 5]})
    got = {m.label: m.value for m in metrics(frame)}
    assert got == {"Rows": 3, "Orders": 1, "Fulfillments": 2}


def test_date_only_finds_timestamp_columns_that_are_whole_days() -> None:
    from suiteops.views.columns import date_only

    frame = pd.DataFrame(
        {
            "day": pd.to_datetime(["2026-12-01", None]),
            "at": pd.to_datetime(["2026-12-01 10:30", "2026-12-02 00:00"]),
            "text": ["2026-12-01", "x"],
        }
    )
    assert date_only(frame) == ("day",)
