"""The REST record API subset (reference §5): reading transactions in NetSuite's REST shape.

Record types are matched case-insensitively (`salesOrder`, `salesorder`). Reads return the
record as if `expandSubResources=true` were given: the `item` sublist comes inline as
`{"items": [...]}` (NetSuite would otherwise return only a link to it). Ids are strings,
quantities and amounts JSON numbers (positive, whatever the sign in SuiteQL), dates ISO 8601
(`2026-07-21`, `2026-07-21T17:32:28Z`), checkbox fields JSON booleans, list fields
`{"id", "refName"}`. Kit member lines are hidden, as in the UI's item sublist.

Writes live in record_writes.py (PATCH, upsert) and record_transforms.py (transforms).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import duckdb

from suiteops.emulator.problems import not_found
from suiteops.emulator.schema import STATUS_LABELS

RECORD_PREFIX = "/services/rest/record/v1"

# REST record type (lower case) → (transaction.type code, REST name used in Location URLs).
RECORD_TYPES: dict[str, tuple[str, str]] = {
    "salesorder": ("SalesOrd", "salesOrder"),
    "itemfulfillment": ("ItemShip", "itemFulfillment"),
    "invoice": ("CustInvc", "invoice"),
    "cashsale": ("CashSale", "cashSale"),
}

# transaction column → REST body field, for plain body fields.
BODY_FIELDS: dict[str, str] = {
    "tranid": "tranId",
    "otherrefnum": "otherRefNum",
    "externalid": "externalId",
    "memo": "memo",
    "shipcarrier": "shipCarrier",
}

_HEADER_SQL = """
    SELECT t.*, c.altname AS entity_name, m.location AS header_location,
           l.name AS header_location_name, m.createdfrom AS created_from,
           src.tranid AS created_from_name
    FROM transaction t
    LEFT JOIN customer c ON c.id = t.entity
    LEFT JOIN transactionline m ON m.transaction = t.id AND m.mainline = 'T'
    LEFT JOIN location l ON l.id = m.location
    LEFT JOIN transaction src ON src.id = m.createdfrom
    WHERE t.id = ? AND t.type = ?
"""

_LINES_SQL = """
    SELECT tl.id, tl.item, i.itemid, tl.quantity, tl.quantityshiprecv, tl.quantitybilled,
           tl.isclosed, tl.location, l.name, tl.rate, tl.amount,
           (SELECT min(k.previousline) FROM previoustransactionlinelink k
             WHERE k.nextdoc = tl.transaction AND k.nextline = tl.id) AS order_line
    FROM transactionline tl
    LEFT JOIN item i ON i.id = tl.item
    LEFT JOIN location l ON l.id = tl.location
    WHERE tl.transaction = ? AND tl.mainline = 'F' AND coalesce(tl.taxline, 'F') = 'F'
      AND tl.kitmemberof IS NULL
    ORDER BY tl.linesequencenumber, tl.id
"""


@dataclass(frozen=True)
class RecordType:
    """A supported record type: its transaction code and REST name."""

    code: str
    rest_name: str

    @classmethod
    def parse(cls, name: str) -> RecordType:
        """The record type for a URL segment, or 404 NONEXISTENT_ID."""
        found = RECORD_TYPES.get(name.lower())
        if found is None:
            raise not_found(f"The record type {name!r} is not supported by the emulator.")
        return cls(*found)

    def location(self, record_id: int) -> str:
        """The record's path (the `Location` header NetSuite sends after a write)."""
        return f"{RECORD_PREFIX}/{self.rest_name}/{record_id}"


def iso_datetime(value: dt.datetime | None) -> str | None:
    """`2026-07-21T17:32:28Z` (stored values are naive UTC)."""
    return None if value is None else value.replace(microsecond=0).isoformat() + "Z"


def ref(value: object, name: object) -> dict[str, str] | None:
    """A list/record field: `{"id": "5", "refName": "East DC"}`."""
    if value is None:
        return None
    return {"id": str(value), "refName": str(name if name is not None else value)}


def number(value: Decimal | float | int | None) -> float | int | None:
    """A JSON number, positive (SuiteQL's sales-side sign is not the record API's)."""
    if value is None:
        return None
    magnitude = abs(Decimal(str(value)))
    return int(magnitude) if magnitude == magnitude.to_integral_value() else float(magnitude)


def fetch_dicts(
    cur: duckdb.DuckDBPyConnection, sql: str, params: list[Any]
) -> list[dict[str, Any]]:
    """Rows as dicts keyed by column name."""
    rows = cur.execute(sql, params).fetchall()
    names = [d[0] for d in cur.description or ()]
    return [dict(zip(names, row, strict=True)) for row in rows]


def read_transaction(
    cur: duckdb.DuckDBPyConnection, kind: RecordType, record_id: int
) -> dict[str, Any]:
    """The record in NetSuite's REST shape, or 404 NONEXISTENT_ID."""
    found = fetch_dicts(cur, _HEADER_SQL, [record_id, kind.code])
    if not found:
        raise not_found(f"The record instance {kind.rest_name} {record_id} does not exist.")
    header = found[0]
    lines = fetch_dicts(cur, _LINES_SQL, [record_id])
    return {
        **_body(kind, header),
        "item": {"items": [_line(kind, ln) for ln in lines], "totalResults": len(lines)},
    }


def _status(kind: RecordType, header: dict[str, Any]) -> dict[str, str]:
    label = STATUS_LABELS.get((kind.code, header["status"]), header["status"])
    return {"id": header["status"], "refName": label}


def _body(kind: RecordType, header: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "links": [{"rel": "self", "href": kind.location(header["id"])}],
        "id": str(header["id"]),
        "tranDate": header["trandate"].isoformat(),
        "createdDate": iso_datetime(header["createddate"]),
        "lastModifiedDate": iso_datetime(header["lastmodifieddate"]),
        "entity": ref(header["entity"], header["entity_name"]),
        "location": ref(header["header_location"], header["header_location_name"]),
        "total": number(header["foreigntotal"]),
        "orderStatus" if kind.code == "SalesOrd" else "status": _status(kind, header),
    }
    if header["created_from"] is not None:
        body["createdFrom"] = ref(header["created_from"], header["created_from_name"])
    for column, name in BODY_FIELDS.items():
        if header.get(column) is not None:
            body[name] = header[column]
    for column, value in header.items():
        if column.startswith("custbody_") and value is not None:
            body[column] = _custom_value(value)
    return {k: v for k, v in body.items() if v is not None}


def _custom_value(value: object) -> object:
    """Checkbox text `T`/`F` → JSON boolean; other custom values as stored."""
    if value in ("T", "F"):
        return value == "T"
    return value


def _line(kind: RecordType, line: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "links": [],
        "line": int(line["id"]),
        "item": ref(line["item"], line["itemid"]),
        "quantity": number(line["quantity"]),
        "location": ref(line["location"], line["name"]),
        "rate": number(line["rate"]),
        "amount": number(line["amount"]),
    }
    if kind.code == "SalesOrd":
        out["quantityFulfilled"] = number(line["quantityshiprecv"]) or 0
        out["quantityBilled"] = number(line["quantitybilled"]) or 0
        out["isClosed"] = line["isclosed"] == "T"
    elif line["order_line"] is not None:
        out["orderLine"] = int(line["order_line"])
    return {k: v for k, v in out.items() if v is not None}


def resolve_id(cur: duckdb.DuckDBPyConnection, kind: RecordType, key: str) -> int:
    """An internal id from a URL segment (`123` or `eid:ABC`), or 404 NONEXISTENT_ID."""
    if key.startswith("eid:"):
        found = cur.execute(
            "SELECT id FROM transaction WHERE externalid = ? AND type = ?", [key[4:], kind.code]
        ).fetchone()
        if found is None:
            raise not_found(f"The record instance {kind.rest_name} {key} does not exist.")
        return int(found[0])
    try:
        return int(key)
    except ValueError:
        raise not_found(f"The record instance {kind.rest_name} {key!r} does not exist.") from None
