"""Plain-text output of the data commands: aligned tables, CSV/JSON rows, ages, progress bars."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TextIO

from suiteops.cache import RunRecord
from suiteops.refresh import QueryProgress

BAR_WIDTH = 24


def text(value: Any) -> str:
    """One value as display text (None → empty, dates ISO, booleans T/F like NetSuite)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "T" if value else "F"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | Decimal):
        return str(value)
    return str(value)


def table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """An aligned text table with a header rule; numbers right-aligned."""
    cells = [[text(v) for v in row] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    numeric = [bool(rows) and all(_is_number(r[i]) for r in rows) for i in range(len(columns))]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if n else v.ljust(w) for v, w, n in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    return "\n".join([line(columns), line(["-" * w for w in widths]), *map(line, cells)]) + "\n"


def _is_number(value: Any) -> bool:
    return value is None or (
        isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    )


def csv_text(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """RFC 4180 CSV with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([text(v) for v in row] for row in rows)
    return out.getvalue()


def json_text(rows: Sequence[Mapping[str, Any]]) -> str:
    """A JSON array of objects: ints, booleans and null as JSON; decimals, dates as strings
    (decimals as text to stay exact)."""
    return json.dumps([dict(r) for r in rows], default=_json_default, indent=2) + "\n"


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def age(delta: timedelta | None) -> str:
    """A short human age: `45s`, `12m`, `3h05m`, `2d04h`; `never` for None."""
    if delta is None:
        return "never"
    seconds = max(int(delta.total_seconds()), 0)
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if seconds < 60:
        return f"{seconds}s"
    if minutes < 60:
        return f"{minutes}m"
    if hours < 24:
        return f"{hours}h{minutes % 60:02d}m"
    return f"{days}d{hours % 24:02d}h"


class ProgressBar:
    """Progress of a refresh on a text stream: redrawn in place on a TTY, one line per query
    otherwise (logs and CI)."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.tty = stream.isatty()

    def __call__(self, update: QueryProgress) -> None:
        head = f"[{update.position}/{update.count}] {update.query} ({update.mode.value})"
        if update.done is not None:
            self._write(f"{head} {_outcome(update.done)}", final=True)
        elif update.progress is not None and self.tty:
            self._write(f"{head} {_bar(update)}", final=False)

    def _write(self, line: str, *, final: bool) -> None:
        if self.tty:
            self.stream.write("\r\x1b[2K" + line + ("\n" if final else ""))
        elif final:
            self.stream.write(line + "\n")
        self.stream.flush()


def _bar(update: QueryProgress) -> str:
    p = update.progress
    assert p is not None
    share = p.pages_done / p.pages_total if p.pages_total else 1.0
    filled = round(share * BAR_WIDTH)
    return (
        f"{'#' * filled}{'.' * (BAR_WIDTH - filled)} pages {p.pages_done}/{p.pages_total}"
        f" rows {p.rows_done:,}/{p.rows_total:,} retries {p.retries}"
    )


def _outcome(run: RunRecord) -> str:
    if run.ok:
        took = run.duration.total_seconds() if run.duration else 0.0
        return f"ok: {run.rows:,} rows, {run.pages} pages, {run.retries} retries, {took:.1f}s"
    return f"{run.status.value}: {run.error}"
