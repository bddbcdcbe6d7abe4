"""Links to NetSuite records and to the Shopify admin."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from suiteops.views.links import (
    DISPLAY_PATTERN,
    LinkTarget,
    Record,
    account_slug,
    add_links,
    record_url,
    shopify_order_url,
)


@pytest.mark.parametrize(
    ("account", "slug"),
    [("1234567", "1234567"), ("1234567_SB1", "1234567-sb1"), ("TSTDRV42", "tstdrv42")],
)
def test_account_slug(account: str, slug: str) -> None:
    assert account_slug(account) == slug


def test_account_slug_refuses_what_cannot_be_a_host() -> None:
    with pytest.raises(ValueError, match="cannot form a host name"):
        account_slug("evil.com/x")


@pytest.mark.parametrize(
    ("record", "path"),
    [
        (Record.SALES_ORDER, "/app/accounting/transactions/salesord.nl"),
        (Record.FULFILLMENT, "/app/accounting/transactions/itemship.nl"),
        (Record.INVOICE, "/app/accounting/transactions/custinvc.nl"),
        (Record.CASH_SALE, "/app/accounting/transactions/cashsale.nl"),
        (Record.ITEM, "/app/common/item/item.nl"),
    ],
)
def test_record_url(record: Record, path: str) -> None:
    url = record_url("123_SB1", record, 42, "SO42")
    assert url == f"https://123-sb1.app.netsuite.com{path}?id=42#SO42"
    assert re.search(DISPLAY_PATTERN, url).group(1) == "SO42"  # type: ignore[union-attr]


def test_record_url_coerces_the_id_to_int() -> None:
    assert "?id=7#7" in record_url("1", Record.ITEM, "7")
    with pytest.raises(ValueError):
        record_url("1", Record.ITEM, "7 OR 1=1")


def test_shopify_url_shows_the_order_name() -> None:
    url = shopify_order_url("My-Store", "5001", "#1001")
    assert url == "https://admin.shopify.com/store/my-store/orders/5001##1001"
    assert re.search(DISPLAY_PATTERN, url).group(1) == "#1001"  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="not numeric"):
        shopify_order_url("s", "abc")


def test_add_links_puts_link_columns_first(backlog: pd.DataFrame) -> None:
    out, links = add_links(backlog, LinkTarget("999", shopify_store="shop"))
    assert links == ("sales_order", "item_record", "shopify_order")
    assert list(out.columns[:3]) == list(links)
    assert out.loc[0, "sales_order"].endswith("salesord.nl?id=10#SO10")
    assert out.loc[1, "item_record"].endswith("item.nl?id=2#B-2")
    assert out.loc[2, "shopify_order"] == "https://admin.shopify.com/store/shop/orders/5002##1002"
    pd.testing.assert_frame_equal(out[list(backlog.columns)], backlog)


def test_no_shopify_links_without_a_store_and_none_without_an_account(
    backlog: pd.DataFrame,
) -> None:
    assert "shopify_order" not in add_links(backlog, LinkTarget("999"))[1]
    out, links = add_links(backlog, LinkTarget(""))
    assert links == () and list(out.columns) == list(backlog.columns)


def test_bill_links_follow_the_bill_type() -> None:
    frame = pd.DataFrame(
        {
            "bill_id": [1, 2, None],
            "bill_type": ["CustInvc", "CashSale", "CustInvc"],
            "bill_number": ["INV1", "CS2", None],
        }
    )
    out, links = add_links(frame, LinkTarget("9"))
    assert links == ("bill",)
    assert out["bill"][0].endswith("custinvc.nl?id=1#INV1")
    assert out["bill"][1].endswith("cashsale.nl?id=2#CS2")
    assert out["bill"][2] is None


def test_missing_ids_give_no_link() -> None:
    frame = pd.DataFrame({"if_id": [5.0, float("nan")], "if_number": ["IF5", None]})
    out, _ = add_links(frame, LinkTarget("9"))
    assert out["fulfillment"][0].endswith("itemship.nl?id=5#IF5")
    assert out["fulfillment"][1] is None
