"""Tracking numbers of shipped fulfillments, recorded the two ways NetSuite accounts do
(shared/reference/netsuite.md §4.5): `trackingnumber` + `trackingnumbermap`, or
`itemfulfillmentpackage.packagetrackingnumber`. A fulfillment uses one way or none.

Numbers look like the carrier's (UPS `1Z…` 18 characters, FedEx 12 digits, USPS `9400…` 22
digits) and are unique: the serial part is an affine permutation of the row number.
"""

from __future__ import annotations

import duckdb
import numpy as np

from suiteops.emulator.seed.account import Account, Stage
from suiteops.emulator.seed.documents import Tracking
from suiteops.emulator.seed.reference import carriers
from suiteops.emulator.seed.writer import append

_MODULUS = 99_999_989  # prime: (n * a + b) mod p is a permutation of 0..p-1
# carrier → (fixed prefix, serial digits): UPS 1Z + shipper + service, FedEx 12, USPS 22 digits
_FORMATS = (("ups", "1ZA8R4603", 9), ("fedex", "7712", 8), ("usps", "9400111899", 12))


def _numbers(carrier: np.ndarray, serial: np.ndarray, salt: int) -> np.ndarray:
    """Carrier-shaped tracking numbers from unique serials."""
    unique = (serial * 48_271 + salt) % _MODULUS
    out = np.empty(serial.size, dtype=object)
    for code, prefix, width in _FORMATS:
        pick = carrier == code
        if not pick.any():
            continue
        digits = np.strings.zfill(unique[pick].astype(str), width)
        out[pick] = np.strings.add(prefix, digits)
    return out.astype(str)


def write_tracking(con: duckdb.DuckDBPyConnection, account: Account) -> int:
    """Write tracking numbers, their map and packages; returns the number of tracking numbers."""
    rng = account.rng(Stage.TRACKING)
    f = account.fulfillments
    numbered = np.isin(f.tracking, [Tracking.MAP, Tracking.PACKAGE])
    boxes = np.where(numbered, f.boxes, (f.tracking == Tracking.EMPTY_PACKAGE).astype(np.int64))
    doc = np.repeat(np.arange(f.order.size), boxes)
    box = np.arange(doc.size) - np.repeat(np.cumsum(boxes) - boxes, boxes)
    salt = int(rng.integers(0, _MODULUS))
    number = _numbers(carriers(account.orders.shipmethod[f.order[doc]]), np.arange(doc.size), salt)
    mapped = f.tracking[doc] == Tracking.MAP
    ids = 1 + np.flatnonzero(mapped)
    append(con, "trackingnumber", {"id": ids, "trackingnumber": number[mapped]})
    append(
        con, "trackingnumbermap", {"transaction": account.if_id[doc[mapped]], "trackingnumber": ids}
    )
    package = ~mapped
    weight = np.round(rng.uniform(0.4, 12.0, doc.size), 2)[package]
    append(
        con,
        "itemfulfillmentpackage",
        {
            "id": 1 + np.flatnonzero(package),
            "itemfulfillment": account.if_id[doc[package]],
            "packagetrackingnumber": np.where(
                f.tracking[doc[package]] == Tracking.PACKAGE, number[package], None
            ),
            "packagedescr": np.strings.add("Box ", (box[package] + 1).astype(str)),
            "packageweight": weight,
        },
    )
    return int(numbered[doc].sum())
