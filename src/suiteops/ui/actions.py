"""The recovery-actions page and the audit-log page (the only streamlit-aware action code).

Confirmation never uses a dialog: a session-state flag holds the "are you sure" step open and
the work happens in `on_click` callbacks, so AppTest can drive the whole flow and a double
click cannot run an action twice (the engine's lock and idempotency key stop it anyway).
Login is `st.login` (OIDC) when `[auth]` is configured; `st.user` is read only here.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, time
from types import MappingProxyType

import pandas as pd
import streamlit as st

from suiteops.actions import ACTIONS, Action, Outcome, OutcomeStatus, Plan, shopify
from suiteops.actions.base import TargetKind
from suiteops.actions.bulk import clean_targets, confirmation, plan_all, results_frame, run_all
from suiteops.actions.context import open_context
from suiteops.actions.describe import calls_text, changes_frame
from suiteops.actions.roles import Access, Actor, resolve_access
from suiteops.config import Settings
from suiteops.errors import SuiteOpsError
from suiteops.ui import widgets
from suiteops.ui.connection import services
from suiteops.ui.data_page import page_header

PLANS, OUTCOMES, CONFIRMING, ERROR = "act.plans", "act.outcomes", "act.confirming", "act.error"
RESULTS = ("done", "noop", "refused", "failed")
AUDIT_LIMIT = 5000
AUDIT_COLUMNS = ("at", "actor", "action", "target", "result", "record_ids", "error", "plan")
_SHOW: Mapping[OutcomeStatus, Callable[..., object]] = MappingProxyType(
    {
        OutcomeStatus.DONE: st.success,
        OutcomeStatus.NOOP: st.info,
        OutcomeStatus.REFUSED: st.warning,
        OutcomeStatus.FAILED: st.error,
    }
)


def login_state() -> tuple[bool, str | None]:
    """(login configured, e-mail of the logged-in user or None)."""
    try:
        configured = "auth" in st.secrets
    except Exception:  # no secrets file at all: nothing is configured
        configured = False
    if not configured or not st.user.is_logged_in:
        return configured, None
    return configured, str(st.user.get("email") or "") or None


def current_access(settings: Settings) -> Access:
    """Who is acting on this session, or why nobody may."""
    configured, email = login_state()
    return resolve_access(settings, email, login_configured=configured)


def actions_page() -> None:
    """Pick an action and targets, preview the plan, confirm, execute, see the result."""
    svc = page_header("Recovery actions", "🛠️")
    access = current_access(svc.settings)
    if access.actor is None:
        st.warning(access.reason or "Actions are disabled.")
        if login_state()[0]:
            st.button("Log in", on_click=st.login, key="act-login")
        return
    actor = access.actor
    st.caption(f"Acting as **{actor.email}** (roles: {', '.join(sorted(actor.roles))}).")
    action = _pick_action()
    if not actor.may_run(action):
        st.warning(
            f"{action.label} needs the {action.role} role; you hold "
            f"{', '.join(sorted(actor.roles))}."
        )
        return
    targets = _pick_targets(action)
    st.button("Plan", key="act-plan", type="primary", on_click=_on_plan, args=(action, targets))
    _show_error()
    plans: list[Plan] = st.session_state.get(PLANS) or []
    if plans and plans[0].action == action.name and _same_targets(plans, targets):
        _show_plans(plans)
        _confirm_step(action, plans, actor)
    _show_outcomes(st.session_state.get(OUTCOMES) or [])


def _same_targets(plans: Sequence[Plan], targets: Sequence[str]) -> bool:
    return [p.target for p in plans] == list(clean_targets(targets))


def _pick_action() -> Action:
    names = list(ACTIONS)
    wanted = st.query_params.get("action")
    index = names.index(wanted) if wanted in names else 0
    name = st.selectbox(
        "Action", names, index=index, key="act-action", format_func=lambda n: ACTIONS[n].label
    )
    action = ACTIONS[name]
    st.caption(action.description)
    return action


def _pick_targets(action: Action) -> list[str]:
    if action.target_kind is TargetKind.NONE:
        return ["all"]
    given = ", ".join(st.query_params.get_all("target"))
    text = st.text_input(
        f"{action.target_kind.value.capitalize()} internal id(s)",
        value=given,
        key="act-targets",
        help="One or more ids, separated by commas or spaces",
    )
    return [t for t in re.split(r"[\s,;]+", text) if t]


def _on_plan(action: Action, targets: Sequence[str]) -> None:
    st.session_state[CONFIRMING] = False
    st.session_state[OUTCOMES] = []
    st.session_state[ERROR] = None
    if not targets:
        st.session_state[ERROR] = f"Enter at least one {action.target_kind.value} id."
        st.session_state[PLANS] = []
        return
    try:
        with open_context(services()) as ctx:
            st.session_state[PLANS] = plan_all(action, targets, ctx)
    except SuiteOpsError as exc:
        st.session_state[ERROR] = f"Planning failed: {exc}"
        st.session_state[PLANS] = []


def _show_plans(plans: Sequence[Plan]) -> None:
    for item in plans:
        with st.container(border=True):
            st.markdown(f"**{ACTIONS[item.action].label}** on `{item.target}`")
            if item.refusal:
                st.warning(f"Refused: {item.refusal}")
            for line in calls_text(item):
                st.code(line, language="http", wrap_lines=True)
            if item.changes:
                st.dataframe(changes_frame(item), hide_index=True, key=f"act-chg-{item.target}")
            for note in item.notes:
                st.caption(note)
            if item.artifact and item.artifact.media_type == "application/json":
                _payload_preview(item)
            elif item.artifact and item.artifact.media_type == "text/csv":
                frame = pd.read_csv(io.BytesIO(item.artifact.data))
                st.dataframe(frame, hide_index=True, key=f"act-csv-{item.target}")


def _payload_preview(item: Plan) -> None:
    document = json.loads(item.artifact.data)  # type: ignore[union-attr]
    st.json(document, expanded=2)
    with st.expander("Resolve against Shopify's fulfillment orders"):
        st.code(shopify.RESOLVE_QUERY, language="graphql")
        pasted = st.text_area("Paste the query's JSON response", key=f"act-fo-{item.target}")
        if not pasted.strip():
            return
        try:
            built = shopify.fulfillment_input(
                document["lineItems"],
                json.loads(pasted),
                notify=document["notifyCustomer"],
                tracking=document["trackingInfo"],
            )
        except (SuiteOpsError, ValueError) as exc:
            st.error(str(exc))
            return
        st.json({"fulfillment": built})


def _confirm_step(action: Action, plans: Sequence[Plan], actor: Actor) -> None:
    if not any(p.has_work for p in plans):
        st.info("Nothing to execute: every target is refused or already in the wanted state.")
        return
    if len(plans) > 1:
        check = confirmation(action, [p.target for p in plans])
        typed = st.text_input(check.prompt, key="act-typed")
        st.button(
            f"Run on {len(plans)} targets",
            key="act-run-bulk",
            type="primary",
            on_click=_on_execute,
            args=(plans, actor, typed),
        )
        return
    if not st.session_state.get(CONFIRMING):
        st.button("Execute…", key="act-execute", on_click=_set_confirming, args=(True,))
        return
    st.warning(action.confirmation)
    left, right = st.columns(2)
    left.button(
        "Confirm",
        key="act-confirm",
        type="primary",
        on_click=_on_execute,
        args=(plans, actor, confirmation(action, ["x"]).expected[0]),
    )
    right.button("Cancel", key="act-cancel", on_click=_set_confirming, args=(False,))


def _set_confirming(value: bool) -> None:
    st.session_state[CONFIRMING] = value


def _on_execute(plans: Sequence[Plan], actor: Actor, typed: str) -> None:
    st.session_state[CONFIRMING] = False
    st.session_state[ERROR] = None
    try:
        with open_context(services()) as ctx:
            st.session_state[OUTCOMES] = run_all(plans, ctx, actor, typed=typed)
        st.session_state[PLANS] = []
    except SuiteOpsError as exc:
        st.session_state[ERROR] = str(exc)


def _show_error() -> None:
    if st.session_state.get(ERROR):
        st.error(st.session_state[ERROR])


def _show_outcomes(outcomes: Sequence[Outcome]) -> None:
    if not outcomes:
        return
    st.subheader("Result")
    for outcome in outcomes:
        _SHOW[outcome.status](f"`{outcome.target}` — {outcome.message}")
    if len(outcomes) > 1:
        st.dataframe(results_frame(outcomes), hide_index=True, key="act-results")
    for index, outcome in enumerate(outcomes):
        if outcome.artifact is not None:
            st.download_button(
                f"Download {outcome.artifact.filename}",
                outcome.artifact.data,
                file_name=outcome.artifact.filename,
                mime=outcome.artifact.media_type,
                key=f"act-dl-{index}",
            )


def audit_page() -> None:
    """The audit log, filtered by actor, action, target, date and result; downloadable."""
    svc = page_header("Audit log", "📜")
    log = svc.cache.audit
    everyone = log.entries(limit=AUDIT_LIMIT)
    top = st.columns(3)
    actor = top[0].selectbox(
        "Actor",
        sorted(everyone["actor"].unique()),
        index=None,
        placeholder="Everyone",
        key="aud-actor",
    )
    action = top[1].selectbox(
        "Action", list(ACTIONS), index=None, placeholder="Every action", key="aud-action"
    )
    result = top[2].selectbox(
        "Result", RESULTS, index=None, placeholder="Any result", key="aud-result"
    )
    low = st.columns(2)
    target = low[0].text_input("Target", key="aud-target").strip()
    days = low[1].date_input("Dates", value=(), key="aud-dates")
    since, until = _day_bounds(days)
    frame = log.entries(
        actor=actor or None,
        action=action or None,
        target=target or None,
        result=result or None,
        since=since,
        until=until,
        limit=AUDIT_LIMIT,
    )
    table = audit_table(frame)
    st.caption(f"{len(table)} entr{'y' if len(table) == 1 else 'ies'} shown.")
    widgets.table(table, (), key="audit")
    widgets.download_buttons(table, "audit_log", key="audit")
    if not table.empty:
        chosen = st.selectbox("Show the plan of entry", list(table["entry_id"]), key="aud-entry")
        st.json(json.loads(frame.loc[frame["entry_id"] == chosen, "plan"].iloc[0]), expanded=2)


def audit_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Audit entries for display and download: record ids as text, plans summarised."""
    out = frame.copy()
    out["record_ids"] = [", ".join(ids) for ids in out["record_ids"]]
    out["plan"] = [_plan_summary(text) for text in out["plan"]]
    first = [c for c in AUDIT_COLUMNS if c in out.columns]
    return out[first + [c for c in out.columns if c not in first]].reset_index(drop=True)


def _plan_summary(text: str) -> str:
    data = json.loads(text)
    calls = "; ".join(f"{c['method']} {c['path']}" for c in data.get("calls", []))
    return data.get("refusal") or calls or "; ".join(data.get("notes", [])[:1])


def _day_bounds(days: object) -> tuple[datetime | None, datetime | None]:
    if not isinstance(days, tuple | list) or not days:
        return None, None
    start = datetime.combine(days[0], time.min, UTC)
    end_day = days[1] if len(days) > 1 else days[0]
    return start, datetime.combine(end_day, time.max, UTC)
