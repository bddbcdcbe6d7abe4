"""The emulator on the seeded account: shared fixtures, determinism, rows changing during paging,
and record writes that later SuiteQL (through the real dialect) sees."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

from emuhelpers import request, suiteql

from suiteops.emulator.server import Emulator

_TODAY = dt.date(2026, 11, 30)
SO_IDS = "SELECT id FROM transaction WHERE type = 'SalesOrd' ORDER BY id"


def all_rows(emu: Emulator, q: str, limit: int = 1000) -> list[dict[str, Any]]:
    """Every row of `q` by offset paging."""
    rows: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = suiteql(emu, q, limit=limit, offset=offset).json()
        rows += page["items"]
        if not page["hasMore"]:
            return rows
        offset += limit


def digest(rows: list[dict[str, Any]]) -> str:
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_session_emulator_serves_the_demo_account(emulator: Emulator) -> None:
    q = "SELECT COUNT(*) AS n FROM transactionline"
    body = suiteql(emulator, q).json()
    assert body["items"][0]["n"] == str(emulator.sql("SELECT count(*) FROM transactionline")[0][0])
    assert int(body["items"][0]["n"]) > 10_000
    assert emulator.config.concurrency_limit == 15 and emulator.config.scale == "demo"


def test_same_seed_same_data_other_seed_other_data(
    emulator_factory: Callable[..., Emulator],
) -> None:
    q = ("SELECT t.id, t.tranid, t.status, t.foreigntotal, BUILTIN.DF(t.entity) AS customer "
         "FROM transaction t ORDER BY t.id")  # fmt: skip
    first, second, other = (emulator_factory(seed=s, today=_TODAY) for s in (7, 7, 8))
    assert digest(all_rows(first, q)) == digest(all_rows(second, q))
    assert digest(all_rows(first, q)) != digest(all_rows(other, q))


def test_rows_change_between_pages_and_keyset_paging_stays_consistent(
    emulator_factory: Callable[..., Emulator],
) -> None:
    emu = emulator_factory(mutate_during_paging=True)
    before = {row[0] for row in emu.sql(SO_IDS)}
    offset_ids = [int(r["id"]) for r in all_rows(emu, SO_IDS, limit=20)]
    keyset_ids = keyset(emu)
    after = {row[0] for row in emu.sql(SO_IDS)}
    assert before != after  # rows really changed while paging
    stable = before & after
    assert not stable <= set(offset_ids)  # offset paging skipped rows that never went away
    assert len(keyset_ids) == len(set(keyset_ids)) and keyset_ids == sorted(keyset_ids)
    assert stable <= set(keyset_ids)


def keyset(emu: Emulator) -> list[int]:
    q = "SELECT id FROM transaction WHERE type = 'SalesOrd' AND id > ? ORDER BY id"
    ids: list[int] = []
    last = 0
    while True:
        page = suiteql(emu, q, [last], limit=20).json()
        ids += [int(r["id"]) for r in page["items"]]
        if not page["hasMore"]:  # each request inserts an order, so stop at the first short page
            return ids
        last = ids[-1]


def pick(emu: Emulator, status: str) -> int:
    rows = emu.sql("SELECT min(id) FROM transaction WHERE type = 'SalesOrd' AND status = ?",
                   [status])  # fmt: skip
    assert rows[0][0] is not None, f"the tiny account has no sales order in status {status}"
    return int(rows[0][0])


BILLING_GAP = """
    SELECT so.id FROM transaction so
    WHERE so.type = 'SalesOrd' AND so.status IN ('E', 'F') AND so.id = ?
      AND NOT EXISTS (SELECT 1 FROM NextTransactionLineLink l JOIN transaction b ON b.id = l.nextdoc
                      WHERE l.previousdoc = so.id AND l.linktype = 'OrdBill'
                        AND b.type IN ('CustInvc', 'CashSale'))
"""


def test_billing_a_seeded_order_shows_in_later_suiteql(
    emulator_factory: Callable[..., Emulator],
) -> None:
    emu = emulator_factory()
    so = pick(emu, "F")
    billed_before = emu.sql("SELECT count(*) FROM nexttransactionlinelink WHERE previousdoc = ? "
                            "AND linktype = 'OrdBill'", [so])[0][0]  # fmt: skip
    location = request(emu, "POST", f"/services/rest/record/v1/salesOrder/{so}/!transform/invoice")
    assert location.status_code == 204
    label = suiteql(emu, f"SELECT BUILTIN.DF(status) AS s FROM transaction WHERE id = {so}")
    assert label.json()["items"][0]["s"] == "Sales Order : Billed"
    assert suiteql(emu, BILLING_GAP, [so]).json()["count"] == 0
    after = emu.sql("SELECT count(*) FROM nexttransactionlinelink WHERE previousdoc = ? "
                    "AND linktype = 'OrdBill'", [so])[0][0]  # fmt: skip
    assert after > billed_before
    unbilled = emu.sql(
        "SELECT count(*) FROM transactionline WHERE transaction = ? AND fulfillable = 'T' AND "
        "kitmemberof IS NULL AND coalesce(quantityshiprecv, 0) > coalesce(quantitybilled, 0)",
        [so],
    )
    assert unbilled == [(0,)]


def test_closing_a_seeded_pending_order(emulator_factory: Callable[..., Emulator]) -> None:
    emu = emulator_factory()
    so = pick(emu, "B")
    record = request(emu, "GET", f"/services/rest/record/v1/salesOrder/{so}").json()
    lines = [ln["line"] for ln in record["item"]["items"] if not ln["isClosed"]]
    body = {"item": {"items": [{"line": line, "isClosed": True} for line in lines]}}
    assert request(emu, "PATCH", f"/services/rest/record/v1/salesOrder/{so}", json_body=body
                   ).status_code == 204  # fmt: skip
    again = request(emu, "GET", f"/services/rest/record/v1/salesOrder/{so}").json()
    assert again["orderStatus"]["id"] == "H"
    assert all(ln["isClosed"] for ln in again["item"]["items"])


def test_seeded_fulfillment_reads_with_order_lines(emulator: Emulator) -> None:
    if_id = emulator.sql("SELECT min(id) FROM transaction WHERE type = 'ItemShip'")[0][0]
    record = request(emulator, "GET", f"/services/rest/record/v1/itemFulfillment/{if_id}").json()
    links = emulator.sql("SELECT previousdoc, previousline FROM previoustransactionlinelink "
                         "WHERE nextdoc = ? ORDER BY nextline", [if_id])  # fmt: skip
    assert record["createdFrom"]["id"] == str(links[0][0])
    assert [ln["orderLine"] for ln in record["item"]["items"]] == [int(r[1]) for r in links]


def test_fulfilling_a_kit_line_ships_its_members(emulator_factory: Callable[..., Emulator]) -> None:
    emu = emulator_factory()
    so, line, kit, ordered = emu.sql(
        "SELECT p.transaction, p.id, p.item, -p.quantity FROM transactionline p "
        "JOIN transaction t ON t.id = p.transaction WHERE p.itemtype = 'Kit' "
        "AND t.type = 'SalesOrd' AND t.status = 'B' AND p.isclosed = 'F' AND -p.quantity >= 2 "
        "ORDER BY 1, 2 LIMIT 1"
    )[0]
    location = emu.sql("SELECT location FROM transactionline WHERE transaction = ? AND id = ?",
                       [so, line])[0][0]  # fmt: skip
    body = {"inventoryLocation": {"id": str(location)},
            "item": {"items": [{"orderLine": line, "quantity": 1}]}}  # fmt: skip
    path = f"/services/rest/record/v1/salesOrder/{so}"
    assert request(emu, "POST", f"{path}/!transform/itemFulfillment", json_body=body
                   ).status_code == 204  # fmt: skip
    members = emu.sql("SELECT -quantity, quantityshiprecv FROM transactionline "
                      "WHERE transaction = ? AND kitmemberof = ?", [so, kit])  # fmt: skip
    assert members and all(shipped == qty / ordered for qty, shipped in members)
    record = request(emu, "GET", path).json()
    assert [ln["line"] for ln in record["item"]["items"]].count(line) == 1  # members hidden
    open_lines = [ln["line"] for ln in record["item"]["items"] if not ln["isClosed"]]
    close = {"item": {"items": [{"line": n, "isClosed": True} for n in open_lines]}}
    assert request(emu, "PATCH", path, json_body=close).status_code == 204
    assert emu.sql("SELECT DISTINCT isclosed FROM transactionline WHERE transaction = ? "
                   "AND kitmemberof = ?", [so, kit]) == [("T",)]  # fmt: skip
    assert emu.sql("SELECT status FROM transaction WHERE id = ?", [so]) == [("F",)]
