"""The SuiteQL endpoint over real HTTP: envelope, paging, the 100,000-row window, errors."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from emuhelpers import (
    ITEMS,
    SUITEQL,
    error_code,
    error_detail,
    request,
    sign,
    start_small,
    suiteql,
)

from suiteops.emulator.server import Emulator
from suiteops.errors import ConfigError

ITEM_Q = "SELECT id, itemid FROM item ORDER BY id"


@pytest.fixture(scope="module")
def small() -> Iterator[Emulator]:
    with start_small() as emu:
        yield emu


def rels(envelope: dict) -> dict[str, str]:
    return {link["rel"]: link["href"] for link in envelope["links"]}


def test_single_page_envelope(small: Emulator) -> None:
    body = suiteql(small, "SELECT id, itemid FROM item WHERE id <= 3 ORDER BY id").json()
    assert set(body) == {"links", "count", "hasMore", "offset", "totalResults", "items"}
    assert (body["count"], body["hasMore"], body["offset"], body["totalResults"]) == (
        3,
        False,
        0,
        3,
    )
    assert list(rels(body)) == ["self"]
    assert body["items"][0] == {"links": [], "id": "1", "itemid": "SKU-00001"}


def test_values_are_strings_nulls_omitted_keys_lower_case(small: Emulator) -> None:
    q = (
        "SELECT t.ID AS SoId, t.trandate, t.createddate, t.foreigntotal, t.memo, "
        "t.custbody_celigo_etail_auto_bill_exp AS Flag FROM transaction t WHERE t.id = 101"
    )
    item = suiteql(small, q).json()["items"][0]
    total = small.sql("SELECT foreigntotal FROM transaction WHERE id = 101")[0][0]
    assert item == {
        "links": [], "soid": "101", "trandate": "9/1/2026", "createddate": "9/1/2026",
        "foreigntotal": format(Decimal(total).normalize(), "f"), "flag": "F",
    }  # fmt: skip
    assert "memo" not in item


def test_numbers_have_no_exponent_or_trailing_zeros(small: Emulator) -> None:
    q = "SELECT baseprice, baseprice * 100 AS big FROM item WHERE id IN (1, 2) ORDER BY id"
    items = suiteql(small, q).json()["items"]
    prices = small.sql("SELECT baseprice FROM item WHERE id IN (1, 2) ORDER BY id")
    assert [i["baseprice"] for i in items] == [format(p.normalize(), "f") for (p,) in prices]
    assert items[0]["baseprice"] == "12.5" and items[1]["big"] == "1500"


def test_default_limit_is_1000_and_pages_link_together(small: Emulator) -> None:
    first = suiteql(small, ITEM_Q).json()
    assert (first["count"], first["hasMore"], first["totalResults"]) == (1000, True, ITEMS)
    assert list(rels(first)) == ["next", "last", "self"]
    assert rels(first)["last"].endswith(f"{SUITEQL}?limit=1000&offset=2000")
    middle = suiteql(small, ITEM_Q, url=rels(first)["next"]).json()
    assert list(rels(middle)) == ["prev", "first", "next", "last", "self"]
    last = suiteql(small, ITEM_Q, url=rels(middle)["next"]).json()
    assert list(rels(last)) == ["prev", "first", "self"]
    assert (last["offset"], last["count"], last["hasMore"]) == (2000, ITEMS - 2000, False)
    ids = [int(i["id"]) for page in (first, middle, last) for i in page["items"]]
    assert ids == list(range(1, ITEMS + 1))


def test_hrefs_are_absolute_urls_of_this_server(small: Emulator) -> None:
    body = suiteql(small, ITEM_Q, limit=10, offset=20).json()
    assert rels(body) == {
        rel: f"{small.base_url}{SUITEQL}?limit=10&offset={offset}"
        for rel, offset in (("prev", 10), ("first", 0), ("next", 30), ("last", 2490), ("self", 20))
    }


def test_offset_past_the_end_is_an_empty_page(small: Emulator) -> None:
    body = suiteql(small, "SELECT id FROM item WHERE id <= 5", limit=5, offset=10).json()
    assert (body["count"], body["hasMore"], body["totalResults"], body["items"]) == (
        0,
        False,
        5,
        [],
    )


def test_empty_result(small: Emulator) -> None:
    body = suiteql(small, "SELECT id FROM item WHERE id < 0").json()
    assert (body["count"], body["hasMore"], body["totalResults"]) == (0, False, 0)
    assert list(rels(body)) == ["self"]


@pytest.mark.parametrize(
    ("limit", "offset", "fragment"),
    [
        (1001, 0, "'limit'"),
        (0, 0, "'limit'"),
        ("abc", 0, "'limit'"),
        (10, 5, "multiple of the limit"),
        (10, -10, "'offset'"),
        (1000, 100_000, "at most 100000"),
    ],
)
def test_bad_paging_parameters(small: Emulator, limit: object, offset: int, fragment: str) -> None:
    response = suiteql(small, ITEM_Q, limit=limit, offset=offset)  # type: ignore[arg-type]
    assert response.status_code == 400
    assert error_code(response) == "INVALID_PARAMETER"
    assert fragment in error_detail(response)


WINDOW_Q = ("SELECT a.id AS a, b.id AS b FROM item a CROSS JOIN item b "
            "WHERE b.id <= 50 ORDER BY a.id, b.id")  # fmt: skip


def test_no_row_past_the_100k_window(small: Emulator) -> None:
    total = ITEMS * 50
    body = suiteql(small, WINDOW_Q, limit=1000, offset=99_000).json()
    assert (body["count"], body["hasMore"], body["totalResults"]) == (1000, False, total)
    assert list(rels(body)) == ["prev", "first", "self"]
    expected = small.sql("SELECT a.id, b.id FROM item a, item b WHERE b.id <= 50 "
                         "ORDER BY a.id, b.id LIMIT 1000 OFFSET 99000")  # fmt: skip
    assert [(int(i["a"]), int(i["b"])) for i in body["items"]] == expected
    first = suiteql(small, WINDOW_Q, limit=1000).json()
    assert rels(first)["last"].endswith("offset=99000")


def test_window_cuts_a_page_that_straddles_it(small: Emulator) -> None:
    body = suiteql(small, WINDOW_Q, limit=300, offset=99_900).json()
    assert (body["count"], body["hasMore"]) == (100, False)


def test_bound_parameters(small: Emulator) -> None:
    q = "SELECT id FROM item WHERE id BETWEEN ? AND ? ORDER BY id"
    for params in (["5", "7"], [5, 7]):
        body = suiteql(small, q, params).json()
        assert [i["id"] for i in body["items"]] == ["5", "6", "7"]


def test_parameter_count_must_match(small: Emulator) -> None:
    response = suiteql(small, "SELECT id FROM item WHERE id = ?", ["1", "2"])
    assert response.status_code == 400 and error_code(response) == "INVALID_PARAMETER"


@pytest.mark.parametrize("value", [True, None, {"a": 1}, [1]])
def test_parameter_values_must_be_strings_or_numbers(small: Emulator, value: object) -> None:
    response = suiteql(small, "SELECT id FROM item WHERE id = ?", [value])
    assert response.status_code == 400 and "params[0]" in error_detail(response)


def test_params_refused_on_an_account_without_bound_parameters() -> None:
    with start_small(bound_params=False) as emu:
        response = suiteql(emu, "SELECT id FROM item WHERE id = ?", ["1"])
        assert response.status_code == 400 and "2026.2" in error_detail(response)
        assert suiteql(emu, "SELECT id FROM item WHERE id = 1").status_code == 200


def test_prefer_transient_is_required(small: Emulator) -> None:
    response = suiteql(small, ITEM_Q, headers={"Prefer": ""})
    assert response.status_code == 400 and error_code(response) == "INVALID_REQUEST"
    assert "Prefer: transient" in error_detail(response)


def test_query_service_refuses_async(small: Emulator) -> None:
    response = suiteql(small, ITEM_Q, headers={"Prefer": "transient, respond-async"})
    assert response.status_code == 400 and "asynchronous" in error_detail(response)


@pytest.mark.parametrize(
    ("q", "code", "fragment"),
    [
        ("DELETE FROM item", "USER_ERROR", ""),
        ("SELECT id FROM nosuchtable", "INVALID_PARAMETER", "Record 'nosuchtable' was not found."),
        ("SELECT nosuchcolumn FROM item", "INVALID_PARAMETER", "Unknown identifier"),
        ("SELEC id FROM item", "INVALID_PARAMETER", ""),
    ],
)
def test_queries_netsuite_refuses(small: Emulator, q: str, code: str, fragment: str) -> None:
    response = suiteql(small, q)
    assert response.status_code == 400
    body = response.json()
    assert (
        body["status"] == 400 and body["title"] == "Bad Request" and body["type"].startswith("http")
    )
    assert error_code(response) in {code, "INVALID_PARAMETER", "USER_ERROR"}
    assert fragment in error_detail(response)


def test_invalid_json_body(small: Emulator) -> None:
    url = small.base_url + SUITEQL
    headers = {
        "Prefer": "transient",
        "Content-Type": "application/json",
        **sign(small, "POST", url),
    }
    response = httpx.post(url, content=b"{not json", headers=headers)
    assert response.status_code == 400 and error_code(response) == "INVALID_CONTENT"


def test_every_response_carries_a_request_id(small: Emulator) -> None:
    ok = suiteql(small, "SELECT id FROM item WHERE id = 1")
    bad = suiteql(small, ITEM_Q, limit=5000)
    unauth = httpx.post(small.base_url + SUITEQL, json={"q": ITEM_Q})
    ids = {r.headers.get("X-N-OperationId") for r in (ok, bad, unauth)}
    assert None not in ids and len(ids) == 3


def test_unknown_path_is_a_netsuite_404(small: Emulator) -> None:
    response = request(small, "GET", "/services/rest/nothing/here")
    assert response.status_code == 404 and response.json()["status"] == 404


def test_health_needs_no_credentials(small: Emulator) -> None:
    assert httpx.get(small.base_url + "/health").json() == {
        "status": "ok",
        "account": small.account,
    }


def test_sql_reads_and_writes_the_same_database(small: Emulator) -> None:
    small.sql("UPDATE item SET displayname = 'Renamed' WHERE id = 9")
    body = suiteql(small, "SELECT displayname FROM item WHERE id = 9").json()
    assert body["items"][0]["displayname"] == "Renamed"


def test_cached_pages_follow_writes(small: Emulator) -> None:
    q = "SELECT id, displayname FROM item ORDER BY id"
    before = suiteql(small, q, limit=10, offset=100).json()["items"]  # caches pages 100..199
    assert "displayname" not in before[5]
    small.sql("UPDATE item SET displayname = 'Fresh' WHERE id = 116")
    after = suiteql(small, q, limit=10, offset=110).json()["items"]
    assert (after[5]["id"], after[5]["displayname"]) == ("116", "Fresh")


def test_offset_pages_across_chunks_match_direct_reads(small: Emulator) -> None:
    q = "SELECT id, itemid FROM item WHERE MOD(id, 3) = 0 ORDER BY itemid DESC"
    got = [
        (int(i["id"]), i["itemid"])
        for offset in range(0, 900, 30)
        for i in suiteql(small, q, limit=30, offset=offset).json()["items"]
    ]
    assert got == small.sql("SELECT id, itemid FROM item WHERE id % 3 = 0 ORDER BY itemid DESC")


def test_a_database_file_is_kept_and_reused(tmp_path: Path) -> None:
    with start_small(db_path=tmp_path / "account.duckdb") as emu:
        emu.sql("UPDATE item SET displayname = 'Kept' WHERE id = 3")
    with start_small(db_path=tmp_path / "account.duckdb") as emu:
        body = suiteql(emu, "SELECT displayname FROM item WHERE id = 3").json()
        assert body["items"][0]["displayname"] == "Kept"


def test_an_unusable_database_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"missing/account\.duckdb: cannot open"):
        start_small(db_path=tmp_path / "missing" / "account.duckdb")


def test_wrong_method_is_a_netsuite_error(small: Emulator) -> None:
    response = request(small, "GET", SUITEQL)
    assert response.status_code == 405
    assert error_code(response) == "INVALID_REQUEST" and "GET is not supported" in error_detail(
        response
    )


def test_a_file_from_another_generation_is_regenerated(tmp_path: Path) -> None:
    path = tmp_path / "account.duckdb"
    with start_small(db_path=path) as emu:
        emu.sql("UPDATE item SET displayname = 'Old' WHERE id = 3")
    with start_small(db_path=path, seed=8) as emu:  # other seed: the data is generated again
        assert "displayname" not in suiteql(emu, "SELECT displayname FROM item WHERE id = 3"
                                            ).json()["items"][0]  # fmt: skip


def test_a_port_in_use_is_a_clear_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ConfigError, match=f"cannot listen on 127.0.0.1:{port}"):
            start_small(port=port)
