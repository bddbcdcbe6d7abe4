"""Typed values, bound vs literal parameters, and rows changing during paging (real emulator)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

import pytest
from nshelpers import BULK_SQL, bulk_loader, bulk_params, make_client

from suiteops.emulator.server import Emulator, EmulatorConfig, start_emulator
from suiteops.errors import BadRequestError
from suiteops.models import ColumnSpec
from suiteops.models import ColumnType as C
from suiteops.netsuite.paging import InconsistentResult

TYPED_SQL = (
    "SELECT t.id AS id, t.tranid AS tranid, t.trandate AS placed, "
    "TO_CHAR(t.trandate, 'YYYY-MM-DD') AS placed_iso, t.total AS total, "
    "t.custbody_celigo_etail_auto_bill_exp AS auto_bill, t.createddate AS created, "
    "t.memo AS memo, BUILTIN.DF(t.status) AS status "
    "FROM transaction t WHERE t.type = 'SalesOrd' AND t.id <= :max_id ORDER BY t.id"
)
TYPED_COLUMNS = (
    ColumnSpec("id", C.INT),
    ColumnSpec("placed", C.DATE),
    ColumnSpec("placed_iso", C.DATE),
    ColumnSpec("total", C.DECIMAL),
    ColumnSpec("auto_bill", C.BOOL),
    ColumnSpec("created", C.DATETIME),
)


def test_typed_values_match_the_database(emulator: Emulator) -> None:
    max_id = emulator.sql("SELECT min(id) + 400 FROM transaction WHERE type = 'SalesOrd'")[0][0]
    with make_client(emulator) as client:
        result = client.fetch(TYPED_SQL, {"max_id": max_id}, key="id", columns=TYPED_COLUMNS)
    expected = emulator.sql(
        "SELECT id, tranid, trandate, total, custbody_celigo_etail_auto_bill_exp, createddate, "
        "memo FROM transaction WHERE type = 'SalesOrd' AND id <= ? ORDER BY id",
        [max_id],
    )
    assert result.columns == (
        "id",
        "tranid",
        "placed",
        "placed_iso",
        "total",
        "auto_bill",
        "created",
        "memo",
        "status",
    )
    assert len(result.rows) == len(expected) > 100
    for row, (id_, tranid, placed, total, flag, created, memo) in zip(
        result.rows, expected, strict=True
    ):
        assert (row["id"], row["tranid"], row["memo"]) == (id_, tranid, memo)
        assert row["placed"] == row["placed_iso"] == placed and isinstance(row["placed"], date)
        assert row["total"] == Decimal(str(total)) if total is not None else row["total"] is None
        assert row["auto_bill"] is (flag == "T")
        assert isinstance(row["created"], datetime) and row["created"].date() == created.date()
        assert isinstance(row["status"], str) and row["status"]


def test_bound_and_literal_parameters_give_the_same_rows(emulator: Emulator) -> None:
    sql = (
        "SELECT t.id AS id FROM transaction t WHERE t.type = :kind AND t.id > :min_id "
        "AND t.trandate >= :since AND t.tranid <> :skip ORDER BY t.id"
    )
    first_day = emulator.sql("SELECT min(trandate) FROM transaction")[0][0]
    since = first_day.fromordinal(first_day.toordinal() + 10)
    values = {"kind": "SalesOrd", "min_id": 20_100, "since": since, "skip": "SO'10001"}
    types = {"kind": C.TEXT, "min_id": C.INT, "since": C.DATE, "skip": C.TEXT}
    ids = {}
    for bound in (True, False):
        with make_client(emulator, bound_params=bound) as client:
            rows = client.fetch(sql, values, param_types=types, columns=[ColumnSpec("id", C.INT)])
            ids[bound] = [r["id"] for r in rows.rows]
    expected = emulator.sql(
        "SELECT id FROM transaction WHERE type = 'SalesOrd' AND id > 20100 AND trandate >= ? "
        "ORDER BY id",
        [since],
    )
    assert ids[True] == ids[False] == [r[0] for r in expected]
    assert len(expected) > 10


@pytest.mark.parametrize("bound", [True, False])
@pytest.mark.parametrize("hostile", ["x' OR '1'='1", "'; DELETE FROM transaction --", "\\'"])
def test_hostile_text_matches_nothing(emulator: Emulator, bound: bool, hostile: str) -> None:
    with make_client(emulator, bound_params=bound) as client:
        result = client.fetch(
            "SELECT t.id AS id FROM transaction t WHERE t.tranid = :tranid", {"tranid": hostile}
        )
    assert result.total == 0


def test_bound_params_on_an_old_account_are_refused() -> None:
    with start_emulator(EmulatorConfig(bound_params=False), loader=bulk_loader(5)) as emu:
        with make_client(emu, bound_params=True) as client, pytest.raises(BadRequestError) as info:
            client.fetch(BULK_SQL, bulk_params(5))
        with make_client(emu, bound_params=False) as client:
            assert client.fetch(BULK_SQL, bulk_params(5)).total == 5
    assert info.value.status == 400


LINES_SQL = (
    "SELECT tl.uniquekey AS k, tl.transaction AS tran FROM transactionline tl ORDER BY tl.uniquekey"
)


def test_rows_changing_during_paging_are_reread_by_key_without_loss_or_duplicates(
    emulator_factory: Callable[..., Emulator],
) -> None:
    emu = emulator_factory(scale=500, mutate_during_paging=True)
    before = {r[0] for r in emu.sql("SELECT uniquekey FROM transactionline")}
    assert len(before) > 3000  # several pages
    # concurrency=1: the emulator takes a page's totalResults and its rows in two statements,
    # and a concurrent request's mutation can land between them, so one page is not one
    # snapshot there (NetSuite answers a page from one). One request at a time avoids that race.
    with make_client(emu, concurrency=1) as client:
        result = client.fetch(LINES_SQL, key="k", columns=[ColumnSpec("k", C.INT)], name="lines")
    after = {r[0] for r in emu.sql("SELECT uniquekey FROM transactionline")}
    keys = [r["k"] for r in result.rows]
    assert len(keys) == len(set(keys)), "duplicates"
    assert (before & after) <= set(keys), "rows present throughout were lost"
    assert set(keys) <= before | after
    assert keys == sorted(keys)


def test_rows_changing_during_offset_paging_never_pass_silently(
    emulator_factory: Callable[..., Emulator],
) -> None:
    # Each request inserts one order and deletes another: the pages stop adding up. `pages()`
    # has yielded pages already, so it cannot re-read; it must fail rather than end quietly.
    # (Without a key only a changed totalResults is detectable: document, not test, that.)
    emu = emulator_factory(scale=500, mutate_during_paging=True)
    with make_client(emu) as client, pytest.raises(InconsistentResult, match="changed during"):
        list(client.pages(LINES_SQL, key="k", columns=[ColumnSpec("k", C.INT)], name="lines"))
