"""`suiteops emulator`: serve the NetSuite emulator until Ctrl-C.

Prints the base URL and the credentials it accepts. The defaults are the documented demo
credentials (account 1234567_SB1; see `suiteops.emulator.server.DEMO_CREDENTIALS`): point a
client at the printed base URL with them. `--state-file` records the running emulator (base URL,
account, pid; never secrets) for `ensure_demo_emulator` and removes it on exit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from suiteops.errors import ConfigError

_DEMO_HELP = "(default: the demo value %(default)r)"
# The credentials the emulator accepts, as options and in the start banner (account aside).
CREDENTIAL_FIELDS = (
    "consumer_key",
    "consumer_secret",
    "token_id",
    "token_secret",
    "client_id",
    "certificate_id",
)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `emulator` command."""
    from suiteops.emulator.server import DEMO_CREDENTIALS as D

    p = subparsers.add_parser(
        "emulator",
        help="run the local NetSuite emulator",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="TCP port (default 0: a free port)")
    p.add_argument("--seed", type=int, default=7, help="data generator seed (default 7)")
    p.add_argument(
        "--scale",
        default="demo",
        type=_scale,
        help="tiny, demo, large or a number of sales orders (default demo)",
    )
    p.add_argument("--today", type=dt.date.fromisoformat, help="the data's today, YYYY-MM-DD")
    p.add_argument("--db", type=Path, help="DuckDB file to keep the data in (default: memory)")
    p.add_argument("--latency-ms", type=float, default=0.0, help="added per request (default 0)")
    p.add_argument("--jitter-ms", type=float, default=0.0, help="uniform extra latency (default 0)")
    p.add_argument(
        "--concurrency-limit",
        type=int,
        default=15,
        help="requests in flight before 429 (default 15)",
    )
    for kind in ("429", "500", "drop", "truncate"):
        p.add_argument(
            f"--fault-{kind}",
            type=float,
            default=0.0,
            metavar="RATE",
            help=f"share of requests getting the {kind} fault, 0..1 (default 0)",
        )
    p.add_argument(
        "--mutate-during-paging",
        action="store_true",
        help="change rows before every SuiteQL request",
    )
    p.add_argument("--account", default=D.account, help=f"account id {_DEMO_HELP}")
    for name in CREDENTIAL_FIELDS:
        p.add_argument(
            f"--{name.replace('_', '-')}",
            default=getattr(D, name),
            help=f"accepted {name.replace('_', ' ')} {_DEMO_HELP}",
        )
    p.add_argument(
        "--certificate",
        type=Path,
        metavar="FILE",
        help="PEM public key or x.509 certificate for OAuth 2.0 (default: none)",
    )
    p.add_argument("--state-file", type=Path, help="write base URL/account/pid here while running")
    p.add_argument(
        "--stop",
        action="store_true",
        help="stop the shared demo emulator that the dashboard and CLI started (in data_dir)",
    )
    p.set_defaults(func=run)


def _scale(text: str) -> str | int:
    return int(text) if text.isdigit() else text


def config_from_args(args: argparse.Namespace) -> Any:
    """The `EmulatorConfig` the options describe."""
    from suiteops.emulator.faults import FaultRates
    from suiteops.emulator.server import EmulatorConfig

    try:
        faults = FaultRates(args.fault_429, args.fault_500, args.fault_drop, args.fault_truncate)
    except ValueError as exc:
        raise ConfigError(f"--fault-*: {exc}") from None
    pem = _read_certificate(args.certificate) if args.certificate else None
    return EmulatorConfig(
        host=args.host,
        port=args.port,
        seed=args.seed,
        scale=args.scale,
        db_path=args.db,
        today=args.today,
        account=args.account,
        consumer_key=args.consumer_key,
        consumer_secret=args.consumer_secret,
        token_id=args.token_id,
        token_secret=args.token_secret,
        client_id=args.client_id,
        certificate_id=args.certificate_id,
        certificate_pem=pem,
        latency_ms=args.latency_ms,
        jitter_ms=args.jitter_ms,
        concurrency_limit=args.concurrency_limit,
        faults=faults,
        mutate_during_paging=args.mutate_during_paging,
    )


def stop_shared() -> int:
    """`suiteops emulator --stop`: stop the demo emulator recorded in the configured data_dir."""
    from suiteops.config import load_settings
    from suiteops.emulator.demo import stop_demo_emulator

    data_dir = load_settings().data_dir
    if stop_demo_emulator(data_dir):
        print(f"stopped the demo emulator of {data_dir}")
    else:
        print(f"no demo emulator is running for {data_dir}")
    return 0


def _read_certificate(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"--certificate {path}: cannot read: {exc.strerror}") from None


def banner(config: Any, base_url: str) -> str:
    """What the command prints on start (secrets only when they are the demo defaults)."""
    from suiteops.emulator.server import DEMO_CREDENTIALS as D

    lines = [f"NetSuite emulator serving {base_url}", f"  account          {config.account}"]
    for name in CREDENTIAL_FIELDS:
        value = getattr(config, name)
        shown = value if value == getattr(D, name) else "(as given on the command line)"
        lines.append(f"  {name:<16} {shown}")
    lines.append(
        f"  OAuth 2.0        {'on' if config.certificate_pem else 'off (no --certificate)'}"
    )
    lines.append("Press Ctrl-C to stop.")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Start the emulator, print the banner, serve until Ctrl-C or SIGTERM (or, with --stop,
    stop the shared demo emulator)."""
    if args.stop:
        return stop_shared()
    from suiteops.emulator.server import start_emulator

    config = config_from_args(args)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with start_emulator(config) as emu:
        if args.state_file:
            write_state(
                args.state_file,
                {
                    "base_url": emu.base_url,
                    "account": emu.account,
                    "pid": os.getpid(),
                    "db": str(args.db or ""),
                },
            )
        print(banner(config, emu.base_url), flush=True)
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            if args.state_file:
                args.state_file.unlink(missing_ok=True)
    print("emulator stopped", file=sys.stderr)
    return 0


def write_state(path: Path, state: dict[str, Any]) -> None:
    """Write the state file atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state), encoding="utf-8")
    os.replace(tmp, path)
