"""The single-flight lock: one execution per target at a time, across threads and processes.

An exclusive `fcntl.flock` on `data_dir/locks/<action>-<target>.lock`. `flock` locks belong to
an open file description, so two threads that each open the file exclude each other just as two
processes (two Streamlit sessions, the CLI and the dashboard) do. A second caller waits up to
`timeout` seconds, then gets `ActionError` naming who holds the lock.
"""

from __future__ import annotations

import fcntl
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from suiteops.errors import ActionError

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")
_POLL_SECONDS = 0.05


def lock_path(data_dir: Path, scope: str, target: str) -> Path:
    """The lock file of `target` within `scope` (file-name safe)."""
    name = _UNSAFE.sub("_", f"{scope}-{target}")
    return Path(data_dir) / "locks" / f"{name}.lock"


@contextmanager
def target_lock(
    data_dir: Path, scope: str, target: str, *, timeout: float = 30.0
) -> Iterator[None]:
    """Hold the exclusive lock of `target` for the duration of the block."""
    path = lock_path(data_dir, scope, target)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, path, timeout)
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} since {time.time():.0f}\n".encode())
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                holder = path.read_text(encoding="utf-8", errors="replace").strip() or "unknown"
                raise ActionError(
                    f"another execution on this target is still running ({holder}); "
                    f"lock {path} not released after {timeout:.0f} s"
                ) from None
            time.sleep(_POLL_SECONDS)
