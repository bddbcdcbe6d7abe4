"""Helpers for the emulator's own tests: a small hand-made account, signing, SuiteQL calls.

`small_account` fills a database with rows whose every value the tests know (so expectations
are computed from the data, not copied from output). Requests are signed with oauthlib's
`Client`, an implementation independent of the emulator's verifier.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import duckdb
import httpx
from oauthlib.oauth1 import Client

from suiteops.emulator import schema
from suiteops.emulator.server import DEMO_CREDENTIALS, Emulator, EmulatorConfig, start_emulator

SUITEQL = "/services/rest/query/v1/suiteql"
ITEMS = 2500
CREATED = dt.datetime(2026, 9, 1, 8, 30, 0)


def small_account(con: duckdb.DuckDBPyConnection, items: int = ITEMS) -> None:
    """Locations, customers, `items` items and three sales orders in known states."""
    schema.create_schema(con)
    con.execute("INSERT INTO subsidiary VALUES (1, 'Parent', 'F')")
    con.execute("INSERT INTO location VALUES (1, 'East DC', 'East DC', 1, 'F', 'T'),"
                " (2, 'West DC', 'West DC', 1, 'F', 'T')")  # fmt: skip
    con.execute("INSERT INTO customer (id, entityid, altname, isperson, email) VALUES"
                " (1, 'C1', 'Jane Doe', 'T', 'jane@example.com'),"
                " (2, 'C2', 'Acme Corp', 'F', 'ap@acme.example')")  # fmt: skip
    con.execute(
        "INSERT INTO item (id, itemid, itemtype, baseprice, lastmodifieddate) "
        "SELECT i, 'SKU-' || lpad(i::VARCHAR, 5, '0'), 'InvtPart', 10 + (i % 7) * 2.5, ? "
        "FROM range(1, ? + 1) r(i)",
        [CREATED, items],
    )
    _order(con, 101, "B", [(1, 3, 0, 0), (2, 2, 0, 0)])
    _order(con, 102, "F", [(3, 4, 4, 0)])
    _order(con, 103, "G", [(4, 1, 1, 1)])


def _order(con: duckdb.DuckDBPyConnection, so_id: int, status: str,
           lines: list[tuple[int, int, int, int]]) -> None:  # fmt: skip
    total = sum(qty * 10 for _, qty, _, _ in lines)
    con.execute(
        "INSERT INTO transaction (id, tranid, type, recordtype, status, trandate, createddate,"
        " lastmodifieddate, entity, otherrefnum, externalid, foreigntotal, total,"
        " custbody_celigo_etail_order_id, custbody_celigo_etail_auto_bill_exp)"
        " VALUES (?, ?, 'SalesOrd', 'salesorder', ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, 'F')",
        [so_id, f"SO{so_id}", status, CREATED.date(), CREATED, CREATED, f"#{so_id + 900}",
         f"shopify-{so_id}", total, total, f"55500000{so_id}"],
    )  # fmt: skip
    key = so_id * 100
    con.execute(
        "INSERT INTO transactionline (transaction, id, uniquekey, linesequencenumber, mainline,"
        " location, amount) VALUES (?, 0, ?, 0, 'T', 1, ?)",
        [so_id, key, total],
    )
    for n, (item, qty, shipped, billed) in enumerate(lines, start=1):
        con.execute(
            "INSERT INTO transactionline (transaction, id, uniquekey, linesequencenumber,"
            " mainline, item, itemtype, quantity, quantityshiprecv, quantitybilled, fulfillable,"
            " location, rate, amount)"
            " VALUES (?, ?, ?, ?, 'F', ?, 'InvtPart', ?, ?, ?, 'T', 1, 10, ?)",
            [so_id, n, key + n, n, item, -qty, shipped, billed, -qty * 10],
        )  # fmt: skip


@functools.cache
def http() -> httpx.Client:
    """One shared HTTP client (creating a client costs tens of milliseconds)."""
    return httpx.Client(timeout=30)


def start_small(**overrides: Any) -> Emulator:
    """An emulator over `small_account` with the real dialect."""
    return start_emulator(EmulatorConfig(**overrides), loader=small_account)


def sign(emu: Emulator, method: str, url: str, **client_args: Any) -> dict[str, str]:
    """TBA headers for `method url`, signed by oauthlib (overrides via `client_args`)."""
    args: dict[str, Any] = {
        "client_key": emu.config.consumer_key,
        "client_secret": emu.config.consumer_secret,
        "resource_owner_key": emu.config.token_id,
        "resource_owner_secret": emu.config.token_secret,
        "signature_method": "HMAC-SHA256",
        "realm": emu.account,
        **client_args,
    }
    key = args.pop("client_key")
    _, headers, _ = Client(key, **args).sign(url, http_method=method)
    return dict(headers)


def suiteql(
    emu: Emulator,
    q: str,
    params: list[Any] | None = None,
    *,
    limit: int | None = None,
    offset: int | None = None,
    headers: dict[str, str] | None = None,
    url: str | None = None,
) -> httpx.Response:
    """POST one signed SuiteQL page request."""
    if url is None:
        query = "&".join(
            f"{k}={v}" for k, v in (("limit", limit), ("offset", offset)) if v is not None
        )
        url = emu.base_url + SUITEQL + (f"?{query}" if query else "")
    body: dict[str, Any] = {"q": q}
    if params is not None:
        body["params"] = params
    sent = {"Prefer": "transient", **sign(emu, "POST", url), **(headers or {})}
    return http().post(url, json=body, headers={k: v for k, v in sent.items() if v})


def request(emu: Emulator, method: str, path: str, *, json_body: Any = None,
            headers: dict[str, str] | None = None) -> httpx.Response:  # fmt: skip
    """Any signed request to the emulator."""
    url = emu.base_url + path
    sent = {**sign(emu, method, url), **(headers or {})}
    return http().request(method, url, json=json_body, headers=sent)


def error_code(response: httpx.Response) -> str:
    """The first `o:errorCode` of a NetSuite error body."""
    return str(response.json()["o:errorDetails"][0]["o:errorCode"])


def error_detail(response: httpx.Response) -> str:
    """The first `detail` of a NetSuite error body."""
    return str(response.json()["o:errorDetails"][0]["detail"])


__all__ = ["DEMO_CREDENTIALS", "ITEMS", "SUITEQL"]
