"""The Shopify fulfillment input: shape validation and mapping onto fulfillment orders."""

from __future__ import annotations

from typing import Any

import pytest

from suiteops.actions import shopify
from suiteops.errors import ActionError

LINES = [
    {"lineItemId": "gid://shopify/LineItem/11", "quantity": 2},
    {"lineItemId": "gid://shopify/LineItem/12", "quantity": 1},
]
TRACKING = shopify.tracking_info("ups", "UPS Ground", ["1Z1", "1Z2"])


def fulfillment_orders(remaining: int = 5, status: str = "OPEN") -> dict[str, Any]:
    return {"data": {"order": {"fulfillmentOrders": {"nodes": [
        {"id": "gid://shopify/FulfillmentOrder/1", "status": status, "lineItems": {"nodes": [
            {"id": "gid://shopify/FulfillmentOrderLineItem/101", "remainingQuantity": remaining,
             "lineItem": {"id": "gid://shopify/LineItem/11"}}]}},
        {"id": "gid://shopify/FulfillmentOrder/2", "status": "OPEN", "lineItems": {"nodes": [
            {"id": "gid://shopify/FulfillmentOrderLineItem/201", "remainingQuantity": 1,
             "lineItem": {"id": "gid://shopify/LineItem/12"}}]}},
    ]}}}}  # fmt: skip


def test_tracking_info_names_the_carrier_company() -> None:
    assert TRACKING == {"numbers": ["1Z1", "1Z2"], "company": "UPS"}
    assert shopify.tracking_info(None, "Local courier", []) == {
        "numbers": [],
        "company": "Local courier",
    }


def test_lines_map_onto_their_fulfillment_orders() -> None:
    built = shopify.fulfillment_input(LINES, fulfillment_orders(), notify=True, tracking=TRACKING)
    assert built == {
        "lineItemsByFulfillmentOrder": [
            {"fulfillmentOrderId": "gid://shopify/FulfillmentOrder/1",
             "fulfillmentOrderLineItems": [
                 {"id": "gid://shopify/FulfillmentOrderLineItem/101", "quantity": 2}]},
            {"fulfillmentOrderId": "gid://shopify/FulfillmentOrder/2",
             "fulfillmentOrderLineItems": [
                 {"id": "gid://shopify/FulfillmentOrderLineItem/201", "quantity": 1}]},
        ],
        "notifyCustomer": True,
        "trackingInfo": TRACKING,
    }  # fmt: skip
    assert shopify.validate(built) == []


@pytest.mark.parametrize(("orders", "message"), [
    (fulfillment_orders(remaining=1), "only 1 remain open"),
    (fulfillment_orders(status="CLOSED"), "on no open fulfillment order"),
    ({"data": {"order": None}}, "not a Shopify fulfillmentOrders response"),
])  # fmt: skip
def test_unresolvable_lines_are_refused(orders: dict[str, Any], message: str) -> None:
    with pytest.raises(ActionError, match=message):
        shopify.fulfillment_input(LINES, orders, notify=False, tracking=TRACKING)


@pytest.mark.parametrize(("data", "problem"), [
    ({}, "lineItemsByFulfillmentOrder must be a non-empty list"),
    ({"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": "7"}]},
     "must be a FulfillmentOrder gid"),
    ({"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": "gid://shopify/FulfillmentOrder/1",
      "fulfillmentOrderLineItems": [{"id": "gid://x/1", "quantity": 0}]}]}, "positive integer"),
    ({"notifyCustomer": "yes"}, "notifyCustomer must be a boolean"),
    ({"trackingInfo": {"numbers": "1Z"}}, "trackingInfo.numbers must be a list"),
    ({"trackingInfo": {"carrier": "UPS"}}, "unknown field 'carrier'"),
    ({"lineItems": []}, "unknown field 'lineItems'"),
])  # fmt: skip
def test_validate_names_each_problem(data: dict[str, Any], problem: str) -> None:
    assert any(problem in p for p in shopify.validate(data))


@pytest.mark.parametrize(("change", "problem"), [
    ({"orderId": "5"}, "orderId must be an Order gid"),
    ({"lineItems": []}, "lineItems must be a non-empty list"),
    ({"lineItems": [{"lineItemId": "gid://shopify/LineItem/1", "quantity": 1.5}]},
     "positive integer"),
    ({"notifyCustomer": None}, "notifyCustomer must be a boolean"),
])  # fmt: skip
def test_validate_document(change: dict[str, Any], problem: str) -> None:
    doc = {"orderId": "gid://shopify/Order/1", "lineItems": LINES, "notifyCustomer": True,
           "trackingInfo": TRACKING}  # fmt: skip
    assert shopify.validate_document(doc) == []
    assert any(problem in p for p in shopify.validate_document({**doc, **change}))
