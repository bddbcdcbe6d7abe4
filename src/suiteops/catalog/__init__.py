"""The query catalog: `queries/*.sql` loaded into typed, versioned `QuerySpec` records.

One SuiteQL query per file, file name = query name, behind a `-- key: value` header (format in
`suiteops.catalog.header`). Parameters appear as `:name`; connector field ids as `{{order_id}}`
(a `ConnectorFields` name), substituted as identifiers from configuration only, after a second
check against the allow-list in `suiteops.config`. `queries/versions.lock` pins each query's
version to the checksum of its normalised text: plain text, one `name version sha256` line per
query, sorted by name (details in `suiteops.catalog.lock`).

    load_catalog(directory, fields)   every file checked; the first problem is raised as
                                      QueryFileError (VersionLockError for lock problems)
    check_catalog(directory, fields)  every problem of every file, as `Problem` records
    update_lock(directory)            rewrite versions.lock (`suiteops queries lock`)

Checks: the header (unknown, duplicate or missing keys, version, params, columns, refresh, kpi),
SuiteQL syntax (sqlglot, with line and column), SELECT only, a top-level ORDER BY that includes
the key, placeholders declared and declared params used, declared columns equal to the SELECT
list, key/incremental/kpi columns declared, DESIGN.md's SuiteQL rules (no WITH, LISTAGG, LIMIT,
FETCH FIRST, date literals, `(+)`; no GROUP BY on BUILTIN.DF; dates shown via TO_CHAR), and the
lock.

Incremental queries (`-- incremental: <column>`) also declare `modified_after datetime optional`
(`INCREMENTAL_PARAM`) and return only rows changed at or after it; the refresh passes the last
watermark minus an overlap, and None for a full refresh. Only a query that does not filter on
mutable state may be incremental: a row that leaves such a filter would never be re-fetched and
would stay in the merged snapshot. Of the shipped queries only `reconciliation` qualifies (it
filters on order date; its window moves, so the cache should still run a full refresh daily).
"""

from __future__ import annotations

from pathlib import Path

from suiteops.catalog.checks import INCREMENTAL_PARAM
from suiteops.catalog.files import inspect_file
from suiteops.catalog.header import HeaderKey, ParamSpec, Problem
from suiteops.catalog.lock import (
    LOCK_NAME,
    LockedFile,
    check_entry,
    check_lock,
    lock_state,
    read_lock,
    render_lock,
)
from suiteops.catalog.spec import DEFAULT_FIELDS, Catalog, QuerySpec
from suiteops.config import IDENTIFIER, ConnectorFields
from suiteops.errors import ConfigError, QueryFileError, VersionLockError

__all__ = [
    "INCREMENTAL_PARAM",
    "Catalog",
    "ParamSpec",
    "Problem",
    "QuerySpec",
    "check_catalog",
    "inspect_file",
    "load_catalog",
    "update_lock",
]


def _locked(spec: QuerySpec) -> LockedFile:
    line = spec.header_lines.get(HeaderKey.VERSION.value, 1)
    return LockedFile(spec.name, str(spec.path), spec.version, line, spec.checksum)


def _query_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise QueryFileError("query directory not found", str(directory))
    return sorted(directory.glob("*.sql"))


def _field_problems(fields: ConnectorFields) -> list[Problem]:
    return [
        Problem(f"fields.{name}", None, None, f"{ident!r} is not an allowed field id")
        for name, ident in fields.as_mapping().items()
        if not IDENTIFIER.match(ident)
    ]


def _inspect_all(
    directory: Path, fields: ConnectorFields, check_lock_file: bool
) -> tuple[dict[str, QuerySpec], list[Problem]]:
    specs: dict[str, QuerySpec] = {}
    problems = _field_problems(fields)
    for path in _query_files(directory):
        spec, found = inspect_file(path)
        problems += found
        if spec is not None:
            specs[spec.name] = spec
    if check_lock_file:
        problems += check_lock(directory, [_locked(s) for s in specs.values()])
    return specs, problems


def _sort_key(problem: Problem) -> tuple[str, int, int]:
    return problem.path, problem.line or 0, problem.column or 0


def check_catalog(directory: Path, fields: ConnectorFields = DEFAULT_FIELDS) -> list[Problem]:
    """Every problem of every query file and of versions.lock, sorted by file and line."""
    _, problems = _inspect_all(Path(directory), fields, check_lock_file=True)
    return sorted(problems, key=_sort_key)


def _first(problems: list[Problem]) -> Problem:
    """The problem to raise: file problems before lock problems (fix the SQL, then bump)."""
    return min(problems, key=lambda p: (p.version_lock, *_sort_key(p)))


def _raise(problem: Problem) -> None:
    error = VersionLockError if problem.version_lock else QueryFileError
    if problem.path.startswith("fields."):
        raise ConfigError(f"{problem.path}: {problem.message}")
    raise error(problem.message, problem.path, problem.line, problem.column)


def load_catalog(
    directory: Path, fields: ConnectorFields = DEFAULT_FIELDS, *, check_lock: bool = True
) -> Catalog:
    """Load every query file; the first problem (by file and line) is raised as QueryFileError
    (VersionLockError for lock problems; ConfigError for a bad connector field id)."""
    directory = Path(directory)
    specs, problems = _inspect_all(directory, fields, check_lock_file=check_lock)
    if problems:
        _raise(_first(problems))
    return Catalog(directory, specs)


def update_lock(directory: Path) -> None:
    """Write versions.lock from the query files (what `suiteops queries lock` runs).

    Refuses (VersionLockError) when a file's text changed but its version did not, or its
    version went down, and (QueryFileError) when a file has any other problem.
    """
    directory = Path(directory)
    specs, problems = _inspect_all(directory, DEFAULT_FIELDS, check_lock_file=False)
    if problems:
        _raise(_first(problems))
    entries, _ = read_lock(directory)
    for spec in specs.values():
        entry = (entries or {}).get(spec.name)
        if lock_state(_locked(spec), entry).blocks_update:
            problem = check_entry(_locked(spec), entry)
            _raise(problem)  # type: ignore[arg-type]
    text = render_lock([(s.name, s.version, s.checksum) for s in specs.values()])
    (directory / LOCK_NAME).write_text(text, encoding="utf-8")
