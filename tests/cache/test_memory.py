"""Memory while writing a snapshot does not grow with the result: rows stream page by page."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

from .helpers import make_row, make_spec


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no {field} in /proc/self/status")


def _write_rows(root: str, n_rows: int, out: Any) -> None:
    """Child: write `n_rows` in 1000-row pages; send (RSS before, peak RSS) in MB. VmHWM, not
    ru_maxrss, which Linux carries over from the parent across exec."""
    from suiteops.cache import Cache

    cache = Cache(Path(root))
    before = _status_mb("VmRSS")
    with cache.writer(make_spec()) as writer:
        for start in range(0, n_rows, 1000):
            writer.append([make_row(i) for i in range(start, start + 1000)])
        writer.commit()
    out.send((before, _status_mb("VmHWM")))


def _peak(root: Path, n_rows: int) -> tuple[float, float]:
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_write_rows, args=(str(root), n_rows, send))
    child.start()
    result = receive.recv()
    child.join(60)
    assert child.exitcode == 0
    return result


def test_peak_memory_stays_flat_when_the_result_grows_tenfold(tmp_path: Path) -> None:
    small_before, small_peak = _peak(tmp_path / "small", 15_000)
    big_before, big_peak = _peak(tmp_path / "big", 150_000)
    small_growth, big_growth = small_peak - small_before, big_peak - big_before
    # Holding the rows would cost ~100 MB more for the big run (~0.7 KB a row as Python dicts).
    assert big_growth < small_growth + 40, (small_growth, big_growth)
