"""The data commands: `refresh`, `query`, `export`, `queries` and `status`.

`refresh` and `query` talk to NetSuite: the embedded demo emulator unless an account is
configured. `export`, `status` and `queries` work offline from the cache and the query files.
Every error prints one line on stderr and exits 2; `queries check` exits 1 when it finds problems.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd

from suiteops.cache import Cache, QueryStatus, RunRecord, RunStatus
from suiteops.cache.records import now_utc
from suiteops.catalog import QuerySpec, check_catalog, load_catalog, update_lock
from suiteops.cli import data_output as out
from suiteops.config import Settings, load_settings
from suiteops.errors import CacheError, ParameterError, SuiteOpsError
from suiteops.models import ColumnType
from suiteops.refresh import refresh
from suiteops.services import open_services

FORMATS = ("table", "csv", "json")
EXPORTS = (".csv", ".xlsx")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the data commands to the `suiteops` parser."""
    p = subparsers.add_parser("refresh", help="refresh cached queries from NetSuite")
    p.add_argument("names", nargs="*", metavar="NAME", help="queries to refresh (default: all)")
    p.add_argument("--full", action="store_true", help="full refresh, never incremental")
    p.set_defaults(func=_guarded("refresh", run_refresh))
    p = subparsers.add_parser("query", help="run a query live and print its rows")
    p.add_argument("name", metavar="NAME")
    p.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.set_defaults(func=_guarded("query", run_query))
    p = subparsers.add_parser("export", help="write a cached query result to CSV or XLSX")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--out", required=True, type=Path, metavar="FILE.csv|FILE.xlsx")
    p.set_defaults(func=_guarded("export", run_export))
    p = subparsers.add_parser("status", help="age, version and health of every cached query")
    p.set_defaults(func=_guarded("status", run_status))
    _register_queries(subparsers)


def _register_queries(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    queries = subparsers.add_parser("queries", help="list, show, check or lock the query files")
    sub = queries.add_subparsers(dest="queries_command", required=True, metavar="COMMAND")
    sub.add_parser("list", help="every query with version and refresh interval").set_defaults(
        func=_guarded("queries list", run_queries_list)
    )
    show = sub.add_parser("show", help="one query's header and SuiteQL")
    show.add_argument("name", metavar="NAME")
    show.set_defaults(func=_guarded("queries show", run_queries_show))
    sub.add_parser("check", help="check every file; exit 1 listing problems").set_defaults(
        func=_guarded("queries check", run_queries_check)
    )
    sub.add_parser("lock", help="rewrite queries/versions.lock").set_defaults(
        func=_guarded("queries lock", run_queries_lock)
    )


Handler = Callable[[argparse.Namespace, Settings], int]


def _guarded(command: str, handler: Handler) -> Callable[[argparse.Namespace], int]:
    """Run `handler` with the settings; any SuiteOps error becomes one line and exit code 2."""

    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args, load_settings())
        except SuiteOpsError as exc:
            print(f"suiteops {command}: {exc}", file=sys.stderr)
        except KeyError as exc:  # an unknown query name; the catalog's message names the known
            print(f"suiteops {command}: {exc.args[0]}", file=sys.stderr)
        except OSError as exc:  # e.g. an export into a folder that does not exist
            print(f"suiteops {command}: {exc}", file=sys.stderr)
        return 2

    return run


def run_refresh(args: argparse.Namespace, settings: Settings) -> int:
    """`suiteops refresh [NAMES] [--full]`."""
    services = open_services(settings)
    try:
        runs = refresh(
            services, args.names, full=args.full, on_progress=out.ProgressBar(sys.stderr)
        )
    finally:
        services.close()
    failed = [r for r in runs if r.status is not RunStatus.OK]
    where = services.endpoint.base_url + (" (demo emulator)" if services.endpoint.demo else "")
    print(f"refreshed {len(runs) - len(failed)} of {len(runs)} queries on {where}")
    if failed:
        names = ", ".join(r.query for r in failed)
        print(
            f"suiteops refresh: {len(failed)} failed ({names}); see `suiteops status`",
            file=sys.stderr,
        )
        return 2
    return 0


def run_query(args: argparse.Namespace, settings: Settings) -> int:
    """`suiteops query NAME -p key=value --format table|csv|json` (live, through the client)."""
    spec = load_catalog(settings.queries_dir, settings.fields)[args.name]
    params = spec.bind(_param_values(args.param, spec.name), date.today())  # before any I/O
    services = open_services(settings)
    try:
        with services.client() as client:
            result = client.fetch(
                spec.sql(settings.fields), params, key=spec.key, columns=spec.columns,
                param_types=spec.param_types, name=spec.name,
            )  # fmt: skip
    finally:
        services.close()
    rows = [[row.get(c) for c in result.columns] for row in result.rows]
    render = {
        "table": lambda: out.table(result.columns, rows),
        "csv": lambda: out.csv_text(result.columns, rows),
        "json": lambda: out.json_text(result.rows),
    }
    sys.stdout.write(render[args.format]())
    return 0


def _param_values(pairs: list[str], query: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"-p {pair!r}: expected KEY=VALUE", query=query)
        values[name.strip()] = value
    return values


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    """`suiteops export NAME --out FILE.csv|FILE.xlsx` (from the cache, no NetSuite call)."""
    suffix = args.out.suffix.lower()
    if suffix not in EXPORTS:
        raise CacheError(f"--out {args.out}: the file must end in .csv or .xlsx")
    catalog = load_catalog(settings.queries_dir, settings.fields, check_lock=False)
    spec = catalog[args.name]
    if spec.live:
        raise CacheError(f"{spec.name} is a live query, never cached; use `suiteops query`")
    cache = Cache(settings.data_dir)
    snap = cache.read(spec.name)
    if snap is None:
        raise CacheError(
            f"{spec.name} has no cached result yet; run `suiteops refresh {spec.name}`"
        )
    if suffix == ".csv":
        frame = snap.query(f"SELECT {_exact_columns(spec)} FROM rows")
        frame.to_csv(args.out, index=False)
    else:
        _write_xlsx(args.out, snap.frame(), spec, snap.meta)
    finished = f"{snap.meta.finished:%Y-%m-%d %H:%M} UTC"
    print(f"wrote {snap.meta.rows:,} rows of {spec.name} (refreshed {finished}) to {args.out}")
    cache.close()
    return 0


def _exact_columns(spec: QuerySpec) -> str:
    """Decimal columns as text so the CSV holds exactly the cached value."""
    return ", ".join(
        f'CAST("{c.name}" AS VARCHAR) AS "{c.name}"'
        if c.type is ColumnType.DECIMAL
        else f'"{c.name}"'
        for c in spec.columns
    )


def _write_xlsx(path: Path, frame: pd.DataFrame, spec: QuerySpec, meta: RunRecord) -> None:
    """The rows on one sheet, their provenance on an `about` sheet (for auditors)."""
    about = pd.DataFrame(
        [("query", spec.name), ("title", spec.title), ("version", str(meta.version)),
         ("checksum", meta.checksum), ("run", meta.run_id), ("finished (UTC)", str(meta.finished)),
         ("rows", str(meta.rows)), ("account", meta.account), ("params", meta.params)],
        columns=["field", "value"],
    )  # fmt: skip
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        frame.to_excel(writer, sheet_name=spec.name[:31], index=False)
        about.to_excel(writer, sheet_name="about", index=False)


def run_status(args: argparse.Namespace, settings: Settings) -> int:
    """`suiteops status`: one line per cached query."""
    catalog = load_catalog(settings.queries_dir, settings.fields, check_lock=False)
    cache = Cache(settings.data_dir)
    rows = [
        (s.name, s.version, out.age(s.age), s.rows, _health(s), s.last_error or "")
        for s in cache.status(catalog, now_utc())
    ]
    sys.stdout.write(out.table(["query", "version", "age", "rows", "health", "last error"], rows))
    cache.close()
    return 0


def _health(status: QueryStatus) -> str:
    words = ["never refreshed" if status.never_refreshed else "stale" if status.stale else "fresh"]
    if status.last_status in (RunStatus.FAILED, RunStatus.INTERRUPTED):
        words.append(f"last run {status.last_status.value}")
    if status.version_changed:
        words.append("query changed since")
    return ", ".join(words)


def run_queries_list(args: argparse.Namespace, settings: Settings) -> int:
    """`suiteops queries list`."""
    catalog = load_catalog(settings.queries_dir, settings.fields, check_lock=False)
    rows = [
        (s.name, s.version, _interval(s), s.key or "", s.incremental or "", s.title)
        for s in catalog.values()
    ]
    sys.stdout.write(
        out.table(["query", "version", "refresh", "key", "incremental", "title"], rows)
    )
    return 0


def _interval(spec: QuerySpec) -> str:
    return "live" if spec.refresh is None else out.age(spec.refresh)


def run_queries_show(args: argparse.Namespace, settings: Settings) -> int:
    """`suiteops queries show NAME`: header fields, then the SuiteQL with fields substituted."""
    spec = load_catalog(settings.queries_dir, settings.fields, check_lock=False)[args.name]
    params = "; ".join(
        f"{p.name} {p.type.value}{' optional' if p.optional else ''}"
        + (f" default {p.default}" if p.default is not None else "")
        for p in spec.params
    )
    columns = "; ".join(f"{c.name} {c.type.value}" for c in spec.columns)
    lines = [
        f"name: {spec.name}", f"title: {spec.title}", f"description: {spec.description}",
        f"version: {spec.version}", f"checksum: {spec.checksum}", f"file: {spec.path}",
        f"params: {params or '-'}", f"columns: {columns}", f"key: {spec.key or '-'}",
        f"refresh: {_interval(spec)}", f"incremental: {spec.incremental or '-'}",
    ]  # fmt: skip
    sys.stdout.write("\n".join(lines) + "\n\n" + spec.sql(settings.fields))
    return 0


def run_queries_check(args: argparse.Namespace, settings: Settings) -> int:
    """`suiteops queries check`: every problem as `file:line: message`; exit 1 if any."""
    problems = check_catalog(settings.queries_dir, settings.fields)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {settings.queries_dir}", file=sys.stderr)
        return 1
    count = len(list(Path(settings.queries_dir).glob("*.sql")))
    print(f"{count} queries OK in {settings.queries_dir}")
    return 0


def run_queries_lock(args: argparse.Namespace, settings: Settings) -> int:
    """`suiteops queries lock`: rewrite versions.lock from the query files."""
    update_lock(settings.queries_dir)
    print(f"wrote {Path(settings.queries_dir) / 'versions.lock'}")
    return 0
