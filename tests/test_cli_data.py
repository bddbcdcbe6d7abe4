"""The data commands end to end: `main([...])` in-process against an emulator, plus real
`suiteops` subprocesses."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from cache.emulated import environment, settings_for, write_queries

from suiteops.cache import Cache, RunMode
from suiteops.catalog import load_catalog
from suiteops.cli import data_output as out
from suiteops.cli import main
from suiteops.config import Settings
from suiteops.netsuite.paging import Progress
from suiteops.refresh import QueryProgress, single_flight


@pytest.fixture
def settings(emulator: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    built = settings_for(emulator, tmp_path / "data", write_queries(tmp_path / "queries"))
    config = tmp_path / "empty.toml"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("SUITEOPS_CONFIG", str(config))
    for name, value in environment(built).items():
        monkeypatch.setenv(name, value)
    return built


@pytest.fixture
def refreshed(settings: Settings, capsys: pytest.CaptureFixture[str]) -> Iterator[Settings]:
    assert main(["refresh", "sales_orders"]) == 0
    capsys.readouterr()
    yield settings


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_refresh_prints_progress_and_summary(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "refresh")
    assert code == 0, err
    assert f"refreshed 2 of 2 queries on {settings.netsuite.base_url}" in out
    lines = err.strip().splitlines()
    assert lines[0].startswith("[1/2] order_lines (full) ok: ")
    assert lines[1].startswith("[2/2] sales_orders (full) ok: ")


def test_second_refresh_exits_2_naming_the_holder(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    with single_flight(settings.data_dir, ["sales_orders"]):
        code, _, err = run(capsys, "refresh", "--full")
    assert code == 2
    assert err.count("\n") == 1 and "another refresh is already running" in err
    assert f"pid {os.getpid()}" in err


def test_refresh_unknown_query_exits_2(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "refresh", "nope")
    assert code == 2 and "unknown query nope" in err and err.count("\n") == 1


def _one_order(emulator: object) -> tuple[int, str, str]:
    so_id, tranid, total = emulator.sql(  # type: ignore[attr-defined]
        "SELECT id, tranid, foreigntotal FROM transaction WHERE type = 'SalesOrd'"
        " ORDER BY id LIMIT 1"
    )[0]
    return so_id, tranid, str(total)


def test_query_json_is_typed(
    settings: Settings, emulator: object, capsys: pytest.CaptureFixture[str]
) -> None:
    so_id, tranid, total = _one_order(emulator)
    code, out, err = run(
        capsys, "query", "order_lookup", "-p", f"so_number={tranid}", "--format", "json"
    )
    assert code == 0, err
    (row,) = json.loads(out)
    assert row["so_id"] == so_id and row["so_number"] == tranid
    assert row["is_closed"] in (True, False)
    assert float(row["total"]) == float(total)
    assert len(row["trandate"]) == 10


def test_query_table_and_csv(
    settings: Settings, emulator: object, capsys: pytest.CaptureFixture[str]
) -> None:
    so_id, tranid, _ = _one_order(emulator)
    code, out, _ = run(capsys, "query", "order_lookup", "-p", f"so_number={tranid}")
    header, rule, line = out.splitlines()
    assert code == 0 and header.split() == ["so_id", "so_number", "total", "trandate", "is_closed"]
    assert set(rule.replace(" ", "")) == {"-"} and line.split()[:2] == [str(so_id), tranid]
    code, out, _ = run(
        capsys, "query", "order_lookup", "-p", f"so_number={tranid}", "--format", "csv"
    )
    rows = list(csv.DictReader(out.splitlines()))
    assert code == 0 and rows[0]["so_id"] == str(so_id) and rows[0]["is_closed"] in ("T", "F")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-p", "nope=1"], "parameter 'nope': not a parameter"),
        (["-p", "so_number"], "expected KEY=VALUE"),
        ([], "parameter 'so_number'"),
    ],
)
def test_query_bad_parameters_exit_2(
    settings: Settings, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, "query", "order_lookup", *argv)
    assert code == 2 and message in err and err.count("\n") == 1


def test_export_csv_is_exact(
    refreshed: Settings, emulator: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.csv"
    code, out, _ = run(capsys, "export", "sales_orders", "--out", str(target))
    assert code == 0 and "rows of sales_orders" in out
    rows = list(csv.DictReader(target.read_text().splitlines()))
    truth = dict(emulator.sql("SELECT id, foreigntotal FROM transaction WHERE type = 'SalesOrd'"))  # type: ignore[attr-defined]
    assert len(rows) == len(truth)
    assert all(row["total"] == f"{truth[int(row['so_id'])]:.4f}" for row in rows)


def test_export_xlsx_has_rows_and_provenance(
    refreshed: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.xlsx"
    assert run(capsys, "export", "sales_orders", "--out", str(target))[0] == 0
    book = openpyxl.load_workbook(target, read_only=True)
    assert book.sheetnames == ["sales_orders", "about"]
    about = dict(book["about"].iter_rows(min_row=2, values_only=True))
    data = list(book["sales_orders"].iter_rows(values_only=True))
    assert data[0][0] == "so_id" and len(data) - 1 == int(about["rows"])
    assert about["query"] == "sales_orders" and about["version"] == "1"
    book.close()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["sales_orders", "--out", "x.txt"], "must end in .csv or .xlsx"),
        (["sales_orders", "--out", "x.csv"], "no cached result yet"),
        (["nope", "--out", "x.csv"], "no query named 'nope'"),
        (["order_lookup", "--out", "x.csv"], "order_lookup is a live query, never cached"),
    ],
    ids=["suffix", "never-refreshed", "unknown", "live"],
)
def test_export_errors_exit_2(
    settings: Settings, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, "export", *argv)
    assert code == 2 and message in err and err.count("\n") == 1


def test_export_into_a_missing_folder_exits_2(
    refreshed: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing" / "out.csv"
    code, _, err = run(capsys, "export", "sales_orders", "--out", str(target))
    assert code == 2 and str(target.parent) in err and err.count("\n") == 1


def test_status_shows_fresh_and_never_refreshed(
    refreshed: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "status")
    lines = {line.split()[0]: line for line in out.splitlines()[2:]}
    assert code == 0 and set(lines) == {"order_lines", "sales_orders"}
    assert "never refreshed" in lines["order_lines"] and "fresh" in lines["sales_orders"]
    assert lines["sales_orders"].split()[1] == "1"


def test_queries_list_and_show(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "queries", "list")
    names = [line.split()[0] for line in out.splitlines()[2:]]
    assert code == 0 and names == ["order_lines", "order_lookup", "sales_orders"]
    assert "live" in out.splitlines()[3]
    code, out, _ = run(capsys, "queries", "show", "sales_orders")
    assert code == 0 and "incremental: last_modified" in out and "FROM transaction t" in out


def test_queries_check_and_lock(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "queries", "check")[:2] == (0, f"3 queries OK in {settings.queries_dir}\n")
    path = settings.queries_dir / "sales_orders.sql"
    path.write_text(path.read_text().replace("ORDER BY t.id", "ORDER BY t.id DESC"))
    (settings.queries_dir / "broken.sql").write_text("-- title: x\nSELEC 1 FROM dual\n")
    code, out, _ = run(capsys, "queries", "check")
    assert code == 1
    assert f"{path}:3: " in out and "version" in out
    assert f"{settings.queries_dir / 'broken.sql'}:" in out
    code, _, err = run(capsys, "queries", "lock")
    assert code == 2 and err.count("\n") == 1


def test_real_subprocess_demo_mode_and_single_flight(tmp_path: Path) -> None:
    """No account configured: `suiteops refresh` starts the shared demo emulator and caches the
    query; a second refresh while the lock is held exits 2."""
    config = tmp_path / "empty.toml"
    config.write_text("", encoding="utf-8")
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUITEOPS_")}
    env |= {"SUITEOPS_CONFIG": str(config), "SUITEOPS_DATA_DIR": str(data),
            "SUITEOPS_EMULATOR_SCALE": "tiny",
            "SUITEOPS_QUERIES_DIR": str(write_queries(tmp_path / "queries"))}  # fmt: skip
    command = [sys.executable, "-m", "suiteops.cli", "refresh", "sales_orders"]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=240)
        assert done.returncode == 0, done.stderr
        assert "refreshed 1 of 1 queries" in done.stdout and "(demo emulator)" in done.stdout
        with single_flight(data, ["sales_orders"]):
            refused = subprocess.run(command, env=env, capture_output=True, text=True, timeout=240)
        assert refused.returncode == 2
        assert refused.stderr.startswith("suiteops refresh: another refresh is already running")
    finally:
        state = data / "emulator.json"
        if state.exists():
            os.kill(json.loads(state.read_text())["pid"], signal.SIGTERM)
    cache = Cache(data)
    snap = cache.read("sales_orders")
    assert snap is not None and snap.meta.account == "1234567_SB1" and snap.meta.rows > 0
    cache.close()


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (None, "never"),
        (timedelta(seconds=45), "45s"),
        (timedelta(minutes=12, seconds=5), "12m"),
        (timedelta(hours=3, minutes=5), "3h05m"),
        (timedelta(days=2, hours=4), "2d04h"),
        (timedelta(seconds=-3), "0s"),
    ],
)
def test_age_text(delta: timedelta | None, text: str) -> None:
    assert out.age(delta) == text


def test_table_aligns_numbers_right_and_text_left() -> None:
    text = out.table(["name", "n"], [("a", 5), ("bbb", 1234), ("c", None)])
    assert text.splitlines() == ["name     n", "----  ----", "a        5", "bbb   1234", "c"]


def test_csv_and_json_values() -> None:
    row = {"d": date(2026, 1, 2), "x": Decimal("1.50"), "b": True, "n": None}
    assert out.csv_text(list(row), [list(row.values())]) == "d,x,b,n\n2026-01-02,1.50,T,\n"
    assert json.loads(out.json_text([row])) == [
        {"d": "2026-01-02", "x": "1.50", "b": True, "n": None}
    ]


def test_progress_bar_on_a_terminal_redraws_in_place() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    bar = out.ProgressBar(stream)
    bar(QueryProgress("q", 1, 2, RunMode.FULL, Progress(3, 4, 3000, 3500, 1)))
    assert stream.getvalue() == (
        "\r\x1b[2K[1/2] q (full) ##################...... pages 3/4 rows 3,000/3,500 retries 1"
    )


def test_status_shows_the_last_failure_beside_the_good_snapshot(
    refreshed: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = Cache(refreshed.data_dir)
    spec = load_catalog(refreshed.queries_dir)["sales_orders"]
    cache.record_failure(spec, account="1234567_SB1", error="ServerError: HTTP 500")
    cache.close()
    code, out, _ = run(capsys, "status")
    (line,) = [row for row in out.splitlines() if row.startswith("sales_orders")]
    assert code == 0 and "fresh, last run failed" in line and "ServerError: HTTP 500" in line
