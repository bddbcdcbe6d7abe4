"""Pure parts of the emulator, one line per case: value formatting, the RFC 5849 base string,
status letters, paging parameter checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from suiteops.emulator.auth import base_string, canonical_account, parse_oauth_header
from suiteops.emulator.formatting import format_row, format_value
from suiteops.emulator.problems import Problem
from suiteops.emulator.record_writes import LineTotals, so_status
from suiteops.emulator.suiteql import count_sql, parse_body, parse_paging


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("12.500"), "12.5"),
        (Decimal("3.0000"), "3"),
        (Decimal("1E+2"), "100"),
        (Decimal("-0.00"), "0"),
        (Decimal("-0.2500"), "-0.25"),
        (Decimal("0.0000001"), "0.0000001"),
        (12.5, "12.5"),
        (1e-7, "0.0000001"),
        (1e20, "100000000000000000000"),
        (3.0, "3"),
        (42, "42"),
        (True, "T"),
        (False, "F"),
        (dt.date(2026, 1, 5), "1/5/2026"),
        (dt.datetime(2026, 12, 31, 23, 59, 1), "12/31/2026"),
        ("It's", "It's"),
    ],
)
def test_format_value(value: object, text: str) -> None:
    assert format_value(value) == text


def test_format_row_omits_nulls_and_lowers_keys() -> None:
    assert format_row(["ID", "Memo", "Qty"], [7, None, Decimal("2.0")]) == {
        "links": [], "id": "7", "qty": "2"}  # fmt: skip


def test_base_string_matches_rfc5849_example() -> None:
    # RFC 5849 §3.4.1.1: the worked example's base string, from its request and header.
    header = ('OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2", '
              'oauth_token="kkk9d7dh3k39sjv7", oauth_signature_method="HMAC-SHA1", '
              'oauth_timestamp="137131201", oauth_nonce="7d8f3e4a", '
              'oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D"')  # fmt: skip
    # The example's form body (c2=&a3=2+q) is signed like query parameters, so it is appended
    # to the query here; the emulator itself never signs bodies (NetSuite's are JSON).
    url = "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b&c2=&a3=2%20q"
    assert base_string("POST", url, parse_oauth_header(header)) == (
        "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D"
        "%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce"
        "%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26"
        "oauth_token%3Dkkk9d7dh3k39sjv7"
    )


@pytest.mark.parametrize(
    ("url", "base"),
    [
        ("HTTP://EXAMPLE.com:80/r", "http%3A%2F%2Fexample.com%2Fr"),
        ("https://example.com:443/r", "https%3A%2F%2Fexample.com%2Fr"),
        ("http://127.0.0.1:8080/r", "http%3A%2F%2F127.0.0.1%3A8080%2Fr"),
    ],
)
def test_base_string_uri_normalisation(url: str, base: str) -> None:
    assert base_string("get", url, {}).split("&")[:2] == ["GET", base]


@pytest.mark.parametrize(("given", "realm"), [("1234567_SB1", "1234567_SB1"),
                                             ("1234567-sb1", "1234567_SB1"),
                                             ("tstdrv123", "TSTDRV123")])  # fmt: skip
def test_canonical_account(given: str, realm: str) -> None:
    assert canonical_account(given) == realm


@pytest.mark.parametrize(
    ("current", "totals", "letter"),
    [
        ("B", LineTotals(2, 5, 0, 0, 0), "B"),
        ("B", LineTotals(2, 3, 2, 0, 2), "E"),
        ("E", LineTotals(1, 3, 2, 2, 0), "D"),
        ("E", LineTotals(2, 0, 5, 0, 5), "F"),
        ("F", LineTotals(2, 0, 5, 5, 0), "G"),
        ("B", LineTotals(0, 0, 0, 0, 0), "H"),
        ("D", LineTotals(0, 0, 2, 2, 0), "G"),
        ("E", LineTotals(0, 0, 2, 0, 2), "F"),
        ("A", LineTotals(2, 5, 0, 0, 0), "A"),
        ("C", LineTotals(0, 0, 0, 0, 0), "C"),
    ],
)
def test_so_status_follows_the_lines(current: str, totals: LineTotals, letter: str) -> None:
    assert so_status(current, totals) == letter


@pytest.mark.parametrize(("limit", "offset", "expected"), [
    (None, None, (1000, 0)), ("5", "10", (5, 10)), ("1000", "99000", (1000, 99000))])  # fmt: skip
def test_parse_paging_accepts(limit: str | None, offset: str | None,
                              expected: tuple[int, int]) -> None:  # fmt: skip
    paging = parse_paging(limit, offset)
    assert (paging.limit, paging.offset) == expected


@pytest.mark.parametrize(("raw", "fragment"), [
    (b"", "'q'"), (b"[]", "'q'"), (b'{"q": "  "}', "'q'"), (b'{"q": "x", "params": 5}', "list"),
    (b"\xff", "Invalid JSON")])  # fmt: skip
def test_parse_body_refuses(raw: bytes, fragment: str) -> None:
    with pytest.raises(Problem) as caught:
        parse_body(raw, bound_params=True)
    assert caught.value.status == 400 and fragment in caught.value.detail


@pytest.mark.parametrize(
    ("sql", "inner"),
    [
        ("SELECT a FROM t WHERE x > ? ORDER BY a", "SELECT a FROM t WHERE x > ?"),
        ("SELECT a FROM t ORDER BY a LIMIT 3", "SELECT a FROM t ORDER BY a LIMIT 3"),
        ("SELECT a FROM t UNION SELECT b FROM u ORDER BY 1",
         "SELECT a FROM t UNION SELECT b FROM u ORDER BY 1"),
        ("SELECT a FROM (SELECT a FROM t ORDER BY a) AS s",
         "SELECT a FROM (SELECT a FROM t ORDER BY a) AS s"),
    ],
)  # fmt: skip
def test_count_sql_drops_only_a_free_outer_order(sql: str, inner: str) -> None:
    assert count_sql(sql) == f"SELECT count(*) FROM ({inner}) AS suiteql_count"
