"""Order lookup shaping: term checks, match labels, the timeline and the order's story."""

from __future__ import annotations

import pandas as pd
import pytest

from suiteops.views.lookup import (
    TermKind,
    clean_term,
    match_label,
    matches,
    story,
    term_kind,
    timeline,
    timeline_frame,
)


@pytest.mark.parametrize(
    ("term", "kind"),
    [
        ("#1001", TermKind.SHOPIFY_NAME),
        ("5550001", TermKind.SHOPIFY_ID),
        ("SO1042", TermKind.SO_NUMBER),
        ("so-17", TermKind.SO_NUMBER),
        ("ann@example.com", TermKind.EMAIL),
        ("1Z999AA10123456784", TermKind.TRACKING),
    ],
)
def test_term_kind(term: str, kind: TermKind) -> None:
    assert term_kind(term) is kind


def test_clean_term_strips_and_refuses_empty_or_huge() -> None:
    assert clean_term("  #1001 ") == "#1001"
    with pytest.raises(ValueError, match="search term: type a Shopify order"):
        clean_term("   ")
    with pytest.raises(ValueError, match="at most 200 characters, got 201"):
        clean_term("x" * 201)


def test_matches_keep_the_query_column_order() -> None:
    frame = matches(("so_id", "so_number"), [{"so_number": "SO1", "so_id": 1}])
    assert list(frame.columns) == ["so_id", "so_number"] and frame.iloc[0].tolist() == [1, "SO1"]


def test_match_label() -> None:
    row = {
        "so_number": "SO7",
        "order_name": "#1007",
        "customer_name": "Ann",
        "status_label": "Sales Order : Pending Billing",
        "matched_by": "Customer e-mail",
    }
    assert match_label(row) == "SO7 · #1007 · Ann · Pending Billing (matched by Customer e-mail)"


ROWS = [
    {
        "event_key": "A-7",
        "event_at": "2026-11-01 09:00:00",
        "event_date": "2026-11-01",
        "event_type": "Order created",
        "record_type": "salesorder",
        "record_id": 7,
        "document_number": "SO7",
        "status": "E",
        "status_label": "Sales Order : Pending Billing / Partially Fulfilled",
        "amount": 120.0,
        "location_name": "East",
        "carrier": "ups",
        "ship_method": "UPS Ground",
    },
    {
        "event_key": "B-9-M1",
        "event_at": "2026-11-02 10:00:00",
        "event_date": "2026-11-02",
        "event_type": "Fulfillment",
        "record_type": "itemfulfillment",
        "record_id": 9,
        "document_number": "IF9",
        "status": "C",
        "status_label": "Item Fulfillment : Shipped",
        "location_name": "East",
        "carrier": "ups",
        "tracking_number": "1ZB",
    },
    {
        "event_key": "B-9-M2",
        "event_at": "2026-11-02 10:00:00",
        "event_date": "2026-11-02",
        "event_type": "Fulfillment",
        "record_type": "itemfulfillment",
        "record_id": 9,
        "document_number": "IF9",
        "status": "C",
        "status_label": "Item Fulfillment : Shipped",
        "location_name": "East",
        "carrier": "ups",
        "tracking_number": "1ZA",
    },
    {
        "event_key": "C-11",
        "event_at": "2026-11-03 08:00:00",
        "event_date": "2026-11-03",
        "event_type": "Invoice",
        "record_type": "invoice",
        "record_id": 11,
        "document_number": "INV11",
        "status": "A",
        "status_label": "Invoice : Open",
        "amount": 80.0,
    },
    {
        "event_key": "D-12",
        "event_at": "2026-11-04 08:00:00",
        "event_date": "2026-11-04",
        "event_type": "Payment",
        "record_type": "customerpayment",
        "record_id": 12,
        "document_number": "PYMT12",
        "status": "B",
        "status_label": "Payment : Not Deposited",
        "amount": 50.0,
    },
    {
        "event_key": "B-10-none",
        "event_at": "2026-11-02 11:00:00",
        "event_date": "2026-11-02",
        "event_type": "Fulfillment",
        "record_type": "itemfulfillment",
        "record_id": 10,
        "document_number": "IF10",
        "status": "C",
        "status_label": "Item Fulfillment : Shipped",
        "location_name": "West",
    },
]


def test_timeline_groups_a_fulfillments_tracking_numbers_and_sorts_by_time() -> None:
    events = timeline(list(reversed(ROWS)), "123_SB1")
    assert [e.document for e in events] == ["SO7", "IF9", "IF10", "INV11", "PYMT12"]
    assert events[1].tracking == ("1ZA", "1ZB") and events[2].tracking == ()
    assert events[0].status == "Pending Billing / Partially Fulfilled"
    assert events[1].link == (
        "https://123-sb1.app.netsuite.com/app/accounting/transactions/itemship.nl?id=9#IF9"
    )
    assert events[4].link.endswith("custpymt.nl?id=12#PYMT12")  # type: ignore[union-attr]


def test_timeline_without_account_has_no_links() -> None:
    assert all(e.link is None for e in timeline(ROWS, ""))


def test_timeline_frame_and_story() -> None:
    events = timeline(ROWS, "1")
    frame = timeline_frame(events)
    assert frame["tracking_numbers"].fillna("").tolist() == ["", "1ZA, 1ZB", "", "", ""]
    order = {"status_label": "Sales Order : Pending Billing", "order_total": 120.0}
    got = {m.label: m.value for m in story(order, events)}
    assert got == {
        "Status": "Pending Billing",
        "Order total": 120.0,
        "Fulfillments": 2,
        "Tracking numbers": 2,
        "Billed": 80.0,
        "Paid": 50.0,
    }


def test_cash_sale_counts_as_paid() -> None:
    rows = [
        {
            "event_at": "1",
            "event_type": "Cash sale",
            "record_type": "cashsale",
            "record_id": 3,
            "document_number": "CS3",
            "amount": 30.0,
        }
    ]
    got = {m.label: m.value for m in story({}, timeline(rows, "1"))}
    assert got["Billed"] == 30.0 and got["Paid"] == 30.0


def test_timeline_from_a_frame_shows_missing_values_as_missing_not_nan() -> None:
    rows = pd.DataFrame(ROWS).to_dict("records")  # NaN where a row lacks a column
    events = timeline(rows, "1")
    frame = timeline_frame(events)
    assert "nan" not in frame.astype(str).to_numpy().ravel().tolist()
    assert events[1].tracking == ("1ZA", "1ZB") and events[0].tracking == ()
    assert events[3].document == "INV11" and events[3].location is None
    assert events[2].amount is None  # IF10 has no amount column at all
