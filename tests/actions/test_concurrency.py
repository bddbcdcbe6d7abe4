"""Exactly once under concurrency: double clicks (threads) and two processes on one target."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from suiteops.actions import Outcome, OutcomeStatus, execute, plan
from suiteops.actions.locks import target_lock
from suiteops.errors import ActionError

from .conftest import OPS, Lab, emulator_env
from .test_bill_order import FIN, bills_of, unbilled

ROOT = Path(__file__).resolve().parents[2]


def test_two_threads_executing_one_plan_have_one_effect(lab: Lab) -> None:
    so_id = unbilled(lab, terms=False)
    plans = [plan("bill_order", str(so_id), lab.ctx) for _ in range(2)]
    assert plans[0].idempotency_key == plans[1].idempotency_key
    start = threading.Barrier(2)

    def run(p: object) -> Outcome:
        start.wait()
        return execute(p, lab.ctx, FIN)  # type: ignore[arg-type]

    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(run, plans))
    assert sorted(o.status.value for o in outcomes) == ["done", "noop"]
    assert len(bills_of(lab, so_id)) == 1
    assert list(lab.services.cache.audit.entries(result="done")["target"]) == [str(so_id)]


def test_lock_times_out_with_a_clear_message(tmp_path: Path) -> None:
    with target_lock(tmp_path, "sales_order", "42"):
        try:
            with target_lock(tmp_path, "sales_order", "42", timeout=0.2):
                raise AssertionError("a second holder got the lock")
        except ActionError as exc:
            assert "still running" in str(exc) and f"pid {os.getpid()}" in str(exc)
    with target_lock(tmp_path, "sales_order", "42", timeout=0.2):
        pass


def test_two_processes_on_one_target_bill_once(lab: Lab) -> None:
    so_id = unbilled(lab, terms=False)
    env = {**os.environ, **emulator_env(lab.emu, lab.settings.data_dir)}
    cmd = [sys.executable, "-m", "suiteops.cli", "action", "bill_order", "--target", str(so_id),
           "--yes", "--actor", "fin@example.com"]  # fmt: skip
    procs = [
        subprocess.Popen(
            cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    results = [p.communicate(timeout=90) for p in procs]
    outputs = [out for out, _ in results]
    assert all(p.returncode in (0, 1) for p in procs), results
    assert sum(out.count(f"DONE bill_order {so_id}") for out in outputs) == 1, outputs
    assert len(bills_of(lab, so_id)) == 1
    audit = lab.services.cache.audit.entries(target=str(so_id))
    assert list(audit["result"]).count("done") == 1
    assert set(audit["actor"]) == {"fin@example.com"}
    other = next(out for out in outputs if f"DONE bill_order {so_id}" not in out)
    assert f"NOOP bill_order {so_id}" in other or "already billed by cash sale" in other


def test_a_held_order_lock_makes_other_actions_on_it_wait(lab: Lab) -> None:
    so_id = lab.one("SELECT id FROM transaction WHERE type = 'SalesOrd' AND status = 'B'")
    p = plan("close_lines", str(so_id), lab.ctx)
    impatient = replace(lab.ctx, lock_timeout=0.3)
    held = target_lock(lab.settings.data_dir, "sales_order", str(so_id))  # e.g. a bill running
    with held, pytest.raises(ActionError, match="still running"):
        execute(p, impatient, OPS)
    assert lab.services.cache.audit.entries().empty
    assert execute(p, impatient, OPS).status is OutcomeStatus.DONE
