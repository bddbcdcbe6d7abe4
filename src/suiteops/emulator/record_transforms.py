"""`POST /record/v1/salesOrder/{id}/!transform/{invoice|cashSale|itemFulfillment}` and the
sales-order upsert (`PUT /record/v1/salesOrder/eid:{externalId}`).

Transforms (DOC:section_157901123882, DOC:section_159795520083, DOC:section_159665260887):
- to invoice / cash sale: an empty body bills every fulfilled-but-unbilled quantity (plus, on
  the first bill, lines that are not fulfilled at all, such as discounts); `item.items` with
  `orderLine` + `quantity` bills only those. Nothing to bill → 400 USER_ERROR. OrdBill links.
  The new invoice is status A (Open), the new cash sale B (Not Deposited).
- to item fulfillment: `inventoryLocation` is required, and `item.items` lines with `orderLine`
  and `quantity` (`itemReceive: false` skips a line; `location` overrides the line's). A
  quantity above the line's unfulfilled remainder is 400 USER_ERROR. ShipRcpt links; status C
  (Shipped).
- The sales order's quantities and status follow; success is 204 with `Location` of the new
  record (inferred from create, §8.12).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

import duckdb

from suiteops.emulator.problems import ErrorCode, Problem, bad_request
from suiteops.emulator.record_create import (
    Link,
    NewLine,
    NewTransaction,
    copied_header,
    insert_links,
    insert_transaction,
)
from suiteops.emulator.record_writes import apply_body, body_updates, refresh_so_status
from suiteops.emulator.records import RecordType, fetch_dicts

_SO_LINES = """
    SELECT id, item, itemtype, abs(quantity) AS ordered, coalesce(quantityshiprecv, 0) AS shipped,
           coalesce(quantitybilled, 0) AS billed, isclosed, fulfillable, location, rate
    FROM transactionline
    WHERE transaction = ? AND mainline = 'F' AND coalesce(taxline, 'F') = 'F'
      AND kitmemberof IS NULL AND item IS NOT NULL AND quantity IS NOT NULL
    ORDER BY id
"""
BILL_TYPES = {"CustInvc": "A", "CashSale": "B"}


def user_error(detail: str) -> Problem:
    """A 400 USER_ERROR."""
    return bad_request(detail, ErrorCode.USER_ERROR)


def _requested(body: dict[str, Any]) -> list[dict[str, Any]] | None:
    items = body.get("item")
    if items is None:
        return None
    entries = items.get("items") if isinstance(items, dict) else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise bad_request(
            "Invalid field 'item': expected {\"items\": [...]}.", ErrorCode.INVALID_CONTENT
        )
    return entries


def _quantity(entry: dict[str, Any], index: int) -> tuple[int, Decimal]:
    try:
        line = int(entry["orderLine"])
        return line, Decimal(str(entry["quantity"]))
    except (KeyError, TypeError, ValueError, InvalidOperation):
        raise bad_request(
            f"item.items[{index}] needs a numeric 'orderLine' and 'quantity'.",
            ErrorCode.INVALID_CONTENT,
        ) from None


def _id_of(value: Any) -> int | None:
    value = value.get("id") if isinstance(value, dict) else value
    try:
        return None if value is None else int(value)
    except (TypeError, ValueError):
        raise bad_request(
            f"Invalid reference {value!r}: expected an internal id.", ErrorCode.INVALID_CONTENT
        ) from None


def _order(cur: duckdb.DuckDBPyConnection, so_id: int) -> tuple[str, dict[int, dict[str, Any]]]:
    row = cur.execute(
        "SELECT status FROM transaction WHERE id = ? AND type = 'SalesOrd'", [so_id]
    ).fetchone()
    if row is None:
        raise Problem(
            404, ErrorCode.NONEXISTENT_ID, f"The record instance salesOrder {so_id} does not exist."
        )
    lines = {int(ln["id"]): ln for ln in fetch_dicts(cur, _SO_LINES, [so_id])}
    return str(row[0]), lines


def _new_line(line: dict[str, Any], quantity: Decimal, location: int | None) -> NewLine:
    return NewLine(
        item=line["item"],
        quantity=quantity,
        rate=line["rate"],
        location=location,
        itemtype=line["itemtype"],
        fulfillable=line["fulfillable"] == "T",
        order_line=int(line["id"]),
    )


def _bill_lines(lines: dict[int, dict[str, Any]], body: dict[str, Any]) -> list[NewLine]:
    requested = _requested(body)
    if requested is None:
        out = [
            _new_line(ln, ln["shipped"] - ln["billed"], ln["location"])
            for ln in lines.values()
            if ln["fulfillable"] == "T" and ln["shipped"] > ln["billed"]
        ]
        if out and not any(ln["billed"] for ln in lines.values()):
            out += [
                _new_line(ln, ln["ordered"], ln["location"])
                for ln in lines.values()
                if ln["fulfillable"] != "T" and ln["ordered"] > 0
            ]
        return sorted(out, key=lambda n: n.order_line or 0)
    out = []
    for index, entry in enumerate(requested):
        number, qty = _quantity(entry, index)
        line = lines.get(number)
        if line is None:
            raise user_error(f"item.items[{index}]: order line {number} does not exist.")
        billable = (line["shipped"] if line["fulfillable"] == "T" else line["ordered"]) - line[
            "billed"
        ]
        if qty < 0 or qty > billable:
            raise user_error(
                f"item.items[{index}]: {qty} exceeds the billable {billable} on line {number}."
            )
        if qty > 0:
            out.append(_new_line(line, qty, line["location"]))
    return out


def _fulfil_lines(lines: dict[int, dict[str, Any]], body: dict[str, Any]) -> list[NewLine]:
    requested = _requested(body)
    location = _id_of(body.get("inventoryLocation"))
    if location is None or not requested:
        raise user_error(
            "Please enter value(s) for: Inventory Location and item lines (orderLine, quantity)."
        )
    out = []
    for index, entry in enumerate(requested):
        if entry.get("itemReceive", entry.get("itemreceive", True)) is False:
            continue
        number, qty = _quantity(entry, index)
        line = lines.get(number)
        if line is None or line["fulfillable"] != "T" or line["isclosed"] == "T":
            raise user_error(f"item.items[{index}]: order line {number} cannot be fulfilled.")
        remaining = line["ordered"] - line["shipped"]
        if qty <= 0 or qty > remaining:
            raise user_error(
                f"item.items[{index}]: {qty} exceeds the remaining {remaining} on line {number}."
            )
        out.append(_new_line(line, qty, _id_of(entry.get("location")) or location))
    if not out:
        raise user_error("The fulfillment has no lines to ship.")
    return out


def transform(
    cur: duckdb.DuckDBPyConnection,
    so_id: int,
    target: RecordType,
    body: dict[str, Any],
    now: dt.datetime,
) -> int:
    """Create the target record from the sales order; return its id."""
    status, lines = _order(cur, so_id)
    if status in ("A", "C", "H"):
        raise user_error(f"Sales order {so_id} is in status {status} and cannot be transformed.")
    if target.code == "ItemShip":
        new_lines, kind, link = _fulfil_lines(lines, body), "C", "ShipRcpt"
        location = _id_of(body.get("inventoryLocation"))
    elif target.code in BILL_TYPES:
        new_lines, kind, link = _bill_lines(lines, body), BILL_TYPES[target.code], "OrdBill"
        location = new_lines[0].location if new_lines else None
    else:
        raise user_error(f"A sales order cannot be transformed into {target.rest_name}.")
    if not new_lines:
        raise user_error(f"Sales order {so_id} has nothing to bill.")
    new = NewTransaction(
        code=target.code,
        status=kind,
        location=location,
        lines=tuple(new_lines),
        header=copied_header(cur, so_id),
        created_from=so_id,
    )
    new_id = insert_transaction(cur, new, now)
    _record_progress(
        cur, so_id, new_lines, "quantityshiprecv" if link == "ShipRcpt" else "quantitybilled"
    )
    pairs = [(n.order_line or 0, i, n.amount) for i, n in enumerate(new_lines, start=1)]
    insert_links(cur, Link(link, so_id, "SalesOrd", new_id, target.code), pairs, now)
    refresh_so_status(cur, so_id, now)
    return new_id


def _record_progress(
    cur: duckdb.DuckDBPyConnection, so_id: int, lines: list[NewLine], column: str
) -> None:
    for line in lines:
        cur.execute(
            f"UPDATE transactionline SET {column} = coalesce({column}, 0) + ? "
            "WHERE transaction = ? AND id = ?",
            [line.quantity, so_id, line.order_line],
        )
        if column == "quantityshiprecv":
            _ship_kit_members(cur, so_id, line.order_line)
    cur.execute(
        "UPDATE transactionline SET isfullyshipped = CASE WHEN coalesce(quantityshiprecv, 0) "
        ">= abs(quantity) THEN 'T' ELSE 'F' END WHERE transaction = ? AND mainline = 'F' "
        "AND quantity IS NOT NULL",
        [so_id],
    )


def _ship_kit_members(cur: duckdb.DuckDBPyConnection, so_id: int, line: int | None) -> None:
    """A kit line's member lines ship in proportion (members carry `kitmemberof` = kit item)."""
    cur.execute(
        "UPDATE transactionline AS m SET quantityshiprecv = p.quantityshiprecv * m.quantity "
        "/ p.quantity FROM transactionline AS p WHERE p.transaction = ? AND p.id = ? "
        "AND p.kitmemberof IS NULL AND m.transaction = p.transaction AND m.kitmemberof = p.item",
        [so_id, line],
    )


def upsert_sales_order(
    cur: duckdb.DuckDBPyConnection, external_id: str, body: dict[str, Any], now: dt.datetime
) -> int:
    """Update the sales order with this external id, or create it; return its id."""
    found = cur.execute(
        "SELECT id FROM transaction WHERE externalid = ? AND type = 'SalesOrd'", [external_id]
    ).fetchone()
    fields = {
        k: v for k, v in body.items() if k not in {"entity", "item", "location", "externalId"}
    }
    if found is not None:
        apply_body(cur, int(found[0]), body_updates(cur, fields), now)
        return int(found[0])
    entity = _id_of(body.get("entity"))
    requested = _requested(body)
    if entity is None or not requested:
        raise user_error("Please enter value(s) for: Customer and at least one item line.")
    location = _id_of(body.get("location"))
    lines = tuple(_order_line(cur, entry, index, location) for index, entry in enumerate(requested))
    header = {"entity": entity, "externalid": external_id, **body_updates(cur, fields)}
    new = NewTransaction(code="SalesOrd", status="B", location=location, lines=lines, header=header)
    return insert_transaction(cur, new, now)


def _order_line(
    cur: duckdb.DuckDBPyConnection, entry: dict[str, Any], index: int, location: int | None
) -> NewLine:
    item = _id_of(entry.get("item"))
    row = cur.execute("SELECT itemtype, baseprice FROM item WHERE id = ?", [item]).fetchone()
    try:
        qty = Decimal(str(entry["quantity"]))
    except (KeyError, InvalidOperation):
        qty = Decimal(-1)
    if row is None or qty <= 0:
        raise bad_request(
            f"item.items[{index}] needs an existing 'item' and a positive 'quantity'.",
            ErrorCode.INVALID_CONTENT,
        )
    rate = Decimal(str(entry["rate"])) if "rate" in entry else row[1]
    return NewLine(
        item=item,
        quantity=qty,
        rate=rate,
        itemtype=row[0],
        location=_id_of(entry.get("location")) or location,
        fulfillable=row[0] in ("InvtPart", "Kit"),
    )
