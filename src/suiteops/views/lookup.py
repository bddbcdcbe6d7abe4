"""Support's order lookup: clean the search term, shape the live results and the timeline.

The search itself is the live query `order_search` (one term matched against the Shopify order
name and id, the sales order number, the customer e-mail and tracking numbers); the timeline is
`order_timeline` for the chosen order. Both run through the client, never from the cache.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

import pandas as pd

from suiteops.views.kpis import Metric
from suiteops.views.links import RECORD_TYPES, record_url

MAX_TERM = 200


class TermKind(Enum):
    """What a search term looks like (a hint shown to the user; the query tries every field)."""

    SHOPIFY_NAME = "Shopify order name"
    SHOPIFY_ID = "Shopify order id or number"
    SO_NUMBER = "sales order number"
    EMAIL = "customer e-mail"
    TRACKING = "tracking number"


_PATTERNS: tuple[tuple[re.Pattern[str], TermKind], ...] = (
    (re.compile(r"^#\d+$"), TermKind.SHOPIFY_NAME),
    (re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"), TermKind.EMAIL),
    (re.compile(r"^\d+$"), TermKind.SHOPIFY_ID),
    (re.compile(r"^SO[-\s]?\d+$", re.IGNORECASE), TermKind.SO_NUMBER),
)


def clean_term(term: str) -> str:
    """The term stripped; a ValueError saying why when it is empty or too long."""
    text = (term or "").strip()
    if not text:
        raise ValueError(
            "search term: type a Shopify order (#1001), SO number, e-mail or tracking #"
        )
    if len(text) > MAX_TERM:
        raise ValueError(f"search term: at most {MAX_TERM} characters, got {len(text)}")
    return text


def term_kind(term: str) -> TermKind:
    """What `term` most looks like (anything else is taken for a tracking number)."""
    text = term.strip()
    return next((kind for pattern, kind in _PATTERNS if pattern.match(text)), TermKind.TRACKING)


def matches(columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The search result rows as a frame with the query's columns, in its order."""
    return pd.DataFrame([dict(r) for r in rows], columns=list(columns))


def match_label(row: Mapping[str, Any]) -> str:
    """`SO1042 · #1001 · Ann Lee · Pending Fulfillment (matched by e-mail)` for a picker."""
    status = str(row.get("status_label") or "").split(" : ")[-1]
    parts = [row.get("so_number"), row.get("order_name"), row.get("customer_name"), status]
    text = " · ".join(str(p) for p in parts if p not in (None, ""))
    return f"{text} (matched by {row.get('matched_by')})" if row.get("matched_by") else text


@dataclass(frozen=True)
class Event:
    """One step of an order's story: created, a fulfillment, a bill or a payment."""

    at: str
    date: str
    kind: str
    document: str
    status: str
    amount: float | None
    location: str | None
    carrier: str | None
    ship_method: str | None
    tracking: tuple[str, ...]
    link: str | None


TIMELINE_COLUMNS = (
    "date", "event", "document", "status", "amount", "location", "carrier", "ship_method",
    "tracking_numbers", "link",
)  # fmt: skip


def timeline(rows: Sequence[Mapping[str, Any]], account: str) -> list[Event]:
    """The events of `order_timeline` rows in time order, one per record (a fulfillment's rows,
    one per tracking number, become one event listing every number)."""
    by_record: dict[tuple[str, object], list[Mapping[str, Any]]] = {}
    for row in rows:
        by_record.setdefault((str(row.get("event_type")), row.get("record_id")), []).append(row)
    events = [_event(group, account) for group in by_record.values()]
    return sorted(events, key=lambda e: (e.at, e.kind, e.document))


def _present(value: Any) -> Any:
    """`value`, or None when it is missing (None, or NaN/NA from a DataFrame round trip)."""
    if value is None or (not isinstance(value, (str, bytes)) and pd.isna(value)):
        return None
    return value


def _event(group: list[Mapping[str, Any]], account: str) -> Event:
    first = {k: _present(v) for k, v in group[0].items()}
    numbers = (_present(r.get("tracking_number")) for r in group)
    tracking = tuple(sorted({str(n) for n in numbers if n}))
    record = RECORD_TYPES.get(str(first.get("record_type") or "").lower())
    rid = first.get("record_id")
    link = None
    if record is not None and rid is not None and account:
        link = record_url(account, record, rid, first.get("document_number"))
    return Event(
        at=str(first.get("event_at") or first.get("event_date") or ""),
        date=str(first.get("event_date") or ""),
        kind=str(first.get("event_type") or ""),
        document=str(first.get("document_number") or ""),
        status=str(first.get("status_label") or first.get("status") or "").split(" : ")[-1],
        amount=None if first.get("amount") is None else float(first["amount"]),
        location=first.get("location_name"),
        carrier=first.get("carrier"),
        ship_method=first.get("ship_method"),
        tracking=tracking,
        link=link,
    )


def timeline_frame(events: Sequence[Event]) -> pd.DataFrame:
    """The events as a table (tracking numbers joined with ', ')."""
    rows = [
        (e.date, e.kind, e.document, e.status, e.amount, e.location, e.carrier, e.ship_method,
         ", ".join(e.tracking) or None, e.link)
        for e in events
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=list(TIMELINE_COLUMNS), dtype="object")


def story(order: Mapping[str, Any], events: Sequence[Event]) -> list[Metric]:
    """The order at a glance: status, total, fulfillments, tracking numbers, billed and paid."""
    fulfillments = [e for e in events if e.kind == "Fulfillment"]
    bills = [e for e in events if e.kind in {"Invoice", "Cash sale"}]
    # a cash sale is paid when it is made; invoices are paid by payments
    paid = [e for e in events if e.kind in {"Payment", "Cash sale"}]
    status = str(order.get("status_label") or "").split(" : ")[-1]
    return [
        Metric("Status", status),
        Metric("Order total", float(order.get("order_total") or 0)),
        Metric("Fulfillments", len(fulfillments)),
        Metric("Tracking numbers", sum(len(e.tracking) for e in fulfillments)),
        Metric("Billed", round(sum(e.amount or 0 for e in bills), 2)),
        Metric("Paid", round(sum(e.amount or 0 for e in paid), 2)),
    ]
