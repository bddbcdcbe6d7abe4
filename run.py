#!/usr/bin/env python3
"""Bootstrap SuiteOps: create `.venv`, install the project into it, then run a command.

    python3 run.py dashboard   start the dashboard (on the embedded NetSuite emulator by default)
    python3 run.py test        install the test extra and run the whole test suite
    python3 run.py <args>      any other `suiteops` command, e.g. `python3 run.py refresh`

Only the standard library is used here, so this works on a fresh machine with Python 3.11+.
The install is skipped when `pyproject.toml` has not changed since the last one.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def ensure_venv(extra: str) -> None:
    """Create the virtualenv and (re)install the project with `extra` when needed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - run.py may be started by an older python3
        sys.exit(f"SuiteOps needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not (BIN / "python").exists():
        print(f"creating {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extra.encode()).hexdigest()
    stamp = VENV / f".installed-{extra or 'base'}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    print(f"installing SuiteOps{f' [{extra}]' if extra else ''} into {VENV} ...", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    target = f"{ROOT}[{extra}]" if extra else str(ROOT)
    subprocess.run([*pip, "-e", target], check=True)
    stamp.write_text(digest)


def main(argv: list[str]) -> int:
    """Dispatch `dashboard`, `test` or any `suiteops` sub-command."""
    if not argv or argv[0] in {"-h", "--help"}:
        print(__doc__)
        return 0
    if argv[0] == "test":
        ensure_venv("test")
        cmd = [str(BIN / "python"), "-m", "pytest", *argv[1:]]
    else:
        ensure_venv("")
        cmd = [str(BIN / "suiteops"), *argv]
    os.chdir(ROOT)
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
