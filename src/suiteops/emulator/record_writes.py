"""Record writes: PATCH of body fields and sales-order lines, upsert by external id, and the
sales-order status that follows from its lines.

Choices (reference §5):
- Body fields: `memo`, `otherRefNum`, `externalId`, `shipCarrier` and every `custbody_*` column
  of the account; booleans are stored as checkbox `T`/`F`, `null` clears a field. Read-only
  fields a client echoes back (`id`, `links`, `tranId`, dates, `total`, ...) are ignored. Any
  other field is 400 INVALID_CONTENT with `o:errorPath` — stricter than NetSuite's default
  `X-NetSuite-PropertyNameValidation: warning`, so that a typo in a field id cannot pass as a
  successful write.
- The sales-order `item` sublist is keyed by `line`; a PATCH may set `isClosed` (or `isclosed`,
  both spellings seen in Oracle's docs) on existing lines. Adding lines or changing other line
  fields is refused with 400 USER_ERROR (the recovery actions never do it).
- `orderStatus` "A"/"B" approves or resets an order nothing has been shipped on.
- Every write bumps `lastmodifieddate` (and `linelastmodifieddate` of changed lines).
- After lines change, the status letter is recomputed from the lines (`so_status`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import duckdb

from suiteops.emulator.problems import ErrorCode, Problem, bad_request
from suiteops.emulator.records import BODY_FIELDS, RecordType

READ_ONLY_FIELDS = frozenset(
    {
        "id",
        "links",
        "tranId",
        "tranDate",
        "createdDate",
        "lastModifiedDate",
        "total",
        "entity",
        "location",
        "status",
        "createdFrom",
        "refName",
    }
)
_COLUMN_FOR = {name: column for column, name in BODY_FIELDS.items() if column != "tranid"}

_LINE_TOTALS = """
    SELECT count(*) FILTER (WHERE isclosed = 'F'),
      coalesce(sum(CASE WHEN isclosed = 'F' AND fulfillable = 'T'
          THEN greatest(abs(quantity) - coalesce(quantityshiprecv, 0), 0) END), 0),
      coalesce(sum(coalesce(quantityshiprecv, 0)), 0),
      coalesce(sum(coalesce(quantitybilled, 0)), 0),
      coalesce(sum(CASE WHEN fulfillable = 'T' THEN
          greatest(coalesce(quantityshiprecv, 0) - coalesce(quantitybilled, 0), 0) END), 0)
    FROM transactionline
    WHERE transaction = ? AND mainline = 'F' AND coalesce(taxline, 'F') = 'F'
      AND kitmemberof IS NULL AND item IS NOT NULL AND quantity IS NOT NULL
"""


@dataclass(frozen=True)
class LineTotals:
    """What a sales order's item lines add up to."""

    open_lines: int
    to_ship: float
    shipped: float
    billed: float
    unbilled: float


def so_status(current: str, t: LineTotals) -> str:
    """The status letter consistent with the lines (A pending approval and C cancelled stay).

    B nothing shipped yet; D partly shipped, every shipped unit billed; E partly shipped with
    shipped units unbilled; F nothing left to ship, units unbilled; G nothing left to ship or
    bill; H closed (every open line closed before anything was billed).
    """
    if current in ("A", "C"):
        return current
    if t.open_lines == 0 or t.to_ship == 0:
        if t.unbilled > 0:
            return "F"
        return "G" if t.billed > 0 else "H"
    if t.shipped == 0:
        return "B"
    return "E" if t.unbilled > 0 else "D"


def refresh_so_status(cur: duckdb.DuckDBPyConnection, so_id: int, now: dt.datetime) -> str:
    """Recompute and store a sales order's status from its lines; return the letter."""
    current = cur.execute("SELECT status FROM transaction WHERE id = ?", [so_id]).fetchone()
    row = cur.execute(_LINE_TOTALS, [so_id]).fetchone()
    assert current is not None and row is not None
    totals = LineTotals(int(row[0]), *(float(v) for v in row[1:]))
    letter = so_status(str(current[0]), totals)
    cur.execute(
        "UPDATE transaction SET status = ?, lastmodifieddate = ? WHERE id = ?", [letter, now, so_id]
    )
    return letter


def transaction_columns(cur: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """The account's transaction columns (custom fields included)."""
    rows = cur.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'transaction'"
    ).fetchall()
    return frozenset(str(r[0]) for r in rows)


def _stored(value: Any, path: str) -> Any:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "T" if value else "F"
    if isinstance(value, int | float):
        return str(value)
    raise Problem(400, ErrorCode.INVALID_CONTENT, f"Invalid value for field {path}: {value!r}.")


def body_updates(cur: duckdb.DuckDBPyConnection, body: dict[str, Any]) -> dict[str, Any]:
    """Column → stored value for the plain body fields in `body`; refuses unknown fields."""
    columns = transaction_columns(cur)
    updates: dict[str, Any] = {}
    for name, value in body.items():
        if name in READ_ONLY_FIELDS or name in {"item", "orderStatus"}:
            continue
        column = _COLUMN_FOR.get(name) or (name if name.startswith("custbody_") else None)
        if column is None or column not in columns:
            raise Problem(
                400,
                ErrorCode.INVALID_CONTENT,
                f"Invalid field '{name}': the record has no such field.",
                title="Bad Request",
            )
        updates[column] = _stored(value, name)
    return updates


def apply_body(
    cur: duckdb.DuckDBPyConnection, record_id: int, updates: dict[str, Any], now: dt.datetime
) -> None:
    """Write the body updates and bump `lastmodifieddate`."""
    assignments = "".join(f"{column} = ?, " for column in updates)
    cur.execute(
        f"UPDATE transaction SET {assignments}lastmodifieddate = ? WHERE id = ?",
        [*updates.values(), now, record_id],
    )


def _line_changes(body: dict[str, Any]) -> list[tuple[int, bool]]:
    items = body.get("item", {})
    entries = items.get("items") if isinstance(items, dict) else None
    if not isinstance(entries, list):
        raise bad_request(
            "Invalid field 'item': expected {\"items\": [...]}.", ErrorCode.INVALID_CONTENT
        )
    changes: list[tuple[int, bool]] = []
    for index, entry in enumerate(entries):
        path = f"item.items[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("line"), int):
            raise bad_request(
                f"{path}: each line needs an integer 'line' key.", ErrorCode.INVALID_CONTENT
            )
        closed = entry.get("isClosed", entry.get("isclosed"))
        extra = set(entry) - {"line", "isClosed", "isclosed", "links"}
        if not isinstance(closed, bool) or extra:
            raise bad_request(
                f"{path}: the emulator only changes 'isClosed' on existing lines.",
                ErrorCode.USER_ERROR,
            )
        changes.append((entry["line"], closed))
    return changes


def close_lines(
    cur: duckdb.DuckDBPyConnection, so_id: int, body: dict[str, Any], now: dt.datetime
) -> None:
    """Apply `item.items[{line, isClosed}]` to existing lines of a sales order."""
    for line, closed in _line_changes(body):
        found = cur.execute(
            "SELECT 1 FROM transactionline WHERE transaction = ? AND id = ? AND mainline = 'F'",
            [so_id, line],
        ).fetchone()
        if found is None:
            raise bad_request(
                f"item.items: line {line} does not exist on sales order {so_id}; "
                "adding lines is not supported.",
                ErrorCode.USER_ERROR,
            )
        cur.execute(
            "UPDATE transactionline SET isclosed = ?, linelastmodifieddate = ? "
            "WHERE transaction = ? AND (id = ? OR kitmemberof = (SELECT item FROM transactionline"
            " WHERE transaction = ? AND id = ? AND kitmemberof IS NULL))",
            ["T" if closed else "F", now, so_id, line, so_id, line],
        )


def set_order_status(cur: duckdb.DuckDBPyConnection, so_id: int, letter: Any) -> None:
    """PATCH `orderStatus`: "B" approves a pending order, "A" sends it back to approval."""
    row = cur.execute("SELECT status FROM transaction WHERE id = ?", [so_id]).fetchone()
    current = str(row[0]) if row else ""
    letter = letter.get("id") if isinstance(letter, dict) else letter
    if letter not in ("A", "B") or current not in ("A", "B"):
        raise bad_request(
            f"orderStatus can only move between A and B (the order is {current}).",
            ErrorCode.USER_ERROR,
        )
    cur.execute("UPDATE transaction SET status = ? WHERE id = ?", [letter, so_id])


def patch_record(
    cur: duckdb.DuckDBPyConnection,
    kind: RecordType,
    record_id: int,
    body: dict[str, Any],
    now: dt.datetime,
) -> None:
    """PATCH one existing record (body fields; sales-order lines and status)."""
    if kind.code != "SalesOrd" and ("item" in body or "orderStatus" in body):
        raise bad_request(
            f"The emulator changes lines and status only on sales orders, not {kind.rest_name}.",
            ErrorCode.USER_ERROR,
        )
    apply_body(cur, record_id, body_updates(cur, body), now)
    if "orderStatus" in body:
        set_order_status(cur, record_id, body["orderStatus"])
    if "item" in body:
        close_lines(cur, record_id, body, now)
        refresh_so_status(cur, record_id, now)
