"""Creating transactions: new ids, header and line rows, and line links.

Conventions follow schema.py: a mainline row (`id` 0) carrying the header location and
`createdfrom`; item lines numbered from 1; `uniquekey` unique across the table; sales-side
quantities and amounts (sales orders, invoices, cash sales) negative, and item fulfillment line
quantities negative too (inventory leaving the warehouse); links written to both
`nexttransactionlinelink` and `previoustransactionlinelink` plus a header `nexttransactionlink`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import duckdb

# transaction.type → (recordtype, tranid prefix)
NEW_TRANSACTION = {
    "SalesOrd": ("salesorder", "SO"),
    "ItemShip": ("itemfulfillment", "IF"),
    "CustInvc": ("invoice", "INV"),
    "CashSale": ("cashsale", "CS"),
}
# Header fields a fulfillment or bill copies from its sales order.
COPIED_FIELDS = (
    "entity",
    "otherrefnum",
    "terms",
    "shipmethod",
    "shipcarrier",
    "subsidiary",
    "currency",
    "custbody_celigo_etail_order_id",
    "custbody_celigo_etail_channel",
    "custbody_celigo_shopify_store",
)


@dataclass(frozen=True)
class NewLine:
    """One item line of a new transaction (quantity and amount positive; signs applied here)."""

    item: int | None
    quantity: Decimal
    rate: Decimal | None
    location: int | None
    itemtype: str | None = None
    fulfillable: bool = False
    order_line: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def amount(self) -> Decimal:
        """quantity × rate (0 without a rate)."""
        return (self.quantity * (self.rate or Decimal(0))).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class NewTransaction:
    """A transaction to insert: type, status, header fields and item lines."""

    code: str
    status: str
    location: int | None
    lines: tuple[NewLine, ...]
    header: dict[str, Any] = field(default_factory=dict)
    created_from: int | None = None

    @property
    def total(self) -> Decimal:
        """The header total (positive)."""
        return sum((line.amount for line in self.lines), Decimal(0))


def _next(cur: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = cur.execute(sql).fetchone()
    return int(row[0]) if row else 1


def insert_transaction(
    cur: duckdb.DuckDBPyConnection, new: NewTransaction, now: dt.datetime
) -> int:
    """Insert the header, mainline and item lines; return the new transaction id."""
    tid = _next(cur, "SELECT coalesce(max(id), 0) + 1 FROM transaction")
    recordtype, prefix = NEW_TRANSACTION[new.code]
    total = new.total
    header = {
        "tranid": f"{prefix}{tid}",
        "trandate": now.date(),
        "createddate": now,
        "lastmodifieddate": now,
        "foreigntotal": total,
        "total": total,
        **new.header,
    }
    columns = ["id", "type", "recordtype", "status", *header]
    cur.execute(
        f"INSERT INTO transaction ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [tid, new.code, recordtype, new.status, *header.values()],
    )
    _insert_lines(cur, tid, new, now)
    return tid


def _insert_lines(
    cur: duckdb.DuckDBPyConnection, tid: int, new: NewTransaction, now: dt.datetime
) -> None:
    key = _next(cur, "SELECT coalesce(max(uniquekey), 0) + 1 FROM transactionline")
    entity = new.header.get("entity")
    rows = [(0, "T", None, None, None, new.location, None, new.total, "F", {})]
    for number, line in enumerate(new.lines, start=1):
        rows.append(
            (
                number,
                "F",
                line.item,
                line.itemtype,
                -line.quantity,
                line.location,
                line.rate,
                -line.amount,
                "T" if line.fulfillable else "F",
                line.extra,
            )
        )
    for offset, (lid, main, item, itemtype, qty, loc, rate, amount, fulfil, extra) in enumerate(
        rows
    ):
        values = {
            "transaction": tid,
            "id": lid,
            "uniquekey": key + offset,
            "linesequencenumber": lid,
            "mainline": main,
            "item": item,
            "itemtype": itemtype,
            "quantity": qty,
            "location": loc,
            "rate": rate,
            "amount": amount,
            "foreignamount": amount,
            "netamount": amount,
            "fulfillable": fulfil,
            "createdfrom": new.created_from,
            "entity": entity,
            "linelastmodifieddate": now,
            **extra,
        }
        cur.execute(
            f"INSERT INTO transactionline ({', '.join(values)}) "
            f"VALUES ({', '.join('?' * len(values))})",
            list(values.values()),
        )


@dataclass(frozen=True)
class Link:
    """A line-level link between a sales order and a transaction created from it."""

    linktype: str
    previous_doc: int
    previous_type: str
    next_doc: int
    next_type: str


def insert_links(
    cur: duckdb.DuckDBPyConnection,
    link: Link,
    pairs: list[tuple[int, int, Decimal]],
    now: dt.datetime,
) -> None:
    """Write (previous line, next line, amount) links in both line-link tables and the header."""
    for table in ("nexttransactionlinelink", "previoustransactionlinelink"):
        for prev_line, next_line, amount in pairs:
            cur.execute(
                f"INSERT INTO {table} (previousdoc, previousline, previoustype, nextdoc, nextline,"
                " nexttype, linktype, foreignamount, lastmodifieddate)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    link.previous_doc,
                    prev_line,
                    link.previous_type,
                    link.next_doc,
                    next_line,
                    link.next_type,
                    link.linktype,
                    amount,
                    now,
                ],
            )
    cur.execute(
        "INSERT INTO nexttransactionlink (previousdoc, nextdoc, linktype, previoustype, nexttype,"
        " lastmodifieddate) VALUES (?, ?, ?, ?, ?, ?)",
        [link.previous_doc, link.next_doc, link.linktype, link.previous_type, link.next_type, now],
    )


def copied_header(cur: duckdb.DuckDBPyConnection, so_id: int) -> dict[str, Any]:
    """The sales order's header fields a fulfillment or bill carries over."""
    columns = ", ".join(COPIED_FIELDS)
    row = cur.execute(f"SELECT {columns} FROM transaction WHERE id = ?", [so_id]).fetchone()
    assert row is not None
    return {
        name: value for name, value in zip(COPIED_FIELDS, row, strict=True) if value is not None
    }
