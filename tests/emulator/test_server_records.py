"""The REST record API over real HTTP: reads, PATCH, transforms, upsert, async jobs,
idempotency; every write checked through later SuiteQL and plain DuckDB reads."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from emuhelpers import CREATED, error_code, error_detail, request, start_small, suiteql

from suiteops.emulator.server import Emulator

SO = "/services/rest/record/v1/salesOrder"
ASYNC = {"Prefer": "respond-async"}


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with start_small() as emulator:
        yield emulator


def status(emu: Emulator, so_id: int) -> str:
    body = suiteql(emu, f"SELECT status FROM transaction WHERE id = {so_id}").json()
    return str(body["items"][0]["status"])


def new_id(response: httpx.Response, kind: str) -> int:
    assert response.status_code == 204, response.text
    location = response.headers["Location"]
    assert location.startswith("http://127.0.0.1:") and f"/record/v1/{kind}/" in location
    return int(location.rsplit("/", 1)[1])


def transform(emu: Emulator, so_id: int, target: str, body: Any = None,
              headers: dict[str, str] | None = None) -> httpx.Response:  # fmt: skip
    return request(emu, "POST", f"{SO}/{so_id}/!transform/{target}", json_body=body,
                   headers=headers)  # fmt: skip


def fulfil(emu: Emulator, so_id: int, lines: list[tuple[int, int]]) -> httpx.Response:
    items = [{"orderLine": line, "quantity": qty} for line, qty in lines]
    body = {"inventoryLocation": {"id": "1"}, "item": {"items": items}}
    return transform(emu, so_id, "itemFulfillment", body)


def wait_job(emu: Emulator, location: str) -> dict[str, Any]:
    path = location.split(emu.base_url, 1)[1]
    for _ in range(200):
        job = request(emu, "GET", path).json()
        if job["completed"]:
            return job
        time.sleep(0.02)
    raise AssertionError(f"job {location} did not complete")


def test_get_sales_order_in_rest_shape(emu: Emulator) -> None:
    record = request(emu, "GET", f"{SO}/101").json()
    assert record["id"] == "101" and record["tranId"] == "SO101"
    assert record["orderStatus"] == {"id": "B", "refName": "Pending Fulfillment"}
    assert record["entity"] == {"id": "1", "refName": "Jane Doe"}
    assert record["otherRefNum"] == "#1001"
    assert record["custbody_celigo_etail_auto_bill_exp"] is False
    assert record["custbody_celigo_etail_order_id"] == "55500000101"
    assert record["lastModifiedDate"] == CREATED.isoformat() + "Z"
    lines = record["item"]["items"]
    assert [(ln["line"], ln["item"]["refName"], ln["quantity"]) for ln in lines] == [
        (1, "SKU-00001", 3), (2, "SKU-00002", 2)]  # fmt: skip
    assert lines[0]["quantityFulfilled"] == 0 and lines[0]["isClosed"] is False
    assert lines[0]["location"] == {"id": "1", "refName": "East DC"}


def test_get_by_external_id(emu: Emulator) -> None:
    assert request(emu, "GET", f"{SO}/eid:shopify-102").json()["id"] == "102"


@pytest.mark.parametrize("path", [f"{SO}/999", f"{SO}/eid:nope", f"{SO}/abc",
                                  "/services/rest/record/v1/vendorBill/101",
                                  "/services/rest/record/v1/invoice/101"])  # fmt: skip
def test_unknown_records_are_404(emu: Emulator, path: str) -> None:
    response = request(emu, "GET", path)
    assert response.status_code == 404 and error_code(response) == "NONEXISTENT_ID"


def test_patch_custom_field_is_seen_by_suiteql(emu: Emulator) -> None:
    before = emu.now()
    response = request(
        emu,
        "PATCH",
        f"{SO}/102",
        json_body={"custbody_celigo_etail_auto_bill_exp": True, "memo": "retry"},
    )
    assert new_id(response, "salesOrder") == 102
    q = ("SELECT custbody_celigo_etail_auto_bill_exp AS flag, memo, "
         "TO_CHAR(lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS modified FROM transaction "
         "WHERE id = 102")  # fmt: skip
    item = suiteql(emu, q).json()["items"][0]
    assert (item["flag"], item["memo"]) == ("T", "retry")
    modified = dt.datetime.fromisoformat(item["modified"]).replace(tzinfo=dt.UTC)
    assert abs(modified.timestamp() - before) < 5  # bumped to the emulator's clock (UTC)
    assert request(emu, "GET", f"{SO}/102").json()["custbody_celigo_etail_auto_bill_exp"] is True


def test_patch_unknown_field_is_refused_and_changes_nothing(emu: Emulator) -> None:
    body = {"memo": "x", "custbody_no_such_field": True}
    response = request(emu, "PATCH", f"{SO}/102", json_body=body)
    assert response.status_code == 400 and error_code(response) == "INVALID_CONTENT"
    assert emu.sql("SELECT memo FROM transaction WHERE id = 102") == [(None,)]


def close(emu: Emulator, so_id: int, lines: list[int], key: str = "isClosed") -> httpx.Response:
    body = {"item": {"items": [{"line": line, key: True} for line in lines]}}
    return request(emu, "PATCH", f"{SO}/{so_id}", json_body=body)


def test_closing_every_line_of_an_unshipped_order_closes_it(emu: Emulator) -> None:
    assert close(emu, 101, [1, 2], key="isclosed").status_code == 204
    assert status(emu, 101) == "H"
    rows = emu.sql("SELECT id, isclosed FROM transactionline WHERE transaction = 101 "
                   "AND mainline = 'F' ORDER BY id")  # fmt: skip
    assert rows == [(1, "T"), (2, "T")]


def test_closing_some_lines_keeps_the_order_open(emu: Emulator) -> None:
    assert close(emu, 101, [2]).status_code == 204
    assert status(emu, 101) == "B"
    assert request(emu, "GET", f"{SO}/101").json()["item"]["items"][1]["isClosed"] is True


def test_closing_a_missing_line_is_refused(emu: Emulator) -> None:
    response = close(emu, 101, [7])
    assert response.status_code == 400 and error_code(response) == "USER_ERROR"


def test_ship_bill_close_lifecycle(emu: Emulator) -> None:
    fulfilment = new_id(fulfil(emu, 101, [(1, 3)]), "itemFulfillment")
    assert status(emu, 101) == "E"  # line 1 shipped and unbilled, line 2 open
    invoice = new_id(transform(emu, 101, "invoice"), "invoice")
    assert status(emu, 101) == "D"  # every shipped unit billed, line 2 still open
    assert close(emu, 101, [2]).status_code == 204
    assert status(emu, 101) == "G"
    links = emu.sql("SELECT linktype, previousline, nextdoc, nextline FROM nexttransactionlinelink "
                    "WHERE previousdoc = 101 ORDER BY linktype")  # fmt: skip
    assert links == [("OrdBill", 1, invoice, 1), ("ShipRcpt", 1, fulfilment, 1)]


def test_fulfillment_writes_lines_links_and_quantities(emu: Emulator) -> None:
    if_id = new_id(fulfil(emu, 101, [(1, 2), (2, 2)]), "itemFulfillment")
    header = emu.sql(f"SELECT type, status, entity FROM transaction WHERE id = {if_id}")
    assert header == [("ItemShip", "C", 1)]
    lines = emu.sql(f"SELECT id, mainline, createdfrom, item, quantity FROM transactionline "
                    f"WHERE transaction = {if_id} ORDER BY id")  # fmt: skip
    assert [(r[0], r[1], r[2], r[3], int(r[4] or 0)) for r in lines] == [
        (0, "T", 101, None, 0), (1, "F", 101, 1, -2), (2, "F", 101, 2, -2)]  # fmt: skip
    shipped = emu.sql("SELECT id, quantityshiprecv FROM transactionline WHERE transaction = 101 "
                      "AND mainline = 'F' ORDER BY id")  # fmt: skip
    assert [(i, int(q)) for i, q in shipped] == [(1, 2), (2, 2)]
    for table in ("nexttransactionlinelink", "previoustransactionlinelink"):
        rows = emu.sql(
            f"SELECT count(*) FROM {table} WHERE nextdoc = {if_id} AND linktype = 'ShipRcpt'"
        )
        assert rows == [(2,)]
    assert emu.sql(f"SELECT linktype FROM nexttransactionlink WHERE nextdoc = {if_id}") == [
        ("ShipRcpt",)
    ]
    got = request(emu, "GET", f"/services/rest/record/v1/itemFulfillment/{if_id}").json()
    assert got["createdFrom"]["id"] == "101" and got["status"]["refName"] == "Shipped"
    assert [(ln["orderLine"], ln["quantity"]) for ln in got["item"]["items"]] == [(1, 2), (2, 2)]


@pytest.mark.parametrize(
    "body",
    [
        {"item": {"items": [{"orderLine": 1, "quantity": 1}]}},
        {"inventoryLocation": "1"},
        {"inventoryLocation": "1", "item": {"items": [{"orderLine": 1, "quantity": 4}]}},
        {"inventoryLocation": "1", "item": {"items": [{"orderLine": 9, "quantity": 1}]}},
    ],
)
def test_bad_fulfillments_are_refused_and_change_nothing(emu: Emulator, body: dict) -> None:
    response = transform(emu, 101, "itemFulfillment", body)
    assert response.status_code == 400 and error_code(response) == "USER_ERROR"
    assert emu.sql("SELECT count(*) FROM transaction WHERE type = 'ItemShip'") == [(0,)]


@pytest.mark.parametrize(("target", "code", "letter"), [("invoice", "CustInvc", "A"),
                                                       ("cashSale", "CashSale", "B")])  # fmt: skip
def test_billing_transform(emu: Emulator, target: str, code: str, letter: str) -> None:
    bill = new_id(transform(emu, 102, target), target)
    assert emu.sql(f"SELECT type, status, foreigntotal FROM transaction WHERE id = {bill}") == [
        (code, letter, 40)]  # fmt: skip
    assert status(emu, 102) == "G"
    billed = emu.sql(
        "SELECT quantitybilled FROM transactionline WHERE transaction = 102 AND id = 1"
    )
    assert billed == [(4,)]
    q = (f"SELECT l.linktype, l.previousline FROM previoustransactionlinelink l "
         f"WHERE l.nextdoc = {bill}")  # fmt: skip
    assert suiteql(emu, q).json()["items"] == [
        {"links": [], "linktype": "OrdBill", "previousline": "1"}
    ]
    again = transform(emu, 102, target)
    assert again.status_code == 400 and error_code(again) == "USER_ERROR"
    assert "nothing to bill" in error_detail(again)


def test_unshipped_order_has_nothing_to_bill(emu: Emulator) -> None:
    response = transform(emu, 101, "invoice")
    assert response.status_code == 400 and "nothing to bill" in error_detail(response)


def test_upsert_creates_then_updates(emu: Emulator) -> None:
    body = {"entity": {"id": "2"}, "otherRefNum": "#5001", "location": {"id": "2"},
            "item": {"items": [{"item": {"id": "5"}, "quantity": 2, "rate": 7.5}]}}  # fmt: skip
    created = new_id(request(emu, "PUT", f"{SO}/eid:shop-5001", json_body=body), "salesOrder")
    rows = emu.sql(f"SELECT status, entity, externalid, otherrefnum, foreigntotal FROM transaction "
                   f"WHERE id = {created}")  # fmt: skip
    assert rows == [("B", 2, "shop-5001", "#5001", 15)]
    update = {"memo": "edited", "custbody_celigo_etail_channel": "Shopify B2B"}
    again = new_id(request(emu, "PUT", f"{SO}/eid:shop-5001", json_body=update), "salesOrder")
    assert again == created
    record = request(emu, "GET", f"{SO}/eid:shop-5001").json()
    assert (record["memo"], record["custbody_celigo_etail_channel"]) == ("edited", "Shopify B2B")
    assert [ln["quantity"] for ln in record["item"]["items"]] == [2]


def test_put_needs_an_external_id(emu: Emulator) -> None:
    response = request(emu, "PUT", f"{SO}/101", json_body={"memo": "x"})
    assert response.status_code == 400


def test_async_write_job_task_and_result(emu: Emulator) -> None:
    response = transform(emu, 102, "invoice", headers={**ASYNC, "X-NetSuite-Idempotency-Key": "k1"})
    assert response.status_code == 202
    assert response.headers["Preference-Applied"] == "respond-async"
    job_url = response.headers["Location"]
    assert "/services/rest/async/v1/job/" in job_url
    job = wait_job(emu, job_url)
    assert job["progress"] == "succeeded"
    path = job_url.split(emu.base_url, 1)[1]
    tasks = request(emu, "GET", f"{path}/task/").json()
    assert tasks["count"] == 1 and tasks["items"][0]["links"][0]["href"].endswith("/task/1")
    assert request(emu, "GET", f"{path}/task/1").json()["progress"] == "succeeded"
    result = request(emu, "GET", f"{path}/task/1/result")
    invoice = new_id(result, "invoice")
    assert emu.sql(f"SELECT type FROM transaction WHERE id = {invoice}") == [("CustInvc",)]


def test_repeated_idempotency_key_is_refused_with_the_first_job(emu: Emulator) -> None:
    headers = {**ASYNC, "X-NetSuite-Idempotency-Key": "same-key"}
    first = transform(emu, 102, "invoice", headers=headers)
    wait_job(emu, first.headers["Location"])
    second = transform(emu, 102, "invoice", headers=headers)
    assert second.status_code == 400 and error_code(second) == "IDEMPOTENCY_ERROR"
    assert second.json()["title"] == "Conflict"
    assert second.headers["Location"] == first.headers["Location"]
    assert emu.sql("SELECT count(*) FROM transaction WHERE type = 'CustInvc'") == [(1,)]


def test_failed_async_job_reports_the_error(emu: Emulator) -> None:
    response = transform(emu, 101, "invoice", headers=ASYNC)
    job = wait_job(emu, response.headers["Location"])
    assert job["progress"] == "failed"
    path = response.headers["Location"].split(emu.base_url, 1)[1]
    result = request(emu, "GET", f"{path}/task/1/result")
    assert result.status_code == 400 and "nothing to bill" in error_detail(result)


def test_unknown_job_is_404(emu: Emulator) -> None:
    response = request(emu, "GET", "/services/rest/async/v1/job/42")
    assert response.status_code == 404 and error_code(response) == "NONEXISTENT_ID"


def test_record_api_requires_authentication(emu: Emulator) -> None:
    response = httpx.get(f"{emu.base_url}{SO}/101")
    assert response.status_code == 401 and error_code(response) == "INVALID_LOGIN"


def test_item_sublist_lists_order_lines(emu: Emulator) -> None:
    body = request(emu, "GET", f"{SO}/101/item").json()
    assert (body["count"], body["hasMore"], body["totalResults"]) == (2, False, 2)
    assert body["items"] == request(emu, "GET", f"{SO}/101").json()["item"]["items"]


def test_parallel_pages_and_writes_stay_consistent(emu: Emulator) -> None:
    q = "SELECT id, itemid FROM item ORDER BY id"
    expected = {int(r[0]): r[1] for r in emu.sql("SELECT id, itemid FROM item")}

    def page(offset: int) -> list[tuple[int, str]]:
        body = suiteql(emu, q, limit=100, offset=offset).json()
        return [(int(i["id"]), i["itemid"]) for i in body["items"]]

    def write(n: int) -> int:
        return request(emu, "PATCH", f"{SO}/101", json_body={"memo": f"w{n}"}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        pages = pool.map(page, range(0, 2500, 100))
        writes = pool.map(write, range(10))
        got = [row for chunk in pages for row in chunk]
        assert list(writes) == [204] * 10
    assert [i for i, _ in got] == sorted(expected) and all(expected[i] == s for i, s in got)
    assert emu.sql("SELECT memo FROM transaction WHERE id = 101")[0][0].startswith("w")


def test_partial_bill_of_chosen_lines(emu: Emulator) -> None:
    body = {"item": {"items": [{"orderLine": 1, "quantity": 3}]}}
    invoice = new_id(transform(emu, 102, "invoice", body), "invoice")
    assert emu.sql(f"SELECT foreigntotal FROM transaction WHERE id = {invoice}") == [(30,)]
    assert status(emu, 102) == "F"  # one shipped unit still unbilled
    too_much = {"item": {"items": [{"orderLine": 1, "quantity": 2}]}}
    response = transform(emu, 102, "cashSale", too_much)
    assert response.status_code == 400 and "exceeds the billable 1" in error_detail(response)


def test_order_status_approval(emu: Emulator) -> None:
    emu.sql("UPDATE transaction SET status = 'A' WHERE id = 101")
    assert request(emu, "PATCH", f"{SO}/101", json_body={"orderStatus": "B"}).status_code == 204
    assert status(emu, 101) == "B"
    refused = request(emu, "PATCH", f"{SO}/102", json_body={"orderStatus": {"id": "A"}})
    assert refused.status_code == 400 and error_code(refused) == "USER_ERROR"
    assert status(emu, 102) == "F"


def test_lines_change_only_on_sales_orders(emu: Emulator) -> None:
    if_id = new_id(fulfil(emu, 101, [(1, 1)]), "itemFulfillment")
    body = {"item": {"items": [{"line": 1, "isClosed": True}]}}
    response = request(emu, "PATCH", f"/services/rest/record/v1/itemFulfillment/{if_id}",
                       json_body=body)  # fmt: skip
    assert response.status_code == 400 and error_code(response) == "USER_ERROR"
    flag = {"custbody_celigo_etail_fulfill_exported": True}
    path = f"/services/rest/record/v1/itemFulfillment/{if_id}"
    assert request(emu, "PATCH", path, json_body=flag).status_code == 204
    assert emu.sql(f"SELECT custbody_celigo_etail_fulfill_exported FROM transaction "
                   f"WHERE id = {if_id}") == [("T",)]  # fmt: skip
