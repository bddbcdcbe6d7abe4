"""`SnapshotWriter`: stream one query's pages into a new DuckDB file, then publish it or nothing.

Each page becomes one Arrow batch inserted into a typed table, so memory holds about one page
whatever the result size (DuckDB's own buffer is capped by `MEMORY_LIMIT`). The table is typed
from the query's declared columns; a value that does not fit fails the run, and a failed or
interrupted run deletes its file and publishes nothing.

Incremental runs write the delta to a `delta` table; `commit()` then ATTACHes the previous
snapshot read-only, keeps its rows whose key is not in the delta, adds the delta, and DETACHes
(an attached file blocks writers in other processes, so it is attached only for the merge).
Merged snapshots are stored in key order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from suiteops.cache import snapshots
from suiteops.cache.history import History, KpiRow
from suiteops.cache.records import RunMode, RunRecord, RunStatus, now_utc, params_json
from suiteops.cache.runs import RunEnd, RunLedger, RunStart
from suiteops.errors import CacheError
from suiteops.models import ColumnSpec, ColumnType

if TYPE_CHECKING:
    from suiteops.catalog import QuerySpec

MEMORY_LIMIT = "128MB"
ARROW_TYPES = {
    ColumnType.TEXT: pa.string(),
    ColumnType.INT: pa.int64(),
    ColumnType.DECIMAL: pa.string(),  # exact: DuckDB casts the text to DECIMAL(18,4)
    ColumnType.DATE: pa.date32(),
    ColumnType.DATETIME: pa.timestamp("us"),
    ColumnType.BOOL: pa.bool_(),
}
INTERRUPTIONS = (KeyboardInterrupt, SystemExit, GeneratorExit)


class SnapshotWriter:
    """Context manager writing one run of `spec`; call `append` per page, then `commit()`."""

    def __init__(
        self,
        *,
        root: Path,
        runs: RunLedger,
        history: History,
        spec: QuerySpec,
        params: Mapping[str, Any],
        account: str,
        mode: RunMode,
        keep: int = snapshots.KEEP,
    ):
        self.root, self._runs, self._history, self.spec = root, runs, history, spec
        self.params, self.account, self.mode, self.keep = dict(params), account, mode, keep
        self.pages = self.rows = self.retries = 0
        self.run: RunRecord | None = None
        self.record: RunRecord | None = None
        self.failed: RunRecord | None = None
        self.previous: str | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        self._table = "delta" if mode is RunMode.INCREMENTAL else "rows"

    def __enter__(self) -> SnapshotWriter:
        self.previous = snapshots.read_pointer(self.root, self.spec.name)
        _check_mode(self.spec, self.mode, self.previous)
        start = RunStart(self.spec.name, self.spec.version, self.spec.checksum,
                         params_json(self.params), self.account, self.mode)  # fmt: skip
        self.run = self._runs.start(start)
        path = snapshots.partial_path(self.root, self.spec.name, self.run.run_id)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._con = duckdb.connect(str(path))
            self._con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
            for table in {"rows", self._table}:
                self._con.execute(f"CREATE TABLE {table} ({_ddl(self.spec.columns)})")
        except (OSError, duckdb.Error) as exc:
            self._abort(RunStatus.FAILED, f"cannot create the snapshot file {path}: {exc}")
            raise CacheError(f"{self.spec.name}: cannot create snapshot {path}: {exc}") from exc
        return self

    def append(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert one page of rows (dicts keyed by column name) into the snapshot."""
        con = self._live()
        batch = to_arrow(rows, self.spec.columns, self.spec.name, self.pages + 1)
        select = ", ".join(_cast(c) for c in self.spec.columns)
        con.register("page_batch", batch)
        try:
            con.execute(f"INSERT INTO {self._table} SELECT {select} FROM page_batch")
        except duckdb.Error as exc:
            raise CacheError(f"{self.spec.name}: page {self.pages + 1} rejected: {exc}") from exc
        finally:
            con.unregister("page_batch")
        self.pages += 1
        self.rows += len(rows)

    def reset(self) -> None:
        """Forget every row appended so far (to read the result again from the start)."""
        self._live().execute(f"DELETE FROM {self._table}")
        self.pages = self.rows = 0

    def commit(self) -> RunRecord:
        """Finish the file (merge, checks, KPIs), publish it atomically and record the run."""
        con, run = self._live(), self.run
        assert run is not None
        if self.mode is RunMode.INCREMENTAL:
            _merge(
                con,
                self.spec,
                snapshots.published_path(self.root, self.spec.name, self.previous or ""),
            )
        _check_unique_key(con, self.spec)
        kpis = _kpis(con, self.spec)
        total = con.execute("SELECT count(*) FROM rows").fetchone()[0]  # type: ignore[index]
        con.execute("CHECKPOINT")
        con.close()
        self._con = None
        name = snapshots.published_path(self.root, self.spec.name, run.run_id).name
        end = RunEnd(RunStatus.OK, total, self.pages, self.retries, None, name)
        record = self._runs.finish(run.run_id, end)
        snapshots.publish(self.root, self.spec.name, run.run_id)
        self.record = record
        self._history.append(run.run_id, self.spec.name, record.finished or now_utc(), kpis)
        running = {r.run_id for r in self._runs.runs(self.spec.name, status=RunStatus.RUNNING)}
        snapshots.prune(self.root, self.spec.name, self.keep, running)
        return record

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.record is not None:
            return
        if exc is None:
            self._abort(RunStatus.FAILED, "the writer was closed without commit()")
        elif isinstance(exc, INTERRUPTIONS):
            self._abort(RunStatus.INTERRUPTED, f"interrupted ({type(exc).__name__})")
        else:
            self._abort(RunStatus.FAILED, f"{type(exc).__name__}: {exc}")

    def _live(self) -> duckdb.DuckDBPyConnection:
        if self._con is None or self.record is not None:
            raise CacheError(f"{self.spec.name}: the snapshot writer is not open")
        return self._con

    def _abort(self, status: RunStatus, error: str) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
        if self.run is None:
            return
        snapshots.discard(snapshots.partial_path(self.root, self.spec.name, self.run.run_id))
        end = RunEnd(status, self.rows, self.pages, self.retries, error, None)
        self.failed = self._runs.finish(self.run.run_id, end)


def to_arrow(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[ColumnSpec], name: str, page: int
) -> pa.Table:
    """One page as an Arrow table typed from `columns`; a bad value names row and column."""
    arrays = []
    for col in columns:
        values = [_normal(col.type, row.get(col.name)) for row in rows]
        try:
            arrays.append(pa.array(values, type=ARROW_TYPES[col.type]))
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
            raise _bad_value(values, col, name, page) from None
    return pa.Table.from_arrays(arrays, names=[c.name for c in columns])


def _normal(kind: ColumnType, value: Any) -> Any:
    if value is None:
        return None
    if kind is ColumnType.DECIMAL and not isinstance(value, bool | str):
        return str(value)
    if kind is ColumnType.DATETIME and isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)  # DuckDB TIMESTAMP holds UTC
    return value


def _bad_value(values: list[Any], col: ColumnSpec, name: str, page: int) -> CacheError:
    for index, value in enumerate(values):
        try:
            pa.array([value], type=ARROW_TYPES[col.type])
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
            return CacheError(
                f"{name}: page {page}, row {index + 1}, column {col.name!r}: {value!r} is not a "
                f"valid {col.type.value}"
            )
    return CacheError(
        f"{name}: page {page}, column {col.name!r}: values do not fit {col.type.value}"
    )


def _ddl(columns: Sequence[ColumnSpec]) -> str:
    return ", ".join(f'"{c.name}" {c.type.duckdb}' for c in columns)


def _cast(col: ColumnSpec) -> str:
    return f'CAST("{col.name}" AS {col.type.duckdb})'


def _check_mode(spec: QuerySpec, mode: RunMode, previous: str | None) -> None:
    if mode is RunMode.INCREMENTAL and not spec.key:
        raise CacheError(f"{spec.name}: an incremental refresh needs a declared key")
    if mode is RunMode.INCREMENTAL and previous is None:
        raise CacheError(f"{spec.name}: an incremental refresh needs a published snapshot")


def _merge(con: duckdb.DuckDBPyConnection, spec: QuerySpec, previous: Path) -> None:
    key = f'"{spec.key}"'
    con.execute("ATTACH ? AS prev (READ_ONLY)", [str(previous)])
    try:
        con.execute(
            f"INSERT INTO rows SELECT * FROM (SELECT * FROM prev.rows AS p WHERE NOT EXISTS"
            f" (SELECT 1 FROM delta AS d WHERE d.{key} = p.{key}) UNION ALL SELECT * FROM delta)"
            f" ORDER BY {key}"
        )
    finally:
        con.execute("DETACH prev")
    con.execute("DROP TABLE delta")


def _check_unique_key(con: duckdb.DuckDBPyConnection, spec: QuerySpec) -> None:
    if not spec.key:
        return
    key = f'"{spec.key}"'
    dupes = con.execute(
        f"SELECT {key}, count(*) FROM rows GROUP BY {key} HAVING count(*) > 1 LIMIT 3"
    ).fetchall()
    if dupes:
        shown = ", ".join(f"{k!r} ×{n}" for k, n in dupes)
        raise CacheError(f"{spec.name}: key {spec.key!r} is not unique in the result ({shown})")


def _kpis(con: duckdb.DuckDBPyConnection, spec: QuerySpec) -> list[KpiRow]:
    group = f'CAST("{spec.kpi_group}" AS VARCHAR)' if spec.kpi_group else "NULL"
    amount = f'CAST(sum("{spec.kpi_amount}") AS DOUBLE)' if spec.kpi_amount else "NULL"
    rows = con.execute(
        f"SELECT {group} AS g, count(*), {amount} FROM rows GROUP BY ALL ORDER BY g NULLS FIRST"
    ).fetchall()
    return [KpiRow(g, n, a) for g, n, a in rows] or [KpiRow(None, 0, None)]
