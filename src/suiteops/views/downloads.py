"""Download bytes of exactly the frame a page shows: CSV (UTF-8) and XLSX (one sheet)."""

from __future__ import annotations

import io
import re
from enum import Enum

import pandas as pd


class Format(Enum):
    """Download formats, with their MIME type and file extension."""

    CSV = ("text/csv", "csv")
    XLSX = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")

    @property
    def mime(self) -> str:
        """The MIME type sent with the download."""
        return self.value[0]

    @property
    def extension(self) -> str:
        """The file name extension, without the dot."""
        return self.value[1]


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV with a header row and no index."""
    return frame.to_csv(index=False, date_format="%Y-%m-%d").encode("utf-8")


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """The frame as an XLSX workbook with one sheet named `sheet` (cut to Excel's 31 chars)."""
    buffer = io.BytesIO()
    safe = re.sub(r"[\[\]:*?/\\]", "_", sheet)[:31] or "data"
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        _excel_ready(frame).to_excel(writer, sheet_name=safe, index=False)
    return buffer.getvalue()


def build(frame: pd.DataFrame, fmt: Format, name: str) -> bytes:
    """The download bytes of `frame` in `fmt` (`name` titles the XLSX sheet)."""
    return csv_bytes(frame) if fmt is Format.CSV else xlsx_bytes(frame, sheet=name)


def file_name(name: str, fmt: Format, stamp: str = "") -> str:
    """A safe file name such as `pending_fulfillment-2026-12-04.csv`."""
    base = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_.") or "export"
    suffix = f"-{re.sub(r'[^0-9A-Za-z-]+', '', stamp)}" if stamp else ""
    return f"{base}{suffix}.{fmt.extension}"


def _excel_ready(frame: pd.DataFrame) -> pd.DataFrame:
    # Excel has no time zones: write aware timestamps as UTC wall time.
    out = frame.copy()
    for name in out.columns:
        if isinstance(out[name].dtype, pd.DatetimeTZDtype):
            out[name] = out[name].dt.tz_convert("UTC").dt.tz_localize(None)
    return out
