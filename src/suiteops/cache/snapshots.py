"""Snapshot files on disk: naming, the `current` pointer, publishing and pruning.

Layout per query: `snapshots/<name>/<run_id>.duckdb` (published, never written again),
`<run_id>.partial.duckdb` (being written) and `current` (a small text file naming the published
file). Publishing renames the finished, checkpointed and closed file into place, then replaces
`current` with `os.replace`, which is atomic on POSIX: a reader sees either the old or the new
name, never half a file. Old snapshots are deleted beyond `KEEP`; a reader still holding a
deleted file keeps reading it (the inode lives until its last handle closes).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from suiteops.errors import CacheError

KEEP = 3
POINTER = "current"
PUBLISHED = re.compile(r"^(?P<run>[0-9T]+-[0-9a-f]+)\.duckdb$")
PARTIAL = re.compile(r"^(?P<run>[0-9T]+-[0-9a-f]+)\.partial\.duckdb(\.wal)?$")
NAME = re.compile(r"^[a-z][a-z0-9_]{0,80}$")


def query_dir(root: Path, name: str) -> Path:
    """The folder of one query's snapshots (the name is checked: it becomes a path)."""
    if not NAME.match(name):
        raise CacheError(f"{name!r} is not a valid query name (lower-case letters, digits, _)")
    return root / "snapshots" / name


def partial_path(root: Path, name: str, run_id: str) -> Path:
    """Where a run writes its snapshot before publishing."""
    return query_dir(root, name) / f"{run_id}.partial.duckdb"


def published_path(root: Path, name: str, run_id: str) -> Path:
    """Where a published snapshot of a run lives."""
    return query_dir(root, name) / f"{run_id}.duckdb"


def read_pointer(root: Path, name: str) -> str | None:
    """The run id of the published snapshot of `name`, or None when nothing was published."""
    try:
        text = (query_dir(root, name) / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CacheError(f"{name}: cannot read the snapshot pointer: {exc}") from exc
    match = PUBLISHED.match(text)
    if match is None:
        raise CacheError(f"{query_dir(root, name) / POINTER}: corrupt snapshot pointer {text!r}")
    return match["run"]


def publish(root: Path, name: str, run_id: str) -> Path:
    """Move a finished partial file into place and point `current` at it, atomically."""
    folder = query_dir(root, name)
    final = published_path(root, name, run_id)
    os.replace(partial_path(root, name, run_id), final)
    temp = folder / f".{POINTER}.{os.getpid()}.tmp"
    with open(temp, "w", encoding="utf-8") as handle:
        handle.write(final.name)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, folder / POINTER)
    _fsync_dir(folder)
    return final


def discard(path: Path) -> None:
    """Delete a snapshot file and its write-ahead log, if present."""
    for candidate in (path, path.with_name(path.name + ".wal")):
        candidate.unlink(missing_ok=True)


def prune(root: Path, name: str, keep: int, running: set[str]) -> list[str]:
    """Delete published snapshots beyond the newest `keep` (never the current one) and partial
    files of runs not in `running`; return the deleted file names."""
    folder = query_dir(root, name)
    current = read_pointer(root, name)
    files = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    published = [f for f in files if PUBLISHED.match(f)]
    keep_runs = {PUBLISHED.match(f)["run"] for f in published[-keep:]} | {current}  # type: ignore[index]
    doomed = [f for f in published if PUBLISHED.match(f)["run"] not in keep_runs]  # type: ignore[index]
    doomed += [f for f in files if (m := PARTIAL.match(f)) and m["run"] not in running]
    for file in doomed:
        (folder / file).unlink(missing_ok=True)
    return doomed


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
