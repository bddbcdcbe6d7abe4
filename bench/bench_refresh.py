"""Benchmarks of the refresh path, measured side by side in one run (issue 4).

(a) Peak memory vs result size. Every cached query (the project's queries plus `order_lines`,
    every sales-order item line, the biggest result) is refreshed by a fresh child process
    against an emulator at a small scale and at 10x that scale. Memory is the child's peak RSS
    (VmHWM: Python, Arrow and DuckDB native memory together) minus its RSS right before the
    refresh (after imports). Not ru_maxrss: Linux carries it across exec, so a spawned child
    would report the parent's size (the emulator's database lives in the parent). Rows stream
    page by page into DuckDB, so growth must stay flat while the rows grow about 10x.
(b) Incremental vs full. On the big emulator, after 1% of sales orders change (new total and
    lastmodifieddate), an incremental refresh of each incremental query is compared with a full
    refresh of the same final state: pages and wall time (target at most 10%).

    .venv/bin/python bench/bench_refresh.py              # large (110,000 orders) vs 11,000
    .venv/bin/python bench/bench_refresh.py --scale 20000
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from cache.emulated import ORDER_LINES, SALES_ORDERS, settings_for  # noqa: E402

from suiteops.catalog import update_lock  # noqa: E402
from suiteops.cli.data_output import table  # noqa: E402
from suiteops.config import Settings  # noqa: E402
from suiteops.emulator.seed import SCALES  # noqa: E402
from suiteops.emulator.server import Emulator, EmulatorConfig, start_emulator  # noqa: E402
from suiteops.refresh import refresh  # noqa: E402
from suiteops.services import open_services  # noqa: E402


@dataclass(frozen=True)
class MemoryRun:
    """One child refresh: rows and pages fetched, seconds, RSS before and at peak (MB)."""

    scale: int
    rows: int
    pages: int
    seconds: float
    rss_before: float
    rss_peak: float

    @property
    def growth(self) -> float:
        """Peak RSS above the post-import baseline, MB."""
        return self.rss_peak - self.rss_before


def queries_dir(target: Path) -> Path:
    """The project's query files plus the two bench queries, with a fresh versions.lock."""
    target.mkdir(parents=True)
    for path in (ROOT / "queries").glob("*.sql"):
        shutil.copy(path, target / path.name)
    (target / "order_lines.sql").write_text(ORDER_LINES, encoding="utf-8")
    (target / "sales_orders.sql").write_text(SALES_ORDERS, encoding="utf-8")
    update_lock(target)
    return target


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status (VmRSS, VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise SystemExit(f"/proc/self/status has no {field} (Linux only)")


def _child_refresh(settings: Settings, out: Any) -> None:
    services = open_services(settings)
    before = _status_mb("VmRSS")
    started = time.perf_counter()
    runs = refresh(services, full=True)
    seconds = time.perf_counter() - started
    failed = [f"{r.query}: {r.error}" for r in runs if not r.ok]
    peak = _status_mb("VmHWM")
    out.send((sum(r.rows for r in runs), sum(r.pages for r in runs), seconds, before, peak, failed))


def measure_memory(emu: Emulator, scale: int, work: Path, queries: Path) -> MemoryRun:
    """Refresh every query in a fresh child process and report its memory."""
    settings = settings_for(emu, work / f"mem-{scale}", queries)
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child_refresh, args=(settings, send))
    child.start()
    rows, pages, seconds, before, peak, failed = receive.recv()
    child.join()
    if failed:
        raise SystemExit("refresh failed: " + "; ".join(failed))
    return MemoryRun(scale, rows, pages, seconds, before, peak)


def change_orders(emu: Emulator, share: float) -> int:
    """Give `share` of the sales orders a new total and a lastmodifieddate after every other."""
    stamp = max(
        datetime.now(UTC).replace(tzinfo=None),
        emu.sql("SELECT max(lastmodifieddate) FROM transaction")[0][0],
    )
    every = round(1 / share)
    emu.sql(
        "UPDATE transaction SET foreigntotal = foreigntotal + 1, lastmodifieddate = ?"
        " WHERE type = 'SalesOrd' AND id % ? = 0",
        [stamp, every],
    )
    return emu.sql("SELECT count(*) FROM transaction WHERE lastmodifieddate = ?", [stamp])[0][0]


def timed_refresh(settings: Settings, name: str, full: bool) -> tuple[int, int, float, str]:
    """Refresh one query; its pages, rows, seconds and mode."""
    services = open_services(settings)
    started = time.perf_counter()
    (run,) = refresh(services, [name], full=full)
    seconds = time.perf_counter() - started
    services.close()
    if not run.ok:
        raise SystemExit(f"{name}: {run.error}")
    return run.pages, run.rows, seconds, run.mode.value


def incremental_vs_full(emu: Emulator, work: Path, queries: Path) -> list[tuple[Any, ...]]:
    """Per incremental query: full then incremental after a 1% change, vs a full of that state."""
    names = [n for n in ("sales_orders", "reconciliation") if (queries / f"{n}.sql").exists()]
    inc = settings_for(emu, work / "inc", queries)
    for name in names:
        timed_refresh(inc, name, full=True)
    changed = change_orders(emu, 0.01)
    rows = []
    for name in names:
        i_pages, i_rows, i_secs, mode = timed_refresh(inc, name, full=False)
        f_pages, f_rows, f_secs, _ = timed_refresh(
            settings_for(emu, work / f"full-{name}", queries), name, True
        )
        rows.append((name, changed, mode, f_pages, i_pages, f_secs, i_secs, f_rows, i_rows))
    return rows


def main() -> None:
    """Run both benchmarks and print one table of measurements and ratios."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scale", type=int, default=SCALES["large"], help="sales orders of the big run"
    )
    args = parser.parse_args()
    big, small = args.scale, max(args.scale // 10, 1)
    work = Path(tempfile.mkdtemp(prefix="bench-refresh-"))
    queries = queries_dir(work / "queries")
    memory: list[MemoryRun] = []
    for scale in (small, big):
        started = time.perf_counter()
        emu = start_emulator(EmulatorConfig(scale=scale, concurrency_limit=15))
        print(
            f"emulator with {scale:,} orders seeded in {time.perf_counter() - started:.1f}s",
            flush=True,
        )
        memory.append(measure_memory(emu, scale, work, queries))
        if scale == big:
            increments = incremental_vs_full(emu, work, queries)
        emu.stop()
    report(memory, increments)
    shutil.rmtree(work, ignore_errors=True)


def report(memory: list[MemoryRun], increments: list[tuple[Any, ...]]) -> None:
    """Print the measurements and their ratios."""
    small, big = memory
    print("\n(a) refresh of every query, a fresh child process per scale")
    head = ["orders", "rows", "pages", "seconds", "RSS before MB", "peak MB", "growth MB"]
    print(table(head, [(m.scale, m.rows, m.pages, round(m.seconds, 1), round(m.rss_before),
                        round(m.rss_peak), round(m.growth)) for m in memory]), end="")  # fmt: skip
    print(
        f"ratio big/small: rows {big.rows / small.rows:.1f}x, peak RSS "
        f"{big.rss_peak / small.rss_peak:.2f}x, growth above baseline "
        f"{big.growth / max(small.growth, 1):.2f}x"
    )
    print("\n(b) incremental after 1% of orders changed vs a full refresh of the same state")
    head = ["query", "changed", "mode", "full pages", "inc pages", "pages %", "full s", "inc s",
            "time %", "rows"]  # fmt: skip
    lines = [
        (name, changed, mode, fp, ip, f"{100 * ip / fp:.1f}%", round(fs, 2), round(is_, 2),
         f"{100 * is_ / fs:.1f}%", ir)
        for name, changed, mode, fp, ip, fs, is_, _, ir in increments
    ]  # fmt: skip
    print(table(head, lines), end="")


if __name__ == "__main__":
    main()
