"""The exceptions inbox: every exception row of every type in one list, worst first.

Each entry is one target (an order, or a fulfillment for tracking and lot problems) of one
exception type, with its reason, age, amount, the page that shows it and, where an action fixes
it, a deep link to the recovery-actions page (`/actions?action=<name>&target=<id>`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd

from suiteops.views.columns import Role, column
from suiteops.views.kpis import Metric
from suiteops.views.registry import VIEWS, ViewSpec

COLUMNS = (
    "type", "so_number", "act", "page", "reason", "age_days", "amount", "order_name", "customer",
    "location", "lines", "target", "action", "query",
)  # fmt: skip
ACTIONS_PATH = "/actions"


def action_link(action: str, target: object, label: str = "") -> str:
    """The recovery-actions page address for `action` on `target` (`#label` shown as text)."""
    query = urlencode({"action": action, "target": str(target)})
    return f"{ACTIONS_PATH}?{query}#{label or action}"


def bulk_action_link(view: ViewSpec, frame: pd.DataFrame, positions: Sequence[int]) -> str | None:
    """The recovery-actions page for the view's action on the targets of the selected rows
    (`positions` in `frame`), each target once in selection order; None when the view has no
    action or the selection holds no target."""
    rule = view.exception
    name = column(frame, rule.target) if rule is not None and rule.action else None
    if rule is None or rule.action is None or name is None or not positions:
        return None
    values = frame[name].iloc[list(positions)].dropna()
    targets = list(dict.fromkeys(_target_text(v) for v in values))
    if not targets:
        return None
    return (
        f"{ACTIONS_PATH}?{urlencode([('action', rule.action), *(('target', t) for t in targets)])}"
    )


def _target_text(value: object) -> str:
    """An id as the actions page expects it (`20002`, not `20002.0` from a float column)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def page_link(view: ViewSpec) -> str:
    """The address of the page that shows `view` (`app_pages/x.py` is served at `/x`)."""
    return f"/{Path(view.page).stem}#{view.title}"


def inbox(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """All exceptions of the cached frames (by query name), oldest first then largest amount."""
    parts = [_entries(VIEWS[name], frame) for name, frame in frames.items() if name in VIEWS]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS})
    out = pd.concat(parts, ignore_index=True)
    out = out.sort_values(
        ["age_days", "amount", "type", "target"],
        ascending=[False, False, True, True],
        na_position="last",
    )
    return out.reset_index(drop=True)[list(COLUMNS)]


def counts(box: pd.DataFrame) -> pd.DataFrame:
    """Entries and amount per exception type: columns type, entries, amount."""
    grouped = box.groupby("type", sort=True).agg(
        entries=("target", "size"), amount=("amount", "sum")
    )
    return grouped.reset_index().round({"amount": 2})


def summary(box: pd.DataFrame) -> list[Metric]:
    """KPIs of an inbox: all entries, then entries per type."""
    out = [Metric("Exceptions", len(box))]
    out += [Metric(str(r.type), int(r.entries)) for r in counts(box).itertuples()]
    return out


def _entries(view: ViewSpec, frame: pd.DataFrame) -> pd.DataFrame:
    rows = view.exception_rows(frame)
    spec = view.exception
    if rows.empty or spec is None:
        return pd.DataFrame()
    target_col = column(rows, spec.target) or column(rows, Role.SO_ID)
    work = pd.DataFrame(
        {
            "target": rows[target_col] if target_col else rows.index,
            "so_number": _col(rows, Role.SO_NUMBER),
            "order_name": _col(rows, Role.ORDER_NAME),
            "customer": _col(rows, Role.CUSTOMER),
            "location": _col(rows, Role.LOCATION),
            "age_days": pd.to_numeric(_col(rows, Role.AGE), errors="coerce"),
            "amount": pd.to_numeric(_col(rows, Role.AMOUNT), errors="coerce"),
            "reason": _col(rows, Role.REASON),
        }
    )
    grouped = work.groupby("target", sort=True, dropna=False).agg(
        so_number=("so_number", "first"),
        order_name=("order_name", "first"),
        customer=("customer", "first"),
        location=("location", _join),
        age_days=("age_days", "max"),
        amount=("amount", "sum"),
        lines=("target", "size"),
        reason=("reason", "first"),
    )
    grouped = grouped.reset_index()
    grouped["amount"] = grouped["amount"].round(2)
    grouped["type"] = spec.label
    grouped["reason"] = (
        grouped["reason"].astype("object").where(grouped["reason"].notna(), spec.reason)
    )
    grouped["query"] = view.query
    grouped["page"] = page_link(view)
    grouped["action"] = spec.action or ""
    grouped["act"] = [
        action_link(spec.action, t, str(n) if pd.notna(n) else str(t)) if spec.action else None
        for t, n in zip(grouped["target"], grouped["so_number"], strict=True)
    ]
    return grouped


def _col(frame: pd.DataFrame, role: Role) -> pd.Series:
    name = column(frame, role)
    if name is None:
        return pd.Series([None] * len(frame), index=frame.index, dtype="object")
    return frame[name]


def _join(values: pd.Series) -> str | None:
    distinct = sorted({str(v) for v in values.dropna()})
    return ", ".join(distinct) if distinct else None
