"""Filters shared by every data page: location, date range, age bucket, channel, customer type.

`options(frame)` lists what can be chosen; `apply(frame, filters)` keeps the matching rows. An
empty selection means "no filter"; a filter whose column the frame lacks is ignored.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

import pandas as pd

from suiteops.views.columns import Role, column


class AgeBucket(Enum):
    """Closed age ranges in days, as shown on charts and in the age filter."""

    D0_2 = "0–2 d"
    D3_7 = "3–7 d"
    D8_14 = "8–14 d"
    D15_30 = "15–30 d"
    D31_PLUS = "> 30 d"

    @property
    def bounds(self) -> tuple[float, float]:
        """Inclusive lower and upper bound in days."""
        return _BOUNDS[self]

    @classmethod
    def of(cls, days: float) -> AgeBucket:
        """The bucket a non-negative age in days falls in (negative ages count as 0)."""
        return next(b for b in cls if days <= b.bounds[1])


_BOUNDS = {
    AgeBucket.D0_2: (0.0, 2.0),
    AgeBucket.D3_7: (3.0, 7.0),
    AgeBucket.D8_14: (8.0, 14.0),
    AgeBucket.D15_30: (15.0, 30.0),
    AgeBucket.D31_PLUS: (31.0, float("inf")),
}


def age_buckets(ages: pd.Series) -> pd.Series:
    """Bucket labels for a series of ages in days (NaN stays NaN)."""
    labels = [b.value for b in AgeBucket]
    edges = [-float("inf"), 2.0, 7.0, 14.0, 30.0, float("inf")]
    cut = pd.cut(pd.to_numeric(ages, errors="coerce"), bins=edges, labels=labels)
    return cut.astype("object")


@dataclass(frozen=True)
class Filters:
    """A selection on the filter roles; empty tuples and None dates mean "everything"."""

    locations: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    age_buckets: tuple[AgeBucket, ...] = ()
    channels: tuple[str, ...] = ()
    customer_types: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        """True when any filter narrows the frame."""
        return self != Filters()


@dataclass(frozen=True)
class FilterOptions:
    """What a frame offers to filter on (empty or None where it lacks the column)."""

    locations: tuple[str, ...]
    channels: tuple[str, ...]
    customer_types: tuple[str, ...]
    date_range: tuple[dt.date, dt.date] | None
    has_age: bool


def options(frame: pd.DataFrame) -> FilterOptions:
    """The distinct values (sorted) and date range `frame` offers for each filter."""
    return FilterOptions(
        locations=_distinct(frame, Role.LOCATION),
        channels=_distinct(frame, Role.CHANNEL),
        customer_types=_distinct(frame, Role.CUSTOMER_TYPE),
        date_range=_date_range(frame),
        has_age=column(frame, Role.AGE) is not None,
    )


def apply(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The rows of `frame` matching every active filter, index reset, columns unchanged
    (`frame` itself when no filter is active)."""
    if not filters.active:
        return frame
    mask = pd.Series(True, index=frame.index)
    for role, chosen in (
        (Role.LOCATION, filters.locations),
        (Role.CHANNEL, filters.channels),
        (Role.CUSTOMER_TYPE, filters.customer_types),
    ):
        name = column(frame, role)
        if chosen and name is not None:
            mask &= frame[name].isin(chosen)
    mask &= _date_mask(frame, filters.start, filters.end)
    mask &= _age_mask(frame, filters.age_buckets)
    return frame[mask].reset_index(drop=True)


def dates(frame: pd.DataFrame) -> pd.Series | None:
    """The date column of `frame` as `datetime.date` values (None when it has none)."""
    name = column(frame, Role.DATE)
    if name is None:
        return None
    return pd.to_datetime(frame[name], errors="coerce").dt.date


def _distinct(frame: pd.DataFrame, role: Role) -> tuple[str, ...]:
    name = column(frame, role)
    if name is None:
        return ()
    return tuple(sorted(str(v) for v in frame[name].dropna().unique()))


def _date_range(frame: pd.DataFrame) -> tuple[dt.date, dt.date] | None:
    values = dates(frame)
    if values is None or values.dropna().empty:
        return None
    return values.dropna().min(), values.dropna().max()


def _date_mask(frame: pd.DataFrame, start: dt.date | None, end: dt.date | None) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    values = None if start is None and end is None else dates(frame)
    if values is None:
        return mask
    if start is not None:
        mask &= values.map(lambda d: pd.notna(d) and d >= start).astype(bool)
    if end is not None:
        mask &= values.map(lambda d: pd.notna(d) and d <= end).astype(bool)
    return mask


def _age_mask(frame: pd.DataFrame, buckets: tuple[AgeBucket, ...]) -> pd.Series:
    name = column(frame, Role.AGE)
    if not buckets or name is None:
        return pd.Series(True, index=frame.index)
    return age_buckets(frame[name]).isin([b.value for b in buckets])
