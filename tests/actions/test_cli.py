"""`suiteops action ...` end to end, in-process, against a fresh emulator."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from suiteops.cli import build_parser, main
from suiteops.cli.actions import run

from .conftest import Lab, emulator_env
from .tables import diff, snapshot


@pytest.fixture
def cli_lab(lab: Lab, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Lab:
    for name, value in emulator_env(lab.emu, lab.settings.data_dir).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    return lab


def pending(lab: Lab, n: int = 1) -> list[str]:
    rows = lab.emu.sql(
        f"SELECT id FROM transaction WHERE type = 'SalesOrd' AND status = 'B' ORDER BY id LIMIT {n}"
    )
    return [str(r[0]) for r in rows]


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["action", "list"]) == 0
    out = capsys.readouterr().out
    for name in ("close_lines", "bill_order", "retry_sync", "reread_tracking",
                 "fulfillment_payload", "export_exceptions"):  # fmt: skip
        assert name in out


def test_dry_run_then_yes(cli_lab: Lab, capsys: pytest.CaptureFixture[str]) -> None:
    (so_id,) = pending(cli_lab)
    before = snapshot(cli_lab.emu)
    args = ["action", "close_lines", "--target", so_id, "--actor", "ops@example.com"]
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"PATCH /record/v1/salesOrder/{so_id}" in out and "isclosed: F -> T" in out
    assert diff(before, snapshot(cli_lab.emu)) == {}
    assert main([*args, "--yes"]) == 0
    assert f"DONE close_lines {so_id}" in capsys.readouterr().out
    assert cli_lab.one(f"SELECT status FROM transaction WHERE id = {so_id}") == "H"
    entries = cli_lab.services.cache.audit.entries(target=so_id)
    assert list(entries["actor"]) == ["ops@example.com"] and list(entries["result"]) == ["done"]


def test_without_a_terminal_confirmation_is_required(
    cli_lab: Lab, capsys: pytest.CaptureFixture[str]
) -> None:
    (so_id,) = pending(cli_lab)
    before = snapshot(cli_lab.emu)
    assert main(["action", "close_lines", "--target", so_id, "--actor", "ops@example.com"]) == 2
    assert "pass --yes" in capsys.readouterr().err
    assert diff(before, snapshot(cli_lab.emu)) == {}


@pytest.mark.parametrize(("actor", "message"), [
    ("fin@example.com", "needs the ops role"),
    ("nobody@example.com", "holds no SuiteOps role"),
    (None, "no login is configured"),
])  # fmt: skip
def test_role_gating_before_anything_is_read(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    actor: str | None, message: str,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SUITEOPS_NETSUITE_ACCOUNT", "1234567")
    monkeypatch.setenv("SUITEOPS_NETSUITE_BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("SUITEOPS_ROLES", "ops@example.com=ops,fin@example.com=finance")
    argv = ["action", "close_lines", "--target", "1", "--yes"]
    assert main(argv + (["--actor", actor] if actor else [])) == 2
    assert message in capsys.readouterr().err


def test_bulk_needs_the_typed_count(cli_lab: Lab) -> None:
    targets = pending(cli_lab, 2)
    argv = ["action", "close_lines", "--actor", "ops@example.com"]
    for target in targets:
        argv += ["--target", target]
    args = build_parser().parse_args(argv)
    prompts: list[str] = []
    code = run(args, ask=lambda p: prompts.append(p) or "2")
    assert code == 0 and "Type 2" in prompts[0]
    statuses = {r[0] for r in cli_lab.emu.sql(
        f"SELECT status FROM transaction WHERE id IN ({', '.join(targets)})")}  # fmt: skip
    assert statuses == {"H"}


def test_refusal_exits_1(cli_lab: Lab, capsys: pytest.CaptureFixture[str]) -> None:
    billed = cli_lab.one("SELECT id FROM transaction WHERE type = 'SalesOrd' AND status = 'G'")
    code = main(["action", "bill_order", "--target", str(billed), "--yes",
                 "--actor", "fin@example.com"])  # fmt: skip
    assert code == 1 and "already billed by" in capsys.readouterr().out


def test_export_writes_the_csv(cli_lab: Lab, tmp_path: Path) -> None:
    out = tmp_path / "exceptions.csv"
    code = main(["action", "export_exceptions", "--yes", "--actor", "ops@example.com",
                 "--out", str(out)])  # fmt: skip
    assert code == 0
    assert list(pd.read_csv(out).columns)[:3] == ["type", "reason", "suggested_action"]
