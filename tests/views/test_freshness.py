"""The freshness line: fresh, stale past twice the interval, failed, never refreshed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from suiteops.cache.records import QueryStatus, RunMode, RunRecord, RunStatus
from suiteops.views.freshness import Level, freshness, human_age

FINISHED = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)


def _run() -> RunRecord:
    return RunRecord(
        run_id="r1",
        query="pending_fulfillment",
        version=3,
        checksum="c",
        params="{}",
        account="TSTDRV",
        mode=RunMode.FULL,
        status=RunStatus.OK,
        started=FINISHED,
        finished=FINISHED,
        rows=10,
        pages=1,
        retries=0,
        error=None,
        snapshot="s",
    )


def _status(
    age: timedelta | None,
    last: RunStatus = RunStatus.OK,
    error: str | None = None,
    run: RunRecord | None = None,
) -> QueryStatus:
    return QueryStatus(
        name="pending_fulfillment",
        title="Pending",
        version=3,
        last_ok_run=run,
        age=age,
        rows=10,
        last_status=last,
        last_error=error,
        stale=False,
        never_refreshed=run is None,
    )


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 s"),
        (59, "59 s"),
        (60, "1 min"),
        (3599, "59 min"),
        (3600, "1 h"),
        (3660, "1 h 1 min"),
        (86400, "1 d"),
        (90000, "1 d 1 h"),
        (-5, "0 s"),
    ],
)
def test_human_age(seconds: int, text: str) -> None:
    assert human_age(timedelta(seconds=seconds)) == text


def test_fresh_line_says_as_of_age_and_version() -> None:
    got = freshness(_status(timedelta(minutes=5), run=_run()), timedelta(minutes=15))
    assert got.level is Level.FRESH
    assert got.text == "As of 2026-12-04 10:00:00 UTC · 5 min old · query pending_fulfillment v3"
    assert got.as_of == FINISHED and got.version == 3


def test_warns_only_past_twice_the_interval() -> None:
    interval = timedelta(minutes=15)
    assert freshness(_status(timedelta(minutes=30), run=_run()), interval).level is Level.FRESH
    late = freshness(_status(timedelta(minutes=31), run=_run()), interval)
    assert late.level is Level.STALE and "twice its refresh interval (15 min)" in late.text
    assert freshness(_status(timedelta(days=9), run=_run()), None).level is Level.FRESH


def test_failed_refresh_shows_the_error_beside_the_last_good_data() -> None:
    got = freshness(
        _status(timedelta(minutes=1), RunStatus.FAILED, "HTTP 500 UNEXPECTED_ERROR", _run()),
        timedelta(minutes=15),
    )
    assert got.level is Level.FAILED and got.error == "HTTP 500 UNEXPECTED_ERROR"
    assert got.text.startswith("As of 2026-12-04") and got.text.endswith(
        "last refresh failed: HTTP 500 UNEXPECTED_ERROR"
    )


def test_never_refreshed() -> None:
    got = freshness(_status(None, last=None), timedelta(minutes=15))  # type: ignore[arg-type]
    assert got.level is Level.EMPTY and got.text == "Not refreshed yet (query version 3)."
    failed = freshness(_status(None, RunStatus.INTERRUPTED), None)
    assert "last refresh failed: the last refresh did not finish" in failed.text
