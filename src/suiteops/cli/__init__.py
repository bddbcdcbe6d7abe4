"""The `suiteops` command.

Each name in `COMMAND_MODULES` is a module of this package exposing
`register(subparsers) -> None`, which adds its sub-command and sets `func` (a callable taking the
parsed `argparse.Namespace` and returning the exit status) with `parser.set_defaults(func=...)`.
Errors from `suiteops.errors` print as one line on stderr and exit with status 2.
Run as `suiteops ...` or `python -m suiteops.cli ...`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from suiteops.errors import SuiteOpsError

COMMAND_MODULES = ["emulator", "dashboard", "actions", "data"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command module's sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="suiteops",
        description="SuiteOps: operations console for Shopify businesses running on NetSuite.",
    )
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse `argv` (default: the command line), run the command, return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(func(args) or 0)
    except SuiteOpsError as exc:
        print(f"suiteops: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
