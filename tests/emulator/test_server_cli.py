"""`suiteops emulator` and the shared demo emulator, run as real processes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from oauthlib.oauth1 import Client

from suiteops.cli import COMMAND_MODULES, build_parser, main
from suiteops.cli.emulator import banner, config_from_args
from suiteops.emulator.demo import DemoEndpoint, ensure_demo_emulator, stop_demo_emulator
from suiteops.emulator.server import DEMO_CREDENTIALS

SUITEQL = "/services/rest/query/v1/suiteql"


def parse(*argv: str) -> object:
    return build_parser().parse_args(["emulator", *argv])


def test_every_command_module_registers() -> None:
    assert "emulator" in COMMAND_MODULES
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert "emulator" in commands


def test_no_command_prints_help_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: suiteops" in capsys.readouterr().err


def test_options_become_the_config(tmp_path: Path) -> None:
    args = parse("--port", "0", "--seed", "3", "--scale", "250", "--today", "2026-10-01",
                 "--latency-ms", "20", "--jitter-ms", "5", "--concurrency-limit", "4",
                 "--fault-429", "0.1", "--fault-drop", "0.05", "--mutate-during-paging",
                 "--account", "999_SB2", "--token-secret", "s3cret")  # fmt: skip
    config = config_from_args(args)
    assert (config.seed, config.scale, config.today.isoformat()) == (3, 250, "2026-10-01")
    assert (config.latency_ms, config.jitter_ms, config.concurrency_limit) == (20, 5, 4)
    assert (config.faults.rate_429, config.faults.rate_drop) == (0.1, 0.05)
    assert config.mutate_during_paging and config.account == "999_SB2"
    text = banner(config, "http://127.0.0.1:1")
    assert "s3cret" not in text and DEMO_CREDENTIALS.consumer_secret in text


def test_help_documents_the_demo_defaults(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    with pytest.raises(SystemExit):
        main(["emulator", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    for value in (DEMO_CREDENTIALS.account, DEMO_CREDENTIALS.consumer_key,
                  DEMO_CREDENTIALS.token_id, DEMO_CREDENTIALS.client_id):  # fmt: skip
        assert value in out


@pytest.mark.parametrize(("argv", "fragment"), [
    (["--fault-500", "1.5"], "--fault-*"),
    (["--certificate", "/nonexistent/cert.pem"], "--certificate"),
    (["--concurrency-limit", "0"], "concurrency_limit"),
])  # fmt: skip
def test_bad_options_are_one_clear_line(capsys: pytest.CaptureFixture[str], argv: list[str],
                                        fragment: str) -> None:  # fmt: skip
    assert main(["emulator", *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("suiteops: error:") and fragment in err and "\n" not in err


def signed(base_url: str, method: str, path: str, body: object = None,
           headers: dict[str, str] | None = None) -> httpx.Response:  # fmt: skip
    d = DEMO_CREDENTIALS
    client = Client(d.consumer_key, client_secret=d.consumer_secret, resource_owner_key=d.token_id,
                    resource_owner_secret=d.token_secret, signature_method="HMAC-SHA256",
                    realm=d.account)  # fmt: skip
    url = base_url + path
    _, auth, _ = client.sign(url, http_method=method)
    return httpx.request(method, url, json=body, headers={**auth, **(headers or {})}, timeout=30)


def query(base_url: str, q: str = "SELECT COUNT(*) AS n FROM transaction") -> httpx.Response:
    return signed(base_url, "POST", SUITEQL, {"q": q}, {"Prefer": "transient"})


def wait_for(path: Path, process: subprocess.Popen[str]) -> dict:
    for _ in range(600):
        if path.exists():
            return json.loads(path.read_text())
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        time.sleep(0.05)
    raise AssertionError("the emulator never wrote its state file")


@pytest.mark.slow
def test_command_serves_until_sigterm(tmp_path: Path) -> None:
    state = tmp_path / "emulator.json"
    command = [sys.executable, "-m", "suiteops.cli", "emulator", "--scale", "tiny",
               "--state-file", str(state)]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)  # fmt: skip
    try:
        info = wait_for(state, process)
        assert info["pid"] == process.pid and info["account"] == DEMO_CREDENTIALS.account
        assert int(query(info["base_url"]).json()["items"][0]["n"]) > 0
    finally:
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=30)
    assert process.returncode == 0
    assert f"NetSuite emulator serving {info['base_url']}" in out
    assert DEMO_CREDENTIALS.token_secret in out and not state.exists()


@pytest.mark.slow
def test_demo_emulator_is_shared_and_keeps_its_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(lambda _: ensure_demo_emulator(tmp_path, scale="tiny"), range(2))
    assert isinstance(first, DemoEndpoint) and first == second  # one process for both starters
    assert ensure_demo_emulator(tmp_path, scale="tiny") == first
    assert (tmp_path / "emulator.duckdb").exists()
    so = int(query(first.base_url, "SELECT MIN(id) AS n FROM transaction").json()["items"][0]["n"])
    path = f"/services/rest/record/v1/salesOrder/{so}"
    assert signed(first.base_url, "PATCH", path, {"memo": "kept"}).status_code == 204
    assert stop_demo_emulator(tmp_path)
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{first.base_url}/health", timeout=2.0)
    again = ensure_demo_emulator(tmp_path, scale="tiny")
    try:
        assert signed(again.base_url, "GET", path).json()["memo"] == "kept"
    finally:
        monkeypatch.setenv("SUITEOPS_DATA_DIR", str(tmp_path))
        assert main(["emulator", "--stop"]) == 0
    assert "stopped the demo emulator" in capsys.readouterr().out
    assert main(["emulator", "--stop"]) == 0
    assert "no demo emulator is running" in capsys.readouterr().out
    assert not stop_demo_emulator(tmp_path)
