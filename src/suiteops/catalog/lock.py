"""`queries/versions.lock`: each query's version and the checksum of its normalised text.

Format: plain text, one line per query, sorted by name, `#` comments allowed:

    # name version sha256
    pending_fulfillment 3 9f2c...

The checksum is account-independent: it covers the query template (connector fields still as
`{{order_id}}`), with comments dropped and whitespace folded, plus the declared params, columns,
key and incremental column, because those change what a cached result means. Title,
description, refresh and kpi do not. A text change therefore needs a version bump; `suiteops
queries lock` (`update_lock`) refuses to record a changed checksum under an unchanged version.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from suiteops.catalog.header import Header, HeaderKey, Problem

LOCK_NAME = "versions.lock"
LOCK_COMMAND = "suiteops queries lock"
_LOCK_LINE = re.compile(r"^([a-z_][a-z0-9_]*) ([1-9]\d{0,8}) ([0-9a-f]{64})$")


@dataclass(frozen=True)
class LockEntry:
    """One line of the lock file: query name, version, checksum and the line it is on."""

    name: str
    version: int
    checksum: str
    line: int


def normalise(text: str) -> str:
    """SQL text with comments removed and whitespace folded (quoted text kept exactly).

    A whitespace run becomes one space between two word characters and disappears elsewhere,
    so `a , b` and `a,b` normalise alike, and so do re-indented or re-wrapped queries.
    """
    out: list[str] = []
    pending_space = False
    for kind, piece in pieces(text):
        if kind == "space":
            pending_space = True
            continue
        if pending_space and out and _wordish(out[-1][-1]) and _wordish(piece[0]):
            out.append(" ")
        pending_space = False
        out.append(piece)
    return "".join(out)


def _wordish(char: str) -> bool:
    return char.isalnum() or char in "_'\":"


_PIECES = re.compile(
    r"(?P<quoted>'(?:[^']|'')*'|\"[^\"]*\")|(?P<comment>--[^\n]*|/\*.*?\*/)|(?P<space>\s+)"
    r"|(?P<other>[^'\"\s/-]+|.)",
    re.DOTALL,
)


def pieces(text: str) -> list[tuple[str, str]]:
    """The text as (kind, piece): `quoted` literals and identifiers, `space` (whitespace and
    comments) and `other`; joining the pieces gives the text back."""
    out: list[tuple[str, str]] = []
    for match in _PIECES.finditer(text):
        kind = match.lastgroup or "other"
        out.append(("space" if kind == "comment" else kind, match.group()))
    return out


def checksum(template: str, header: Header) -> str:
    """sha256 over the normalised template and the declarations that shape the result."""
    params = ";".join(f"{p.name} {p.type.value} {p.optional} {p.default}" for p in header.params)
    columns = ";".join(f"{c.name} {c.type.value}" for c in header.columns)
    signature = "\n".join(
        [
            normalise(template),
            f"params={params}",
            f"columns={columns}",
            f"key={header.values.get(HeaderKey.KEY, '')}",
            f"incremental={header.values.get(HeaderKey.INCREMENTAL, '')}",
        ]
    )
    return hashlib.sha256(signature.encode("utf-8")).hexdigest()


def read_lock(directory: Path) -> tuple[dict[str, LockEntry] | None, list[Problem]]:
    """Entries by name (None when the file is missing) and problems with malformed lines."""
    path = directory / LOCK_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        message = f"{LOCK_NAME} is missing: run {LOCK_COMMAND}"
        return None, [Problem(str(path), None, None, message, version_lock=True)]
    entries: dict[str, LockEntry] = {}
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _LOCK_LINE.match(line.strip())
        if match is None:
            message = "bad lock line: expected `name version sha256`"
            problems.append(Problem(str(path), number, 1, message, version_lock=True))
        elif match.group(1) in entries:
            message = f"duplicate entry {match.group(1)!r}"
            problems.append(Problem(str(path), number, 1, message, version_lock=True))
        else:
            name, version, digest = match.groups()
            entries[name] = LockEntry(name, int(version), digest, number)
    return entries, problems


def render_lock(entries: list[tuple[str, int, str]]) -> str:
    """The lock file's text for (name, version, checksum) entries, sorted by name."""
    lines = [f"# written by `{LOCK_COMMAND}`; one line per query: name version sha256"]
    lines += [f"{name} {version} {digest}" for name, version, digest in sorted(entries)]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class LockedFile:
    """What the lock check needs to know about one query file."""

    name: str
    path: str
    version: int
    version_line: int
    checksum: str


class LockState(Enum):
    """How a query file stands against its lock entry."""

    OK = "ok"
    MISSING = "missing"  # no entry: run the lock command
    CHANGED = "changed"  # same version, different checksum: bump the version
    LOWERED = "lowered"  # the version went down
    STALE = "stale"  # version bumped, lock not yet updated

    @property
    def blocks_update(self) -> bool:
        """True when `update_lock` must refuse rather than record the file as it is."""
        return self in {LockState.CHANGED, LockState.LOWERED}


def lock_state(query: LockedFile, entry: LockEntry | None) -> LockState:
    """Compare one file with its lock entry."""
    if entry is None:
        return LockState.MISSING
    if entry.version > query.version:
        return LockState.LOWERED
    if entry.version < query.version:
        return LockState.STALE
    return LockState.OK if entry.checksum == query.checksum else LockState.CHANGED


def _message(state: LockState, query: LockedFile, entry: LockEntry | None) -> str:
    locked = entry.version if entry else 0
    messages = {
        LockState.MISSING: f"not in {LOCK_NAME}: run {LOCK_COMMAND}",
        LockState.CHANGED: f"text changed but `-- version:` is still {query.version}: bump "
        f"`-- version:` to {query.version + 1} and run {LOCK_COMMAND}",
        LockState.LOWERED: f"version {query.version} is lower than {locked} in {LOCK_NAME}: "
        f"versions only go up; set `-- version:` to {locked + 1} and run {LOCK_COMMAND}",
        LockState.STALE: f"{LOCK_NAME} entry is stale (version {locked}, file has "
        f"{query.version}): run {LOCK_COMMAND}",
    }
    return messages[state]


def check_entry(query: LockedFile, entry: LockEntry | None) -> Problem | None:
    """The lock problem of one file (None when it matches); the message says how to fix it."""
    state = lock_state(query, entry)
    if state is LockState.OK:
        return None
    message = _message(state, query, entry)
    return Problem(query.path, query.version_line, None, message, version_lock=True)


def check_lock(directory: Path, queries: list[LockedFile]) -> list[Problem]:
    """Every lock problem: missing file, bad lines, per-query mismatches, entries without a file."""
    entries, problems = read_lock(directory)
    if entries is None:
        return problems
    for query in queries:
        problem = check_entry(query, entries.get(query.name))
        if problem is not None:
            problems.append(problem)
    names = {q.name for q in queries}
    lock_path = str(directory / LOCK_NAME)
    for entry in entries.values():
        if entry.name not in names:
            message = f"stale entry: there is no {entry.name}.sql; run {LOCK_COMMAND}"
            problems.append(Problem(lock_path, entry.line, 1, message, version_lock=True))
    return problems
