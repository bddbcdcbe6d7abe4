"""KPI metrics of a data page, computed from the (filtered) frame it shows."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from suiteops.views.columns import Role, column


@dataclass(frozen=True)
class Metric:
    """One KPI: a label, its value, and an optional change and help text."""

    label: str
    value: float | int | str
    delta: float | int | None = None
    help: str = ""

    def formatted(self) -> str:
        """The value as shown: thousands separators, amounts with two decimals."""
        return format_value(self.value)


def format_value(value: float | int | str) -> str:
    """`1234` → `1,234`; `1234.5` → `1,234.50`; text unchanged."""
    if isinstance(value, bool | str):
        return str(value)
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def orders(frame: pd.DataFrame) -> int:
    """Distinct sales orders in the frame (rows when it has no order id)."""
    name = column(frame, Role.SO_ID)
    return int(frame[name].nunique()) if name else len(frame)


def total(frame: pd.DataFrame, role: Role) -> float | None:
    """The sum of the column playing `role` (None when the frame has none)."""
    name = column(frame, role)
    if name is None:
        return None
    return round(float(pd.to_numeric(frame[name], errors="coerce").fillna(0).sum()), 2)


def metrics(frame: pd.DataFrame) -> list[Metric]:
    """Rows, orders, amount, quantity, median and oldest age: those the frame can answer."""
    out = [Metric("Rows", len(frame)), Metric("Orders", orders(frame))]
    fulfillments = column(frame, Role.FULFILLMENT_ID)
    if fulfillments is not None:
        out.append(Metric("Fulfillments", int(frame[fulfillments].nunique())))
    amount = total(frame, Role.AMOUNT)
    if amount is not None:
        out.append(Metric("Amount", amount, help="Sum of the amount column of the rows shown"))
    quantity = total(frame, Role.QUANTITY)
    if quantity is not None:
        out.append(Metric("Units", quantity, help="Sum of the open/remaining quantity shown"))
    age = column(frame, Role.AGE)
    if age is not None and not frame.empty:
        ages = pd.to_numeric(frame[age], errors="coerce").dropna()
        if not ages.empty:
            out.append(Metric("Median age (d)", round(float(ages.median()), 1)))
            out.append(Metric("Oldest (d)", round(float(ages.max()), 1)))
    return out
