"""The account's fixed reference data: subsidiary, locations, terms, ship methods, the item catalog.

Everything here is small (a few hundred rows at most) and identical for every seed and scale, so
it is written as literal tables; the per-order data is generated vectorised elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import duckdb
import numpy as np

from suiteops.emulator.seed.writer import append, text

MERCHANT = "Brightleaf Goods Inc."
STORE = "brightleaf-goods.myshopify.com"
B2B_STORE = "brightleaf-wholesale.myshopify.com"

# (id, name, fullname); the retail store and the 3PL ship little, the three DCs most.
LOCATIONS: tuple[tuple[int, str, str], ...] = (
    (1, "East DC (NJ)", "Warehouses : East DC (NJ)"),
    (2, "West DC (CA)", "Warehouses : West DC (CA)"),
    (3, "Central (TX)", "Warehouses : Central (TX)"),
    (4, "Retail Store - Brooklyn", "Stores : Retail Store - Brooklyn"),
    (5, "Overflow 3PL (NV)", "Warehouses : Overflow 3PL (NV)"),
)
RETAIL_LOCATION = 4
OVERFLOW_LOCATION = 5
DC_LOCATIONS = (1, 2, 3)

TERMS: tuple[tuple[int, str, int], ...] = ((1, "Net 15", 15), (2, "Net 30", 30), (3, "Net 60", 60))

SHIP_ITEMS: tuple[tuple[int, str, str], ...] = (
    (9001, "UPS Ground", "ups"),
    (9002, "UPS 2nd Day Air", "ups"),
    (9003, "FedEx Ground", "fedex"),
    (9004, "FedEx 2Day", "fedex"),
    (9005, "USPS Priority Mail", "usps"),
    (9006, "USPS Ground Advantage", "usps"),
)


def term_days(term_ids: np.ndarray) -> np.ndarray:
    """Days until net due for each `term` id (0 for no terms)."""
    days = np.zeros(max(t[0] for t in TERMS) + 1, np.int64)
    days[[t[0] for t in TERMS]] = [t[2] for t in TERMS]
    return days[term_ids]


def carriers(shipmethod: np.ndarray) -> np.ndarray:
    """The carrier code ('ups', 'fedex', 'usps') of each ship item id."""
    keys = np.array([s[0] for s in SHIP_ITEMS])
    codes = np.array([s[2] for s in SHIP_ITEMS])
    return codes[np.searchsorted(keys, shipmethod)]


# (sku prefix, (code, product name)..., (code, variant)..., price in cents per variant, lot?)
_Family = tuple[
    str, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...], tuple[int, ...], bool
]
_APPAREL_VARIANTS = tuple(
    (f"{cc}-{s}", f"{c} / {s}")
    for (cc, c), s in product(
        (("BLK", "Black"), ("HGR", "Heather Grey"), ("SAG", "Sage")), ("S", "M", "L", "XL")
    )
)
_FAMILIES: tuple[_Family, ...] = (
    (
        "SUP",
        (
            ("OMEGA3", "Omega-3 Fish Oil"),
            ("D3K2", "Vitamin D3 + K2"),
            ("MAGGLY", "Magnesium Glycinate"),
            ("ASHWA", "Ashwagandha"),
            ("PROB50", "Probiotic 50B"),
            ("COLLAG", "Collagen Peptides"),
            ("ELDER", "Elderberry Gummies"),
            ("TURMER", "Turmeric Curcumin"),
            ("ZINC", "Zinc Picolinate"),
            ("MELA3", "Melatonin 3mg"),
            ("BCOMP", "B-Complex"),
            ("ELECTR", "Electrolyte Mix"),
        ),
        (("30", "30 ct"), ("60", "60 ct"), ("120", "120 ct")),
        (1499, 2499, 3999),
        True,
    ),
    (
        "SKN",
        (
            ("VITC", "Vitamin C Serum"),
            ("HYALU", "Hyaluronic Moisturizer"),
            ("RETIN", "Retinol Night Cream"),
            ("SPF30", "Mineral Sunscreen SPF 30"),
            ("CLEAN", "Gentle Cleanser"),
            ("LIPBLM", "Lip Balm"),
        ),
        (("TRV", "Travel"), ("FULL", "Full Size")),
        (1299, 2899),
        True,
    ),
    (
        "OIL",
        (
            ("LAV", "Lavender Oil"),
            ("EUC", "Eucalyptus Oil"),
            ("PEP", "Peppermint Oil"),
            ("TEA", "Tea Tree Oil"),
        ),
        (("10ML", "10ml"), ("30ML", "30ml")),
        (999, 1999),
        True,
    ),
    (
        "APP",
        (
            ("TEE", "Organic Cotton Tee"),
            ("LEGG", "Yoga Leggings"),
            ("HOOD", "Fleece Hoodie"),
            ("SHRT", "Running Shorts"),
            ("SOCK", "Crew Socks"),
        ),
        _APPAREL_VARIANTS,
        (3200,) * len(_APPAREL_VARIANTS),
        False,
    ),
    (
        "ACC",
        (
            ("BOTTLE", "Stainless Bottle 750ml"),
            ("MAT", "Yoga Mat"),
            ("BANDS", "Resistance Bands"),
            ("ROLLER", "Foam Roller"),
            ("SHAKER", "Shaker Cup"),
            ("TOWEL", "Gym Towel"),
            ("PILLS", "Pill Organizer"),
            ("TOTE", "Tote Bag"),
            ("ROPE", "Jump Rope"),
            ("BALL", "Massage Ball"),
        ),
        (("BLK", "Black"), ("SAG", "Sage"), ("SND", "Sand"), ("NVY", "Navy")),
        (2400, 2400, 2600, 2600),
        False,
    ),
    (
        "HOM",
        (
            ("CEDAR", "Soy Candle Cedar"),
            ("CITRUS", "Soy Candle Citrus"),
            ("LAVCDL", "Soy Candle Lavender"),
        ),
        (("S", "Small"), ("L", "Large")),
        (1800, 3400),
        False,
    ),
)

# Kit name → member (sku, quantity); members are never lot numbered (lots are picked per line).
_KITS: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = (
    ("Starter Yoga Kit", (("ACC-MAT-SAG", 1), ("ACC-BANDS-SAG", 1), ("ACC-TOWEL-SAG", 1))),
    ("Gym Essentials Kit", (("ACC-SHAKER-BLK", 1), ("ACC-TOWEL-BLK", 1), ("ACC-BOTTLE-BLK", 1))),
    ("Recovery Kit", (("ACC-ROLLER-NVY", 1), ("ACC-BALL-NVY", 2))),
    ("Candle Trio Gift Set", (("HOM-CEDAR-S", 1), ("HOM-CITRUS-S", 1), ("HOM-LAVCDL-S", 1))),
    ("Athleisure Bundle", (("APP-TEE-BLK-M", 1), ("APP-LEGG-BLK-M", 1))),
    ("Sock Five-Pack", (("APP-SOCK-HGR-M", 5),)),
    ("Travel Hydration Kit", (("ACC-BOTTLE-SND", 1), ("ACC-TOTE-SND", 1))),
    ("Jump Start Kit", (("ACC-ROPE-BLK", 1), ("ACC-TOWEL-NVY", 1), ("ACC-SHAKER-NVY", 1))),
)

DISCOUNT_ITEM = 900
WHOLESALE_DISCOUNT_ITEM = 901
FIRST_ITEM_ID = 101
FIRST_KIT_ID = 801


@dataclass(frozen=True)
class Catalog:
    """The sellable catalog as arrays indexed by position in the sampling pool."""

    ids: np.ndarray  # item id per pool position (inventory parts, then kits)
    price_cents: np.ndarray
    is_lot: np.ndarray  # bool
    is_kit: np.ndarray  # bool
    member_item: np.ndarray  # itemmember rows: member item id
    member_parent: np.ndarray  # itemmember rows: kit item id
    member_qty: np.ndarray

    @property
    def lot_ids(self) -> np.ndarray:
        """Ids of the lot-numbered inventory items."""
        return self.ids[self.is_lot]

    @property
    def inventory_ids(self) -> np.ndarray:
        """Ids of every inventory part (kits excluded)."""
        return self.ids[~self.is_kit]


def _item_rows() -> list[tuple[int, str, str, int, bool]]:
    """Inventory parts: (id, sku, display name, price cents, lot numbered)."""
    rows: list[tuple[int, str, str, int, bool]] = []
    for prefix, names, variants, prices, lot in _FAMILIES:
        for (code, name), ((vcode, variant), price) in product(
            names, zip(variants, prices, strict=True)
        ):
            sku = f"{prefix}-{code}-{vcode}"
            rows.append((FIRST_ITEM_ID + len(rows), sku, f"{name} - {variant}", price, lot))
    return rows


ItemRow = tuple[int, str, str, str, str, int]  # id, sku, name, itemtype, islotitem, price cents


def build_catalog() -> tuple[Catalog, list[ItemRow]]:
    """The sampling catalog and the `item` table rows (parts, kits, discounts)."""
    parts = _item_rows()
    by_sku = {sku: (item_id, cents) for item_id, sku, _, cents, _ in parts}
    table: list[ItemRow] = [
        (i, sku, n, "InvtPart", "T" if lot else "F", c) for i, sku, n, c, lot in parts
    ]
    members: list[tuple[int, int, int]] = []
    for k, (name, content) in enumerate(_KITS):
        kit_id = FIRST_KIT_ID + k
        members += [(kit_id, by_sku[sku][0], qty) for sku, qty in content]
        cents = sum(by_sku[sku][1] * qty for sku, qty in content) * 85 // 100
        sku = "KIT-" + "".join(w[:4] for w in name.upper().split())
        table.append((kit_id, sku, name, "Kit", "F", cents))
    table.append((DISCOUNT_ITEM, "DISC-SHOPIFY", "Shopify Discount", "Discount", "F", 0))
    table.append(
        (WHOLESALE_DISCOUNT_ITEM, "DISC-WHOLESALE", "Wholesale Discount", "Discount", "F", 0)
    )
    sellable = [r for r in table if r[3] in ("InvtPart", "Kit")]
    member = np.array(members, dtype=np.int64)
    catalog = Catalog(
        ids=np.array([r[0] for r in sellable], dtype=np.int64),
        price_cents=np.array([r[5] for r in sellable], dtype=np.int64),
        is_lot=np.array([r[4] == "T" for r in sellable]),
        is_kit=np.array([r[3] == "Kit" for r in sellable]),
        member_parent=member[:, 0],
        member_item=member[:, 1],
        member_qty=member[:, 2],
    )
    return catalog, table


def _columns(rows: tuple[tuple[object, ...], ...] | list[ItemRow]) -> list[np.ndarray]:
    """Literal rows as one array per column."""
    return [np.array(column) for column in zip(*rows, strict=True)]


def _write_places(con: duckdb.DuckDBPyConnection) -> None:
    """Subsidiary, locations, terms and ship items."""
    append(con, "subsidiary", {"id": np.array([1]), "name": MERCHANT})
    ids, names, fullnames = _columns(LOCATIONS)
    append(con, "location", {"id": ids, "name": names, "fullname": fullnames, "subsidiary": 1})
    ids, names, days = _columns(TERMS)
    append(con, "term", {"id": ids, "name": names, "daysuntilnetdue": days})
    ids, names, codes = _columns(SHIP_ITEMS)
    ship = {"id": ids, "itemid": names, "displayname": names, "carrier": codes}
    append(con, "shipitem", ship)


def _write_items(
    con: duckdb.DuckDBPyConnection, catalog: Catalog, items: list[ItemRow], now: int
) -> None:
    """Items (with UPC codes and Shopify variant ids, last changed 200 days ago) and kit members."""
    ids, skus, names, kinds, lots, cents = _columns(items)
    item = {
        "id": ids,
        "itemid": skus,
        "displayname": names,
        "description": names,
        "itemtype": kinds,
        "islotitem": lots,
        "baseprice": cents / 100,
        "upccode": np.strings.add("0812345", np.strings.zfill(ids.astype(str), 5)),
        "averagecost": np.round(cents * 0.0042, 4),
        "externalid": text("shopify-variant-", ids),
        "lastmodifieddate": np.datetime64(now - 200 * 86_400 + 9 * 3_600, "s"),
    }
    append(con, "item", item)
    members = {
        "id": 1 + np.arange(catalog.member_item.size),
        "parentitem": catalog.member_parent,
        "item": catalog.member_item,
        "quantity": catalog.member_qty,
    }
    append(con, "itemmember", members)


def write_reference(
    con: duckdb.DuckDBPyConnection, catalog: Catalog, items: list[ItemRow], now: int
) -> None:
    """Insert the subsidiary, locations, terms, ship items, items and kit members."""
    _write_places(con)
    _write_items(con, catalog, items, now)
