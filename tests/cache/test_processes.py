"""The cache across processes: a killed writer, and readers while another process publishes
(the readers hold snapshots open read-only the whole time: they never block the publisher)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path

from suiteops.cache import Cache, RunStatus

from .helpers import make_spec, pages

SPAWN = multiprocessing.get_context("spawn")


def _publish_counts(root: str, counts: list[int], pause: float) -> None:
    cache = Cache(Path(root))
    for n in counts:
        with cache.writer(make_spec()) as writer:
            for page in pages(n, page_size=500):
                writer.append(page)
            writer.commit()
        time.sleep(pause)


def _write_slowly(root: str, started: multiprocessing.synchronize.Event) -> None:
    cache = Cache(Path(root))
    with cache.writer(make_spec()) as writer:
        for number, page in enumerate(pages(100_000, page_size=1000)):
            writer.append(page)
            if number == 2:
                started.set()
            time.sleep(0.05)
        writer.commit()


def test_sigkill_midway_keeps_previous_snapshot_and_marks_run(tmp_path: Path) -> None:
    _publish_counts(str(tmp_path), [1234], 0)
    started = SPAWN.Event()
    proc = SPAWN.Process(target=_write_slowly, args=(str(tmp_path), started))
    proc.start()
    assert started.wait(30), "writer never got going"
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(10)
    assert proc.exitcode == -signal.SIGKILL
    cache = Cache(tmp_path)
    snap = cache.read("orders")
    assert snap is not None and snap.meta.rows == 1234 and len(snap.frame()) == 1234
    killed = cache.runs("orders")[0]
    assert killed.status is RunStatus.INTERRUPTED
    assert f"process {proc.pid} ended" in (killed.error or "")
    assert list((tmp_path / "snapshots" / "orders").glob("*.partial.duckdb"))
    _publish_counts(str(tmp_path), [10], 0)  # the next publish prunes the orphaned partial file
    assert not list((tmp_path / "snapshots" / "orders").glob("*.partial.duckdb"))
    cache.close()


def test_reads_stay_consistent_while_another_process_publishes(tmp_path: Path) -> None:
    counts = [200 * (i + 1) for i in range(8)]
    _publish_counts(str(tmp_path), [100], 0)
    writer = SPAWN.Process(target=_publish_counts, args=(str(tmp_path), counts, 0.02))
    cache = Cache(tmp_path)
    seen: list[tuple[int, int, str]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def read_forever() -> None:
        while not stop.is_set():
            try:
                snap = cache.read("orders")
                assert snap is not None
                n = int(snap.query("SELECT count(*) AS n FROM rows")["n"].iloc[0])
                seen.append((n, snap.meta.rows, snap.meta.run_id))
                time.sleep(0.002)  # leave the publishing process some CPU on small machines
            except BaseException as exc:  # collected and re-raised below, in the test thread
                errors.append(exc)
                return

    readers = [threading.Thread(target=read_forever) for _ in range(2)]
    writer.start()
    for thread in readers:
        thread.start()
    writer.join(60)
    stop.set()
    for thread in readers:
        thread.join(10)
    assert writer.exitcode == 0
    assert errors == []
    assert all(n == rows and n in {100, *counts} for n, rows, _ in seen)
    assert len({run for *_, run in seen}) >= 3, "readers should have seen several snapshots"
    final = cache.read("orders")
    assert final is not None and final.meta.rows == counts[-1]
    cache.close()
