"""Benchmark: server-side rerun time of every dashboard page from the cache (issue 5).

Starts an emulator at the large scale (1,000,000+ transaction lines), refreshes every cached
query into a fresh data_dir, then for each page runs the app with Streamlit's AppTest: one first
run (cold: reads the snapshot, builds link columns) and N reruns (what a user waits for after
each click). Beside each page it prints the floor: the time of the DuckDB reads the page is built
from (`SELECT * FROM rows` of each snapshot it shows, on a kept read-only connection), or of the
ledger reads for the admin pages. Target: p50 rerun under 300 ms. Order lookup is live (never
cached): its line is the time of one search plus the timeline through the client.

    .venv/bin/python bench/bench_pages.py                 # large scale, 15 reruns per page
    .venv/bin/python bench/bench_pages.py --scale demo --reruns 5
    .venv/bin/python bench/bench_pages.py --data-dir /tmp/large   # refresh once, rerun later
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import streamlit as st  # noqa: E402
from e2e.dashenv import emulator_env, environment, refresh_all  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from suiteops.cache import Cache  # noqa: E402
from suiteops.catalog import load_catalog  # noqa: E402
from suiteops.emulator.server import EmulatorConfig, start_emulator  # noqa: E402
from suiteops.ui.navigation import SECTIONS  # noqa: E402
from suiteops.views.registry import VIEWS  # noqa: E402

APP = str(ROOT / "app.py")
TARGET_MS = 300.0
# not cache pages
SKIP = {"app_pages/actions.py", "app_pages/audit.py", "app_pages/order_lookup.py"}

# page → the cached queries it is drawn from (None: the run ledger, not a snapshot)
READS: dict[str, tuple[str, ...] | None] = {
    "app_pages/overview.py": tuple(VIEWS),
    "app_pages/pending_fulfillment.py": ("pending_fulfillment",),
    "app_pages/partially_fulfilled.py": ("partially_fulfilled",),
    "app_pages/tracking.py": ("fulfillment_tracking",),
    "app_pages/billing_failures.py": ("billing_failures",),
    "app_pages/lot_inventory.py": ("lot_inventory_gaps", "lot_assignment_missing"),
    "app_pages/exceptions.py": tuple(VIEWS),
    "app_pages/reconciliation.py": ("reconciliation",),
    "app_pages/downloads.py": None,
    "app_pages/queries.py": None,
    "app_pages/runs.py": None,
}


@dataclass(frozen=True)
class Line:
    """One page's measurements in milliseconds."""

    page: str
    rows: int
    first: float
    p50: float
    p90: float
    floor: float


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _timed(fn: Callable[[], object], times: int) -> list[float]:
    out = []
    for _ in range(times):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def floor_ms(cache: Cache, page: str, times: int) -> tuple[float, int]:
    """p50 of the page's underlying reads, and the rows they return."""
    names = READS.get(page)
    if names is None:
        catalog = load_catalog(ROOT / "queries")
        runs = _timed(lambda: (cache.status(catalog, datetime.now(UTC)), cache.runs(limit=500)),
                      times)  # fmt: skip
        return _ms(statistics.median(runs)), len(cache.runs(limit=500))
    snaps = [s for s in (cache.read(n) for n in names) if s is not None]
    runs = _timed(lambda: [s.query("SELECT * FROM rows") for s in snaps], times)
    return _ms(statistics.median(runs)), sum(s.meta.rows for s in snaps)


def page_line(cache: Cache, page: str, reruns: int) -> Line:
    """First run and reruns of one page through AppTest, beside its floor."""
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=300)
    at.switch_page(page)
    first = _timed(at.run, 1)[0]
    if at.exception:
        raise SystemExit(f"{page}: {at.exception[0].value}")
    times = _timed(at.run, reruns)
    floor, rows = floor_ms(cache, page, reruns)
    quantiles = statistics.quantiles(times, n=10) if len(times) > 1 else times * 9
    return Line(page, rows, _ms(first), _ms(statistics.median(times)), _ms(quantiles[8]), floor)


def lookup_ms(emulator: object, reruns: int) -> float:
    """p50 of one live search (by tracking number) plus the order's timeline, via AppTest."""
    (term,) = emulator.sql(  # type: ignore[attr-defined]
        "SELECT tn.trackingnumber FROM trackingnumber tn ORDER BY tn.id LIMIT 1"
    )[0]
    times = []
    for _ in range(reruns):
        st.cache_data.clear()
        at = AppTest.from_file(APP, default_timeout=300)
        at.switch_page("app_pages/order_lookup.py")
        at.run()
        at.text_input(key="lookup-term").input(term)
        times += _timed(at.button[0].click().run, 1)
        if not at.dataframe:
            raise SystemExit(f"order lookup found nothing for {term!r}")
    return _ms(statistics.median(times))


def main() -> None:
    """Parse options, build the large cache, measure every page, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="large", help="emulator scale (default large)")
    parser.add_argument("--reruns", type=int, default=15, help="reruns per page (default 15)")
    parser.add_argument(
        "--data-dir", type=Path, help="keep the cache here; an already refreshed one is reused"
    )
    args = parser.parse_args()
    for name in ("streamlit", "uvicorn", "uvicorn.access", "uvicorn.error"):
        logging.getLogger(name).setLevel(logging.ERROR)
    start = time.perf_counter()
    emulator = start_emulator(EmulatorConfig(seed=7, scale=args.scale, concurrency_limit=15))
    lines_total = emulator.sql("SELECT count(*) FROM transactionline")[0][0]
    print(f"emulator {args.scale}: {lines_total:,} transaction lines "
          f"({time.perf_counter() - start:.1f} s)")  # fmt: skip
    try:
        with tempfile.TemporaryDirectory() as scratch:
            folder = args.data_dir or Path(scratch)
            with environment(emulator_env(emulator, folder)):
                measure(emulator, folder, args.reruns)
    finally:
        emulator.stop()


def measure(emulator: object, folder: Path, reruns: int) -> None:
    """Refresh (unless `folder` holds every snapshot already), then time every page."""
    cache = Cache(folder)
    try:
        if any(cache.read(name) is None for name in (*VIEWS, "reconciliation")):
            start = time.perf_counter()
            records = refresh_all()
            print(f"refresh: {sum(r.rows for r in records):,} rows in "
                  f"{time.perf_counter() - start:.1f} s")  # fmt: skip
        pages = [e.path for _, es in SECTIONS for e in es if e.path not in SKIP]
        report([page_line(cache, p, reruns) for p in pages])
        print(f"order lookup (live search + timeline): p50 {lookup_ms(emulator, 5)} ms")
    finally:
        cache.close()


def report(lines: list[Line]) -> None:
    """Print one row per page and whether its p50 meets the target."""
    print(f"\n{'page':32} {'rows':>9} {'first':>8} {'p50':>8} {'p90':>8} {'floor':>8}  target")
    for ln in lines:
        ok = "ok" if ln.p50 < TARGET_MS else "SLOW"
        print(f"{ln.page:32} {ln.rows:>9,} {ln.first:>8} {ln.p50:>8} {ln.p90:>8} {ln.floor:>8}  "
              f"{ok} (<{TARGET_MS:.0f} ms)")  # fmt: skip
    print("times in ms; first = cold run (snapshot read, link columns); p50/p90 of reruns")


if __name__ == "__main__":
    main()
