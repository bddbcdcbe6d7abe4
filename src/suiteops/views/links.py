"""Links from rows to NetSuite records and to the Shopify admin.

NetSuite's UI lives at `https://<account slug>.app.netsuite.com`, where the slug is the account id
lower-cased with `_` turned into `-` (`1234567_SB1` → `1234567-sb1`). Each link carries the
document number as a URL fragment (`...?id=42#SO1042`) so that the table can show the number
while linking to the record: the fragment never reaches a server.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType

import pandas as pd

from suiteops.views.columns import Role, column

# What a LinkColumn shows: the text after '#'.
DISPLAY_PATTERN = r"#(.+)$"


class Record(Enum):
    """NetSuite record pages SuiteOps links to, with their UI path."""

    SALES_ORDER = "/app/accounting/transactions/salesord.nl"
    FULFILLMENT = "/app/accounting/transactions/itemship.nl"
    INVOICE = "/app/accounting/transactions/custinvc.nl"
    CASH_SALE = "/app/accounting/transactions/cashsale.nl"
    PAYMENT = "/app/accounting/transactions/custpymt.nl"
    ITEM = "/app/common/item/item.nl"


# transaction.type codes (and labels) of bills → their record page.
BILL_RECORDS: Mapping[str, Record] = MappingProxyType(
    {
        "custinvc": Record.INVOICE,
        "invoice": Record.INVOICE,
        "cashsale": Record.CASH_SALE,
        "cash sale": Record.CASH_SALE,
    }
)

# transaction.recordtype (REST record type) → record page.
RECORD_TYPES: Mapping[str, Record] = MappingProxyType(
    {
        "salesorder": Record.SALES_ORDER,
        "itemfulfillment": Record.FULFILLMENT,
        "invoice": Record.INVOICE,
        "cashsale": Record.CASH_SALE,
        "customerpayment": Record.PAYMENT,
    }
)


@dataclass(frozen=True)
class LinkTarget:
    """Where the links of one table point: the NetSuite account and the Shopify store."""

    account: str
    shopify_store: str = ""


def account_slug(account: str) -> str:
    """The host label of an account's UI domain: lower case, `_` replaced by `-`."""
    slug = account.strip().lower().replace("_", "-")
    if not re.fullmatch(r"[a-z0-9-]+", slug):
        raise ValueError(f"NetSuite account id {account!r} cannot form a host name")
    return slug


def record_url(account: str, record: Record, internal_id: object, label: object = None) -> str:
    """The UI address of one record, with `label` (default the id) as the fragment."""
    rid = int(internal_id)  # type: ignore[call-overload]
    shown = rid if label is None or pd.isna(label) else label
    return f"https://{account_slug(account)}.app.netsuite.com{record.value}?id={rid}#{shown}"


def shopify_order_url(store: str, order_id: object, label: object = None) -> str:
    """The Shopify admin address of an order, with `label` (default the id) as the fragment."""
    oid = str(order_id).strip()
    if not re.fullmatch(r"\d+", oid):
        raise ValueError(f"Shopify order id {order_id!r} is not numeric")
    handle = store.strip().lower()
    shown = oid if label is None or pd.isna(label) else label
    return f"https://admin.shopify.com/store/{handle}/orders/{oid}#{shown}"


# link column → (record, id role, label role); the label shows through DISPLAY_PATTERN.
_RECORD_LINKS: tuple[tuple[str, Record, Role, Role], ...] = (
    ("sales_order", Record.SALES_ORDER, Role.SO_ID, Role.SO_NUMBER),
    ("fulfillment", Record.FULFILLMENT, Role.FULFILLMENT_ID, Role.FULFILLMENT_NUMBER),
    ("item_record", Record.ITEM, Role.ITEM_ID, Role.SKU),
)


def add_links(frame: pd.DataFrame, target: LinkTarget) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """`frame` with link columns added in front, and the names of those columns."""
    out = frame.copy()
    added: list[str] = []
    if not target.account:
        return out, ()
    for name, record, id_role, label_role in _RECORD_LINKS:
        id_col = column(frame, id_role)
        if id_col is not None:
            out[name] = _links(frame, id_col, column(frame, label_role), target.account, record)
            added.append(name)
    if column(frame, Role.BILL_ID) is not None:
        out["bill"] = _bill_links(frame, target.account)
        added.append("bill")
    if target.shopify_store and column(frame, Role.ORDER_ID) is not None:
        out["shopify_order"] = _shopify_links(frame, target.shopify_store)
        added.append("shopify_order")
    rest = [c for c in out.columns if c not in added]
    return out[added + rest], tuple(added)


def _links(
    frame: pd.DataFrame, id_col: str, label_col: str | None, account: str, record: Record
) -> pd.Series:
    prefix = f"https://{account_slug(account)}.app.netsuite.com{record.value}?id="
    return _joined(prefix, frame[id_col], frame[label_col] if label_col else None)


def _joined(prefix: str, ids: pd.Series, labels: pd.Series | None) -> pd.Series:
    """`prefix + id + "#" + label` per row, vectorised; None where the id is missing."""
    numeric = pd.to_numeric(ids, errors="coerce")
    present = numeric.notna()
    text = numeric.where(present, 0).astype("int64").astype(str)
    shown = text if labels is None else labels.astype("object").where(labels.notna(), text)
    urls = (prefix + text + "#" + shown.astype(str)).astype("object")
    return urls.where(present, None)


def _bill_links(frame: pd.DataFrame, account: str) -> pd.Series:
    id_col = column(frame, Role.BILL_ID)
    type_col = column(frame, Role.BILL_TYPE)
    label_col = column(frame, Role.BILL_NUMBER)
    kinds = (
        frame[type_col].astype("object").map(lambda v: str(v).strip().lower())
        if type_col
        else pd.Series("invoice", index=frame.index)
    )
    out = pd.Series(None, index=frame.index, dtype="object")
    labels = frame[label_col] if label_col else None
    for record in set(BILL_RECORDS.values()):
        rows = kinds.map(BILL_RECORDS.get) == record
        prefix = f"https://{account_slug(account)}.app.netsuite.com{record.value}?id="
        part = _joined(prefix, frame[id_col][rows], None if labels is None else labels[rows])
        out[rows] = part
    return out.where(out.notna(), None)


def _shopify_links(frame: pd.DataFrame, store: str) -> pd.Series:
    id_col = column(frame, Role.ORDER_ID)
    label_col = column(frame, Role.ORDER_NAME)
    ids = frame[id_col].astype("object").map(lambda v: str(v).strip() if pd.notna(v) else "")
    numeric = ids.str.fullmatch(r"\d+").fillna(False).astype(bool)
    prefix = f"https://admin.shopify.com/store/{store.strip().lower()}/orders/"
    labels = frame[label_col].astype("object") if label_col else ids
    shown = labels.where(labels.notna(), ids).astype(str)
    urls = (prefix + ids + "#" + shown).astype("object")
    return urls.where(numeric, None)
