"""Download bytes: CSV parses back to the frame shown; XLSX opens with openpyxl and matches."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from suiteops.views.downloads import Format, build, csv_bytes, file_name, xlsx_bytes
from suiteops.views.filters import Filters, apply
from suiteops.views.links import LinkTarget, add_links


@pytest.fixture
def shown(backlog: pd.DataFrame) -> pd.DataFrame:
    """What a page shows: filtered and with links."""
    return add_links(apply(backlog, Filters(locations=("West",))), LinkTarget("77"))[0]


def test_csv_parses_back_to_the_shown_frame(shown: pd.DataFrame) -> None:
    back = pd.read_csv(io.BytesIO(csv_bytes(shown)), dtype=str, keep_default_na=False)
    assert list(back.columns) == list(shown.columns)
    assert len(back) == len(shown) == 3
    assert back["so_number"].tolist() == shown["so_number"].tolist()
    assert back["sales_order"].tolist() == shown["sales_order"].tolist()
    assert back["trandate"].tolist() == ["2026-11-20", "2026-12-03", "2026-12-03"]
    assert [float(v) for v in back["open_amount"]] == shown["open_amount"].tolist()


def test_xlsx_opens_with_openpyxl_and_matches(shown: pd.DataFrame) -> None:
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(shown, sheet="pending/fulfillment")))
    sheet = book["pending_fulfillment"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(shown.columns)
    assert len(rows) == len(shown) + 1
    col = list(shown.columns).index("open_amount")
    assert [r[col] for r in rows[1:]] == shown["open_amount"].tolist()
    col = list(shown.columns).index("sales_order")
    assert [r[col] for r in rows[1:]] == shown["sales_order"].tolist()


def test_xlsx_accepts_timezone_aware_timestamps() -> None:
    frame = pd.DataFrame({"at": pd.to_datetime(["2026-12-04T10:00:00+01:00"], utc=True)})
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame)))
    assert book["data"]["A2"].value.isoformat() == "2026-12-04T09:00:00"


def test_build_dispatches_on_format(shown: pd.DataFrame) -> None:
    assert build(shown, Format.CSV, "x") == csv_bytes(shown)
    assert build(shown, Format.XLSX, "x")[:2] == b"PK"


def test_file_name_is_safe() -> None:
    assert file_name("pending fulfillment", Format.CSV, "2026-12-04") == (
        "pending_fulfillment-2026-12-04.csv"
    )
    assert file_name("../../etc", Format.XLSX) == "etc.xlsx"
    assert Format.XLSX.mime.endswith("spreadsheetml.sheet")
