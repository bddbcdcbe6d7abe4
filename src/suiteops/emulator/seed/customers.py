"""Customers: direct-to-consumer people (no terms) and B2B companies (with terms), vectorised."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from suiteops.emulator.seed.reference import TERMS

FIRST_CUSTOMER_ID = 5001
DAY = 86_400

_FIRST = (
    "Ava",
    "Liam",
    "Olivia",
    "Noah",
    "Emma",
    "Mateo",
    "Sophia",
    "Elijah",
    "Isabella",
    "Lucas",
    "Mia",
    "Levi",
    "Amelia",
    "Ezra",
    "Harper",
    "Asher",
    "Evelyn",
    "Leo",
    "Luna",
    "Kai",
    "Camila",
    "Aiden",
    "Gianna",
    "Wyatt",
    "Aria",
    "Jack",
    "Priya",
    "Omar",
    "Mei",
    "Diego",
    "Fatima",
    "Hiro",
    "Zoe",
    "Malik",
    "Ines",
    "Tomas",
    "Nora",
    "Ravi",
    "Chloe",
    "Sam",
)
_LAST = (
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Patel",
)
_ADJ = (
    "Green",
    "Summit",
    "Harbor",
    "Pine",
    "Golden",
    "Blue",
    "Maple",
    "Cedar",
    "River",
    "Sunset",
    "North",
    "Urban",
    "Coastal",
    "Prairie",
    "Bright",
)
_NOUN = (
    "Wellness",
    "Fitness",
    "Apothecary",
    "Market",
    "Yoga Studio",
    "Pharmacy",
    "Spa",
    "Gym",
    "Health Foods",
    "Boutique",
    "Co-op",
    "Athletics",
)
_SUFFIX = ("LLC", "Inc.", "Co.", "Ltd.")
_CITY = (
    "Austin",
    "Boulder",
    "Brooklyn",
    "Chicago",
    "Denver",
    "Miami",
    "Nashville",
    "Oakland",
    "Portland",
    "Raleigh",
    "Sacramento",
    "Salem",
    "Savannah",
    "Seattle",
    "Tampa",
    "Tucson",
    "Madison",
    "Asheville",
    "Burlington",
    "Santa Fe",
)


@dataclass(frozen=True)
class Customers:
    """How many of each kind exist; people come first in the id range, then companies."""

    people: int
    companies: int

    def person_ids(self, index: np.ndarray) -> np.ndarray:
        """Customer ids of people by 0-based index."""
        return FIRST_CUSTOMER_ID + index

    def company_ids(self, index: np.ndarray) -> np.ndarray:
        """Customer ids of companies by 0-based index."""
        return FIRST_CUSTOMER_ID + self.people + index

    def company_terms(self, index: np.ndarray) -> np.ndarray:
        """The `term` id each company is on (Net 15/30/60 in rotation)."""
        return np.array([t[0] for t in TERMS], dtype=np.int64)[index % len(TERMS)]


def plan_customers(orders: int) -> Customers:
    """About one person per 2.5 web orders, one company per 40 orders (repeat wholesale buyers)."""
    return Customers(people=max(40, orders * 2 // 5), companies=max(8, orders // 40))


def write_customers(
    con: duckdb.DuckDBPyConnection, plan: Customers, rng: np.random.Generator, now: int
) -> None:
    """Insert every customer; names, e-mails and phones are built in SQL from index arrays."""
    total = plan.people + plan.companies
    frame = pd.DataFrame(
        {
            "id": FIRST_CUSTOMER_ID + np.arange(total, dtype=np.int64),
            "person": np.arange(total) < plan.people,
            "a": rng.integers(0, 1 << 20, total),
            "b": rng.integers(0, 1 << 20, total),
            "terms": np.concatenate(
                [np.zeros(plan.people, np.int64), plan.company_terms(np.arange(plan.companies))]
            ),
            "created": now - (121 * DAY + rng.integers(0, 700 * DAY, total)),
            "shopify": 7_100_000_000_000 + np.arange(total) * 7_919 + rng.integers(0, 7_919, total),
        }
    )
    con.register("_seed_customers", frame)
    try:
        names = {"f": _FIRST, "l": _LAST, "a": _ADJ, "n": _NOUN, "c": _CITY, "s": _SUFFIX}
        con.execute(_CUSTOMER_SQL, {**names, "people": plan.people, "first": FIRST_CUSTOMER_ID})
    finally:
        con.unregister("_seed_customers")


# Company j is named by enumerating adjective x noun x city (unique for the first 3,600).
_CUSTOMER_SQL = """
INSERT INTO customer (id, entityid, altname, companyname, firstname, lastname, email, phone,
                      isperson, terms, category, subsidiary, datecreated, lastmodifieddate,
                      externalid)
SELECT id, 'CUST' || id, altname, CASE WHEN NOT person THEN altname END,
       CASE WHEN person THEN first END, CASE WHEN person THEN last END,
       CASE WHEN person THEN lower(first || '.' || last) || id || '@example.'
                             || ['com', 'net', 'org'][1 + b % 3]
            ELSE 'ap+' || id || '@' || lower(regexp_replace(altname, '[^A-Za-z]', '', 'g'))
                 || '.example.com' END,
       printf('(%03d) 555-%04d', 200 + a % 700, 100 + b % 9000),
       CASE WHEN person THEN 'T' ELSE 'F' END, NULLIF(terms, 0),
       CASE WHEN person THEN 'Retail' ELSE 'Wholesale' END, 1,
       make_timestamp(created * 1000000), make_timestamp((created + 3600) * 1000000),
       'shopify-customer-' || shopify
FROM (
    SELECT *, $f[1 + a % len($f)] AS first, $l[1 + b % len($l)] AS last,
           CASE WHEN person THEN first || ' ' || last
                ELSE $a[1 + j % len($a)] || ' ' || $n[1 + (j // len($a)) % len($n)] || ' '
                     || $c[1 + (j // (len($a) * len($n))) % len($c)] || ' '
                     || $s[1 + a % len($s)]
                     || CASE WHEN j >= 3600 THEN ' ' || (1 + j // 3600) ELSE '' END
           END AS altname
    FROM (SELECT *, id - $people - $first AS j FROM _seed_customers)
)
ORDER BY id
"""
