"""Filters: options offered, each filter alone and combined, ignored when the column is missing."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from suiteops.views.filters import AgeBucket, Filters, age_buckets, apply, options


def test_options_list_distinct_sorted_values(backlog: pd.DataFrame) -> None:
    got = options(backlog)
    assert got.locations == ("East", "West")
    assert got.channels == ("shopify", "wholesale")
    assert got.customer_types == ("B2B", "DTC")
    assert got.date_range == (dt.date(2026, 11, 1), dt.date(2026, 12, 3))
    assert got.has_age


def test_no_filter_keeps_everything(backlog: pd.DataFrame) -> None:
    assert not Filters().active
    pd.testing.assert_frame_equal(apply(backlog, Filters()), backlog)


@pytest.mark.parametrize(
    ("filters", "so_ids"),
    [
        (Filters(locations=("West",)), [11, 13, 13]),
        (Filters(channels=("shopify",)), [10, 10, 12]),
        (Filters(customer_types=("B2B",)), [11, 13, 13]),
        (Filters(start=dt.date(2026, 11, 20)), [11, 12, 13, 13]),
        (Filters(end=dt.date(2026, 11, 20)), [10, 10, 11]),
        (Filters(start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 1)), [12]),
        (Filters(age_buckets=(AgeBucket.D31_PLUS,)), [10, 10]),
        (Filters(age_buckets=(AgeBucket.D0_2, AgeBucket.D3_7)), [12, 13, 13]),
        (Filters(locations=("East",), age_buckets=(AgeBucket.D3_7,)), [12]),
        (Filters(locations=("North",)), []),
    ],
)
def test_each_filter_keeps_exactly_the_matching_rows(
    backlog: pd.DataFrame, filters: Filters, so_ids: list[int]
) -> None:
    got = apply(backlog, filters)
    assert got["so_id"].tolist() == so_ids
    assert list(got.columns) == list(backlog.columns)
    assert filters.active


def test_filters_on_missing_columns_are_ignored(backlog: pd.DataFrame) -> None:
    bare = backlog.drop(columns=["channel", "age_days", "trandate"])
    got = apply(bare, Filters(channels=("x",), age_buckets=(AgeBucket.D0_2,), start=dt.date.max))
    assert len(got) == len(bare)
    assert options(bare).date_range is None and not options(bare).has_age


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (-1, AgeBucket.D0_2),
        (0, AgeBucket.D0_2),
        (2, AgeBucket.D0_2),
        (3, AgeBucket.D3_7),
        (7, AgeBucket.D3_7),
        (8, AgeBucket.D8_14),
        (14, AgeBucket.D8_14),
        (15, AgeBucket.D15_30),
        (30, AgeBucket.D15_30),
        (31, AgeBucket.D31_PLUS),
        (400, AgeBucket.D31_PLUS),
    ],
)
def test_age_bucket_edges_agree_between_scalar_and_series(days: int, bucket: AgeBucket) -> None:
    assert AgeBucket.of(days) is bucket
    assert age_buckets(pd.Series([days])).tolist() == [bucket.value]


def test_missing_age_has_no_bucket() -> None:
    assert pd.isna(age_buckets(pd.Series([None, 3.0]))[0])
