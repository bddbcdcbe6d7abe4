"""`suiteops dashboard`: run the Streamlit app (`app.py`) on loopback, headless, no telemetry.

With no NetSuite account configured the app starts the embedded emulator itself and says so on
screen, so this is the whole demo: `python3 run.py dashboard`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
APP = ROOT / "app.py"


def streamlit_command(port: int, address: str, app: Path = APP) -> list[str]:
    """The `streamlit run` command line for the app on `address:port`."""
    return [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", address,
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `dashboard` command."""
    parser = subparsers.add_parser(
        "dashboard",
        help="start the Streamlit dashboard (demo data from the embedded emulator by default)",
        description=__doc__,
    )
    parser.add_argument("--port", type=_port, default=8501, help="TCP port (default 8501)")
    parser.add_argument(
        "--address", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run Streamlit in the foreground until it exits (Ctrl+C stops it)."""
    if not APP.is_file():
        print(f"suiteops dashboard: {APP} not found", file=sys.stderr)
        return 2
    print(f"SuiteOps dashboard on http://{args.address}:{args.port}", flush=True)
    try:
        return subprocess.call(streamlit_command(args.port, args.address), cwd=ROOT)
    except KeyboardInterrupt:
        return 130


def _port(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"--port must be 1..65535, got {value}")
    return value
