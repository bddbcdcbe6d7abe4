"""The shape of Shopify's `fulfillmentCreate` input, and building it from NetSuite facts.

`FulfillmentInput` (Admin GraphQL) is:

    lineItemsByFulfillmentOrder: [{fulfillmentOrderId: ID!,
                                   fulfillmentOrderLineItems: [{id: ID!, quantity: Int!}]}]!
    notifyCustomer: Boolean
    trackingInfo: {company: String, number: String, numbers: [String], url: String,
                   urls: [String]}
    originAddress: {...}

It addresses *fulfillment order* line items, which only Shopify knows; NetSuite knows the order
line item ids the connector stored (`custcol_celigo_etail_order_line_id`). So the payload is
built in two steps: `order_lines` (order line item → quantity, from NetSuite) and, once the
order's fulfillment orders are read from Shopify with `RESOLVE_QUERY`, `fulfillment_input`
maps each order line onto its fulfillment order line item. `validate` checks the shape.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from suiteops.errors import ActionError

ORDER_GID = "gid://shopify/Order/{}"
LINE_GID = "gid://shopify/LineItem/{}"

RESOLVE_QUERY = """query FulfillmentOrders($orderId: ID!) {
  order(id: $orderId) {
    fulfillmentOrders(first: 50) {
      nodes { id status lineItems(first: 250) {
        nodes { id remainingQuantity lineItem { id } } } }
    }
  }
}"""

CARRIERS = MappingProxyType({"ups": "UPS", "fedex": "FedEx", "usps": "USPS", "dhl": "DHL Express"})

_INPUT_KEYS = frozenset(
    {"lineItemsByFulfillmentOrder", "notifyCustomer", "trackingInfo", "originAddress"}
)
_TRACKING_KEYS = frozenset({"company", "number", "numbers", "url", "urls"})


def tracking_info(carrier: str | None, ship_method: str | None, numbers: Sequence[str]) -> dict:
    """`FulfillmentTrackingInput` from the fulfillment's carrier and tracking numbers."""
    company = CARRIERS.get((carrier or "").strip().lower()) or ship_method or None
    info: dict[str, Any] = {"numbers": list(numbers)}
    if company:
        info["company"] = company
    return info


def fulfillment_input(
    lines: Sequence[Mapping[str, Any]],
    fulfillment_orders: Mapping[str, Any],
    *,
    notify: bool,
    tracking: Mapping[str, Any],
) -> dict[str, Any]:
    """Map `lines` ({lineItemId, quantity}) onto the order's fulfillment orders (Shopify JSON)."""
    where = _line_index(fulfillment_orders)
    grouped: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        gid = line["lineItemId"]
        if gid not in where:
            raise ActionError(f"order line {gid} is on no open fulfillment order in Shopify")
        fo_id, fo_line_id, remaining = where[gid]
        if line["quantity"] > remaining:
            raise ActionError(
                f"order line {gid}: {line['quantity']} to fulfil but only {remaining} remain "
                "open in Shopify (already fulfilled there?)"
            )
        grouped.setdefault(fo_id, []).append({"id": fo_line_id, "quantity": line["quantity"]})
    by_order = [
        {"fulfillmentOrderId": fo, "fulfillmentOrderLineItems": items}
        for fo, items in grouped.items()
    ]
    result = {
        "lineItemsByFulfillmentOrder": by_order,
        "notifyCustomer": notify,
        "trackingInfo": dict(tracking),
    }
    problems = validate(result)
    if problems:
        raise ActionError("built fulfillment input is invalid: " + "; ".join(problems))
    return result


def _line_index(data: Mapping[str, Any]) -> dict[str, tuple[str, str, int]]:
    """order line gid → (fulfillment order id, its line item id, remaining quantity)."""
    root = data.get("data", data)
    try:
        nodes = root["order"]["fulfillmentOrders"]["nodes"]
        return {
            item["lineItem"]["id"]: (fo["id"], item["id"], int(item["remainingQuantity"]))
            for fo in nodes
            if fo.get("status", "OPEN") in {"OPEN", "IN_PROGRESS", "SCHEDULED"}
            for item in fo["lineItems"]["nodes"]
        }
    except (KeyError, TypeError, ValueError) as exc:
        raise ActionError(
            f"not a Shopify fulfillmentOrders response (missing or bad {exc}); run the "
            "resolve query shown with the payload and paste its JSON"
        ) from None


def validate(data: Any) -> list[str]:
    """Every way `data` breaks the `FulfillmentInput` shape (empty when it conforms)."""
    if not isinstance(data, Mapping):
        return ["FulfillmentInput must be an object"]
    problems = [f"unknown field {k!r}" for k in data if k not in _INPUT_KEYS]
    groups = data.get("lineItemsByFulfillmentOrder")
    if not isinstance(groups, list) or not groups:
        problems.append("lineItemsByFulfillmentOrder must be a non-empty list")
        groups = []
    for i, group in enumerate(groups):
        problems += _group_problems(f"lineItemsByFulfillmentOrder[{i}]", group)
    if "notifyCustomer" in data and not isinstance(data["notifyCustomer"], bool):
        problems.append("notifyCustomer must be a boolean")
    if "trackingInfo" in data:
        problems += _tracking_problems(data["trackingInfo"])
    return problems


def validate_document(doc: Any) -> list[str]:
    """Every way a payload document (see `fulfillment_payload`) breaks the expected shape."""
    if not isinstance(doc, Mapping):
        return ["payload must be an object"]
    problems = []
    if not str(doc.get("orderId", "")).startswith("gid://shopify/Order/"):
        problems.append("orderId must be an Order gid")
    items = doc.get("lineItems")
    if not isinstance(items, list) or not items:
        problems.append("lineItems must be a non-empty list")
        items = []
    for i, item in enumerate(items):
        if not str(item.get("lineItemId", "")).startswith("gid://shopify/LineItem/"):
            problems.append(f"lineItems[{i}].lineItemId must be a LineItem gid")
        if not isinstance(item.get("quantity"), int) or item["quantity"] < 1:
            problems.append(f"lineItems[{i}].quantity must be a positive integer")
    if not isinstance(doc.get("notifyCustomer"), bool):
        problems.append("notifyCustomer must be a boolean")
    return problems + _tracking_problems(doc.get("trackingInfo"))


def _group_problems(where: str, group: Any) -> list[str]:
    if not isinstance(group, Mapping):
        return [f"{where} must be an object"]
    problems = []
    if not str(group.get("fulfillmentOrderId", "")).startswith("gid://shopify/FulfillmentOrder/"):
        problems.append(f"{where}.fulfillmentOrderId must be a FulfillmentOrder gid")
    for j, item in enumerate(group.get("fulfillmentOrderLineItems") or []):
        at = f"{where}.fulfillmentOrderLineItems[{j}]"
        if not isinstance(item, Mapping) or not str(item.get("id", "")).startswith("gid://"):
            problems.append(f"{at}.id must be a gid")
        elif not isinstance(item.get("quantity"), int) or item["quantity"] < 1:
            problems.append(f"{at}.quantity must be a positive integer")
    return problems


def _tracking_problems(info: Any) -> list[str]:
    if not isinstance(info, Mapping):
        return ["trackingInfo must be an object"]
    problems = [f"trackingInfo: unknown field {k!r}" for k in info if k not in _TRACKING_KEYS]
    for key in ("numbers", "urls"):
        value = info.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            problems.append(f"trackingInfo.{key} must be a list of non-empty strings")
    for key in ("company", "number", "url"):
        if key in info and not isinstance(info[key], str):
            problems.append(f"trackingInfo.{key} must be a string")
    return problems
