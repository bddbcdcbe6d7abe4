"""The freshness line every data page shows: as of, age, query version, and how worried to be.

A page warns once its data is older than twice the query's refresh interval, and shows the error
when the last refresh failed (the last good snapshot stays on screen, per DESIGN.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from suiteops.cache.records import QueryStatus, RunStatus


class Level(Enum):
    """How the page should present the freshness line."""

    FRESH = "fresh"
    STALE = "stale"
    FAILED = "failed"
    EMPTY = "empty"


@dataclass(frozen=True)
class Freshness:
    """What the freshness line says about one query's cached data."""

    level: Level
    text: str
    as_of: datetime | None
    age: timedelta | None
    version: int
    error: str | None = None


def human_age(age: timedelta) -> str:
    """`42 s`, `5 min`, `3 h 20 min`, `2 d 4 h`: the coarsest two units that matter."""
    seconds = max(0, int(age.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if hours == 0:
        return f"{minutes} min"
    if days == 0:
        rest = minutes - hours * 60
        return f"{hours} h {rest} min" if rest else f"{hours} h"
    rest = hours - days * 24
    return f"{days} d {rest} h" if rest else f"{days} d"


def freshness(status: QueryStatus, interval: timedelta | None) -> Freshness:
    """The freshness of one query from its cache status and declared refresh interval."""
    run = status.last_ok_run
    if run is None or status.age is None:
        text = f"Not refreshed yet (query version {status.version})."
        return Freshness(
            Level.EMPTY, _with_error(text, status), None, None, status.version, _failure(status)
        )
    as_of = run.finished or run.started
    text = (
        f"As of {as_of:%Y-%m-%d %H:%M:%S} UTC · {human_age(status.age)} old · "
        f"query {status.name} v{run.version}"
    )
    level = Level.FRESH
    if interval is not None and status.age > 2 * interval:
        level = Level.STALE
        text += f" · older than twice its refresh interval ({human_age(interval)})"
    if _failure(status):
        level = Level.FAILED
    return Freshness(
        level, _with_error(text, status), as_of, status.age, run.version, _failure(status)
    )


def _failure(status: QueryStatus) -> str | None:
    failed = status.last_status in {RunStatus.FAILED, RunStatus.INTERRUPTED}
    return (status.last_error or "the last refresh did not finish") if failed else None


def _with_error(text: str, status: QueryStatus) -> str:
    error = _failure(status)
    return f"{text} · last refresh failed: {error}" if error else text
