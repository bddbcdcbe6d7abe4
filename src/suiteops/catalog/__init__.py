"""The query catalog: `queries/*.sql` loaded into typed, versioned `QuerySpec` records.

One SuiteQL query per file, file name = query name, behind a `-- key: value` header (format in
`suiteops.catalog.header`). Parameters appear as `:name`; connector field ids as `{{order_id}}`
(a `ConnectorFields` name), substituted as identifiers from configuration only, after a second
check against the allow-list in `suiteops.config`. `queries/versions.lock` pins each query's
version to the checksum of its normalised text (format in `suiteops.catalog.lock`).

    load_catalog(directory, fields)   every file checked; the first problem is raised as
                                      QueryFileError (VersionLockError for lock problems)
    check_catalog(directory, fields)  every problem of every file, as `Problem` records
    update_lock(directory)            rewrite versions.lock (`suiteops queries lock`)

Checks: the header (unknown, duplicate or missing keys, version, params, columns, refresh, kpi),
SuiteQL syntax (sqlglot, with line and column), SELECT only, a top-level ORDER BY that includes
the key, placeholders declared and declared params used, declared columns equal to the SELECT
list, key/incremental/kpi columns declared, DESIGN.md's SuiteQL rules (no WITH, LISTAGG, LIMIT,
FETCH FIRST, date literals, `(+)`; no GROUP BY on BUILTIN.DF), and the lock.

Incremental queries (`-- incremental: <column>`) also declare `modified_after datetime optional`
(`INCREMENTAL_PARAM`) and return only rows changed at or after it; the refresh passes the last
watermark minus an overlap, and None for a full refresh. Only a query that does not filter on
mutable state may be incremental: a row that leaves such a filter would never be re-fetched and
would stay in the merged snapshot. Of the shipped queries only `reconciliation` qualifies (it
filters on order date; its window moves, so the cache should still run a full refresh daily).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from suiteops.catalog.checks import (
    INCREMENTAL_PARAM,
    Source,
    check_tokens,
    check_tree,
    parse_source,
)
from suiteops.catalog.header import Header, HeaderKey, ParamSpec, Problem, parse_header
from suiteops.catalog.lock import (
    LOCK_NAME,
    LockedFile,
    check_entry,
    check_lock,
    checksum,
    lock_state,
    read_lock,
    render_lock,
)
from suiteops.config import IDENTIFIER, ConnectorFields
from suiteops.errors import ConfigError, ParameterError, QueryFileError, VersionLockError
from suiteops.models import ColumnSpec, ColumnType

__all__ = [
    "INCREMENTAL_PARAM",
    "Catalog",
    "ParamSpec",
    "Problem",
    "QuerySpec",
    "check_catalog",
    "load_catalog",
    "update_lock",
]

_FIELD = re.compile(r"\{\{\s*([A-Za-z_]\w*)\s*\}\}")
_QUERY_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_FIELD_NAMES = frozenset(ConnectorFields.__dataclass_fields__)
DEFAULT_FIELDS = ConnectorFields()  # frozen: the configuration's defaults


@dataclass(frozen=True)
class QuerySpec:
    """One query file, parsed: what it is, what it takes, what it returns, and its version."""

    name: str
    title: str
    description: str
    version: int
    params: tuple[ParamSpec, ...]
    columns: tuple[ColumnSpec, ...]
    key: str | None
    refresh: timedelta | None
    incremental: str | None
    kpi_amount: str | None
    kpi_group: str | None
    template: str
    path: Path
    sql_line: int  # the file line the template starts on (template line n = file line n+sql_line-1)
    checksum: str
    header_lines: Mapping[str, int] = field(default_factory=dict, compare=False)

    @property
    def live(self) -> bool:
        """True for queries run on demand and never cached (`-- refresh: live`)."""
        return self.refresh is None

    @property
    def param_types(self) -> dict[str, ColumnType]:
        """Parameter name → declared type (what `sql.render` needs)."""
        return {p.name: p.type for p in self.params}

    @property
    def fields_used(self) -> tuple[str, ...]:
        """The connector field names (`order_id`, ...) the template refers to, in order."""
        return tuple(dict.fromkeys(m.group(1) for m in _FIELD.finditer(self.template)))

    def sql(self, fields: ConnectorFields) -> str:
        """The template with connector field ids substituted (allow-listed identifiers only)."""
        ids = fields.as_mapping()
        for name in self.fields_used:
            if not IDENTIFIER.match(ids.get(name, "")):
                raise ConfigError(
                    f"fields.{name}: {ids.get(name)!r} is not an allowed field id (query "
                    f"{self.name}); expected otherrefnum or custbody_/custcol_/custentity_/"
                    "custitem_ followed by lower-case letters, digits and _"
                )
        return _FIELD.sub(lambda m: ids[m.group(1)], self.template)

    def bind(self, values: Mapping[str, object], today: date) -> dict[str, object]:
        """Typed values for every declared parameter (defaults applied, relative dates resolved).

        `values` may hold strings (the CLI passes `-p location_id=3`) or typed values. An unknown
        name, a missing required value or a value of the wrong type raises ParameterError.
        """
        declared = {p.name: p for p in self.params}
        for name in values:
            if name not in declared:
                known = ", ".join(declared) or "none"
                raise ParameterError(
                    f"not a parameter (this query takes: {known})", name, self.name
                )
        bound: dict[str, object] = {}
        for param in self.params:
            try:
                bound[param.name] = param.resolve(values.get(param.name), today)
            except ParameterError as exc:
                detail = str(exc).removeprefix(f"parameter {param.name!r}: ")
                raise ParameterError(detail, param.name, self.name) from None
        return bound


class Catalog(Mapping[str, QuerySpec]):
    """The loaded queries: a read-only mapping name → QuerySpec, iterated in name order."""

    def __init__(self, directory: Path, specs: Mapping[str, QuerySpec]):
        self.directory = directory
        self._specs = dict(sorted(specs.items()))

    def __getitem__(self, name: str) -> QuerySpec:
        try:
            return self._specs[name]
        except KeyError:
            known = ", ".join(self._specs) or "none"
            raise KeyError(
                f"no query named {name!r} in {self.directory} (known: {known})"
            ) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def __repr__(self) -> str:
        return f"Catalog({str(self.directory)!r}, {list(self._specs)})"


def _check_text(text: str, end_line: int, path: str) -> tuple[Source, list[Problem]]:
    """The file with header lines blanked and `{{field}}` replaced by a same-length identifier
    (so parser positions are file positions); problems for unknown field names."""
    lines = text.split("\n")
    body = "\n".join([""] * end_line + lines[end_line:])
    source = Source(path, body)
    known = ", ".join(sorted(_FIELD_NAMES))
    problems = [
        source.problem(m.start(), f"unknown connector field {m.group()} (known: {known})")
        for m in _FIELD.finditer(body)
        if m.group(1) not in _FIELD_NAMES
    ]
    padded = _FIELD.sub(lambda m: m.group(1).ljust(len(m.group()), "_"), body)
    return Source(path, padded), problems


def _template(text: str, end_line: int) -> tuple[str, int]:
    lines = text.split("\n")[end_line:]
    skipped = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    return "\n".join(lines[skipped:]).rstrip() + "\n", end_line + skipped + 1


def inspect_file(path: Path) -> tuple[QuerySpec | None, list[Problem]]:
    """Parse and check one query file (no lock check); a spec only when the header is usable."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # an editor's BOM is not part of the header
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(str(path), None, None, f"cannot read query file: {exc}")]
    header, problems = parse_header(text, str(path))
    if not _QUERY_NAME.match(path.stem):
        message = f"file name {path.name!r}: a query name is lower-case letters, digits and _"
        problems.append(Problem(str(path), None, None, message))
    source, field_problems = _check_text(text, header.end_line, str(path))
    problems += field_problems + check_tokens(source)
    tree, parse_problems = parse_source(source)
    problems += parse_problems
    if tree is not None:
        problems += check_tree(source, tree, header)
    spec = _spec(path, text, header) if header.version is not None else None
    return spec, problems


def _spec(path: Path, text: str, header: Header) -> QuerySpec:
    template, sql_line = _template(text, header.end_line)
    values = header.values
    return QuerySpec(
        name=path.stem,
        title=values.get(HeaderKey.TITLE, ""),
        description=values.get(HeaderKey.DESCRIPTION, ""),
        version=header.version or 0,
        params=header.params,
        columns=header.columns,
        key=values.get(HeaderKey.KEY) or None,
        refresh=header.refresh,
        incremental=values.get(HeaderKey.INCREMENTAL) or None,
        kpi_amount=header.kpi.amount,
        kpi_group=header.kpi.group,
        template=template,
        path=path,
        sql_line=sql_line,
        checksum=checksum(template, header),
        header_lines={k.value: n for k, n in header.lines.items()},
    )


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
