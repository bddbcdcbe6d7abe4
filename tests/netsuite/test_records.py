"""The record API client against the real emulator: reads, keyed async writes, idempotency."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from nshelpers import make_client

from suiteops.emulator.faults import FaultRates
from suiteops.emulator.server import Emulator, EmulatorConfig, start_emulator
from suiteops.errors import BadRequestError, IdempotencyError, NotFoundError, ServerError
from suiteops.netsuite import JobResult, RecordRef


@pytest.fixture(scope="module")
def shop() -> Iterator[Emulator]:
    """One tiny emulator for this module (its tests write to different orders or fields)."""
    with start_emulator(EmulatorConfig(scale="tiny")) as emu:
        yield emu


@pytest.fixture
def emu(shop: Emulator) -> Iterator[Emulator]:
    """`shop` with faults cleared after the test."""
    yield shop
    shop.set_faults(FaultRates())


def _open_order(emu: Emulator) -> int:
    rows = emu.sql(
        "SELECT t.id FROM transaction t WHERE t.type = 'SalesOrd' AND t.status = 'B' "
        "AND EXISTS (SELECT 1 FROM transactionline l WHERE l.transaction = t.id "
        "AND l.mainline = 'F' AND l.isclosed = 'F') ORDER BY t.id LIMIT 1"
    )
    return int(rows[0][0])


def test_get_sales_order(emu: Emulator) -> None:
    so = _open_order(emu)
    with make_client(emu) as client:
        record = client.records.get("salesOrder", so)
    tranid = emu.sql("SELECT tranid FROM transaction WHERE id = ?", [so])[0][0]
    assert record["id"] == str(so) and record["tranId"] == tranid
    assert record["item"]["items"]


def test_get_missing_record_is_not_found(emu: Emulator) -> None:
    with make_client(emu) as client, pytest.raises(NotFoundError) as info:
        client.records.get("salesOrder", 999_999_999)
    assert info.value.status == 404 and info.value.code == "NONEXISTENT_ID"
    assert info.value.request_id


def test_patch_async_with_key_then_poll_and_visible_to_suiteql(emu: Emulator) -> None:
    so = _open_order(emu)
    key = str(uuid.uuid4())
    with make_client(emu) as client:
        job = client.records.patch("salesOrder", so, {"memo": "retry sync"}, idempotency_key=key)
        assert isinstance(job, JobResult) and not job.completed
        done = client.records.poll_job(job.location, timeout=10)
        rows = client.fetch("SELECT t.memo AS memo FROM transaction t WHERE t.id = :id", {"id": so})
    assert done.completed and done.succeeded, done
    assert done.record_id == str(so)
    assert rows.rows == [{"memo": "retry sync"}]


def test_repeated_idempotency_key_points_at_the_first_job(emu: Emulator) -> None:
    so = _open_order(emu)
    key = str(uuid.uuid4())
    with make_client(emu) as client:
        first = client.records.patch("salesOrder", so, {"memo": "once"}, idempotency_key=key)
        with pytest.raises(IdempotencyError) as info:
            client.records.patch("salesOrder", so, {"memo": "twice"}, idempotency_key=key)
        assert isinstance(first, JobResult)
        assert info.value.location is not None
        assert info.value.location.endswith(first.location.rsplit("/services", 1)[-1])
        state = client.records.poll_job(info.value.location, timeout=10)
    assert state.succeeded
    assert emu.sql("SELECT memo FROM transaction WHERE id = ?", [so]) == [("once",)]


def test_keyed_write_is_retried_through_500s(emu: Emulator) -> None:
    so = _open_order(emu)
    emu.set_faults(FaultRates(rate_500=0.5))
    with make_client(emu) as client:
        job = None
        for _ in range(5):  # the 500s are drawn at random; try until a retry happened
            key = str(uuid.uuid4())
            job = client.records.patch("salesOrder", so, {"memo": key}, idempotency_key=key)
            if client.records._requester.retries:
                break
        emu.set_faults(FaultRates())
        assert isinstance(job, JobResult)
        assert client.records.poll_job(job.location, timeout=10).succeeded
    assert client.records._requester.retries > 0


def test_unkeyed_write_is_not_retried(emu: Emulator) -> None:
    so = _open_order(emu)
    emu.set_faults(FaultRates(rate_500=1.0))
    emu.reset_stats()
    with make_client(emu) as client, pytest.raises(ServerError):
        client.records.patch("salesOrder", so, {"memo": "x"}, idempotency_key=None)
    assert emu.stats.requests == 1


def test_synchronous_patch_returns_record_ref(emu: Emulator) -> None:
    so = _open_order(emu)
    with make_client(emu) as client:
        ref = client.records.patch("salesOrder", so, {"memo": "sync"}, idempotency_key=None)
    assert ref == RecordRef("salesOrder", str(so), ref.location)
    assert ref.location.endswith(f"/salesOrder/{so}")


def test_bad_field_is_bad_request_with_detail(emu: Emulator) -> None:
    so = _open_order(emu)
    with make_client(emu) as client, pytest.raises(BadRequestError) as info:
        client.records.patch("salesOrder", so, {"nosuchfield": 1}, idempotency_key=None)
    assert info.value.status == 400 and info.value.detail


def test_transform_to_invoice_async(emu: Emulator) -> None:
    rows = emu.sql(
        "SELECT t.id FROM transaction t WHERE t.type = 'SalesOrd' AND EXISTS (SELECT 1 FROM "
        "transactionline l WHERE l.transaction = t.id AND l.mainline = 'F' "
        "AND l.quantityshiprecv > l.quantitybilled) ORDER BY t.id LIMIT 1"
    )
    if not rows:
        pytest.skip("the tiny seed has no fulfilled-but-unbilled order")
    so = int(rows[0][0])
    with make_client(emu) as client:
        job = client.records.transform(
            "salesOrder", so, "invoice", idempotency_key=str(uuid.uuid4())
        )
        assert isinstance(job, JobResult)
        done = client.records.poll_job(job.location, timeout=10)
    assert done.succeeded and done.record_id
    invoice = emu.sql("SELECT type FROM transaction WHERE id = ?", [int(done.record_id)])
    assert invoice == [("CustInvc",)]


def test_transform_with_nothing_to_bill_job_fails_with_error(emu: Emulator) -> None:
    rows = emu.sql(
        "SELECT t.id FROM transaction t WHERE t.type = 'SalesOrd' AND NOT EXISTS (SELECT 1 FROM "
        "transactionline l WHERE l.transaction = t.id AND l.mainline = 'F' "
        "AND l.quantityshiprecv > l.quantitybilled) ORDER BY t.id LIMIT 1"
    )
    so = int(rows[0][0])
    with make_client(emu) as client:
        job = client.records.transform("salesOrder", so, "invoice", idempotency_key="k-nothing")
        assert isinstance(job, JobResult)
        done = client.records.poll_job(job.location, timeout=10)
    assert done.completed and not done.succeeded and done.error


def test_upsert_by_external_id_creates_then_updates(emu: Emulator) -> None:
    customer, item = emu.sql(
        "SELECT (SELECT min(id) FROM customer), "
        "(SELECT min(id) FROM item WHERE itemtype = 'InvtPart')"
    )[0]
    body = {
        "entity": {"id": str(customer)},
        "item": {"items": [{"item": {"id": str(item)}, "quantity": 2}]},
    }
    with make_client(emu) as client:
        created = client.records.upsert("salesOrder", "SHOP-9001", body, idempotency_key=None)
        updated = client.records.upsert(
            "salesOrder", "SHOP-9001", {"memo": "updated"}, idempotency_key=None
        )
    assert isinstance(created, RecordRef) and isinstance(updated, RecordRef)
    assert created.id == updated.id
    assert emu.sql("SELECT memo FROM transaction WHERE externalid = 'SHOP-9001'") == [("updated",)]
