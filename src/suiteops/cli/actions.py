"""`suiteops action NAME --target ID ... [--dry-run] [--yes] [--actor EMAIL] [--out PATH]`.

The same plan, confirmation and audit as the dashboard: each target is planned from live
NetSuite state and printed; unless `--dry-run`, the person confirms on the terminal (`y` for one
target, the number of targets or the action name for several; `--yes` skips the question) and
each plan is executed and its outcome printed. Files an action builds (payload JSON, exceptions
CSV) are written to `--out` (a file for one target, else a folder; default: the current folder).
`suiteops action list` lists the actions. Exit status: 0 when every target ended done or no-op,
1 when any was refused or failed, 2 on an error before acting.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from suiteops.actions import ACTIONS, OutcomeStatus, Plan, get_action
from suiteops.actions.base import Action, Outcome, TargetKind
from suiteops.actions.bulk import clean_targets, confirmation, plan_all, run_all
from suiteops.actions.context import open_context
from suiteops.actions.describe import outcome_text, plan_text
from suiteops.actions.roles import Actor, require, resolve_access
from suiteops.config import Settings, load_settings
from suiteops.errors import ActionError, PermissionDenied
from suiteops.services import open_services

Ask = Callable[[str], str]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `action` command."""
    parser = subparsers.add_parser(
        "action",
        help="plan and run a recovery action (or `action list`)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("name", help="action name, or `list`", choices=["list", *ACTIONS])
    parser.add_argument(
        "--target",
        action="append",
        default=[],
        metavar="ID",
        help="internal id of a sales order / fulfillment (repeatable)",
    )
    parser.add_argument("--dry-run", action="store_true", help="print the plan only")
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    parser.add_argument("--actor", help="e-mail recorded in the audit log (default: demo user)")
    parser.add_argument("--out", type=Path, help="where to write files the action builds")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, *, ask: Ask | None = None, out: TextIO | None = None) -> int:
    """Carry out `suiteops action ...`; returns the exit status."""
    out = out or sys.stdout
    if args.name == "list":
        return _list(out)
    settings = load_settings()
    action = get_action(args.name)
    actor = _actor(settings, args.actor, action)
    targets = _targets(action, args.target)
    services = open_services(settings)
    with open_context(services) as ctx:
        plans = plan_all(action, targets, ctx)
        for item in plans:
            print(plan_text(item), file=out)
        if args.dry_run:
            return 0
        typed = _confirm(action, plans, yes=args.yes, ask=ask or _tty_ask)
        outcomes = run_all(
            plans, ctx, actor, typed=typed, on_outcome=lambda o: print(outcome_text(o), file=out)
        )
    _write_files(outcomes, args.out, out)
    bad = {OutcomeStatus.REFUSED, OutcomeStatus.FAILED}
    return 1 if any(o.status in bad for o in outcomes) else 0


def _list(out: TextIO) -> int:
    for action in ACTIONS.values():
        kind = action.target_kind.value
        print(f"{action.name:<22} {action.label} (role {action.role}; target: {kind})", file=out)
        print(f"{'':<22} {action.description}", file=out)
    return 0


def _actor(settings: Settings, email: str | None, action: Action) -> Actor:
    access = resolve_access(settings, email, login_configured=email is not None)
    if access.actor is None:
        raise PermissionDenied(access.reason or "no actor")
    require(access.actor, action)
    return access.actor


def _targets(action: Action, given: Sequence[str]) -> tuple[str, ...]:
    targets = clean_targets(given)
    if action.target_kind is TargetKind.NONE:
        return targets or ("all",)
    if not targets:
        raise ActionError(f"{action.name} needs --target ID (a {action.target_kind.value} id)")
    return targets


def _confirm(action: Action, plans: Sequence[Plan], *, yes: bool, ask: Ask) -> str:
    check = confirmation(action, [p.target for p in plans])
    if yes:
        return check.expected[0]
    if not any(p.has_work for p in plans):
        return check.expected[0]
    if len(plans) == 1:
        answer = ask(f"{action.confirmation} [y/N] ").strip().lower()
        if answer not in {"y", "yes"}:
            raise ActionError("not confirmed; nothing was done")
        return check.expected[0]
    return ask(check.prompt + " ")


def _tty_ask(prompt: str) -> str:
    if not sys.stdin.isatty():
        raise ActionError("confirmation needed but stdin is not a terminal: pass --yes")
    return input(prompt)


def _write_files(outcomes: Sequence[Outcome], dest: Path | None, out: TextIO) -> None:
    files = [o.artifact for o in outcomes if o.artifact is not None]
    for artifact in files:
        path = _file_path(dest, artifact.filename, single=len(files) == 1)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(artifact.data)
        print(f"wrote {path}", file=out)


def _file_path(dest: Path | None, name: str, *, single: bool) -> Path:
    if dest is None:
        return Path(name)
    if single and not dest.is_dir() and dest.suffix:
        return dest
    return dest / name
