"""Helpers for the seeder's tests: seeding at a fixed `today`, one-value queries, table hashes,
and the account's invariants written as plain DuckDB SQL, independent of the generator's code.
"""

from __future__ import annotations

import datetime

import duckdb

from suiteops.emulator import schema
from suiteops.emulator.seed import SeedSummary, seed_database

TODAY = datetime.date(2026, 12, 4)


def seeded(
    seed: int = 7, scale: str | int = "tiny"
) -> tuple[duckdb.DuckDBPyConnection, SeedSummary]:
    """A fresh in-memory database seeded for `seed` and `scale` at TODAY."""
    con = duckdb.connect()
    return con, seed_database(con, seed=seed, scale=scale, today=TODAY)


def one(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    """The first column of the first row of `sql`."""
    row = con.execute(sql).fetchone()
    assert row is not None
    return row[0]


def count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    """`one` for a count."""
    value = one(con, sql)
    assert isinstance(value, int)
    return value


def table_hashes(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """md5 of every table's rows, sorted by their text form."""
    sql = "SELECT md5(string_agg(t::VARCHAR, '|' ORDER BY t::VARCHAR)) FROM {} t"
    return {name: str(one(con, sql.format(name))) for name in [*schema.TABLES, "transactionstatus"]}


# Order lines that carry quantities: inventory parts and kit lines (not members, not discounts).
ITEM_LINES = "l.mainline = 'F' AND l.kitmemberof IS NULL AND l.fulfillable = 'T'"

# Status recomputed from the lines alone (module docstring of suiteops.emulator.seed).
STATUS_FROM_LINES = f"""
SELECT so.tranid, so.status,
       CASE WHEN a.open_qty > 0 AND a.shipped = 0 THEN 'B'
            WHEN a.open_qty > 0 AND a.unbilled > 0 THEN 'E'
            WHEN a.open_qty > 0 THEN 'D'
            WHEN a.unbilled > 0 THEN 'F'
            WHEN a.closed > 0 THEN 'H'
            ELSE 'G' END AS expected,
       a.shipped, a.billed, a.closed, a.lines
FROM transaction so JOIN (
    SELECT l.transaction,
           sum(CASE WHEN l.isclosed = 'F' THEN -l.quantity - l.quantityshiprecv ELSE 0 END)
               AS open_qty,
           sum(l.quantityshiprecv) AS shipped, sum(l.quantitybilled) AS billed,
           sum(l.quantityshiprecv - l.quantitybilled) AS unbilled,
           count(*) FILTER (WHERE l.isclosed = 'T') AS closed, count(*) AS lines
    FROM transactionline l WHERE {ITEM_LINES} GROUP BY l.transaction
) a ON a.transaction = so.id
WHERE so.type = 'SalesOrd'
"""


def status_mismatches(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    """Sales orders whose status letter disagrees with their lines (empty when consistent).

    A (pending approval) needs nothing shipped; C (cancelled) nothing shipped and every line
    closed; every other letter must equal the one recomputed from the lines.
    """
    rows = con.execute(STATUS_FROM_LINES).fetchall()
    orders = count(con, "SELECT count(*) FROM transaction WHERE type = 'SalesOrd'")
    assert len(rows) == orders, "every sales order has item lines"
    return [
        r
        for r in rows
        if not (
            (r[1] == "A" and r[3] == 0)
            or (r[1] == "C" and r[3] == 0 and r[5] == r[6])
            or r[1] == r[2]
        )
    ]


def link_quantity_mismatches(con: duckdb.DuckDBPyConnection, column: str, linktype: str) -> int:
    """Order lines whose `column` is not the sum of the `linktype`-linked lines' quantities."""
    return count(
        con,
        f"""SELECT count(*) FROM transactionline l JOIN transaction so ON so.id = l.transaction
        WHERE so.type = 'SalesOrd' AND {ITEM_LINES} AND l.{column} <> (
            SELECT coalesce(sum(-n.quantity), 0) FROM nexttransactionlinelink k
            JOIN transactionline n ON n.transaction = k.nextdoc AND n.id = k.nextline
            WHERE k.previousdoc = l.transaction AND k.previousline = l.id
              AND k.linktype = '{linktype}')""",
    )


FOREIGN_KEYS = [
    ("location", "subsidiary", "subsidiary", "id"),
    ("customer", "terms", "term", "id"),
    ("customer", "subsidiary", "subsidiary", "id"),
    ("itemmember", "parentitem", "item", "id"),
    ("itemmember", "item", "item", "id"),
    ("transaction", "entity", "customer", "id"),
    ("transaction", "terms", "term", "id"),
    ("transaction", "shipmethod", "shipitem", "id"),
    ("transaction", "subsidiary", "subsidiary", "id"),
    ("transactionline", "transaction", "transaction", "id"),
    ("transactionline", "item", "item", "id"),
    ("transactionline", "kitmemberof", "item", "id"),
    ("transactionline", "location", "location", "id"),
    ("transactionline", "createdfrom", "transaction", "id"),
    ("transactionline", "entity", "customer", "id"),
    ("nexttransactionlink", "previousdoc", "transaction", "id"),
    ("nexttransactionlink", "nextdoc", "transaction", "id"),
    ("trackingnumbermap", "transaction", "transaction", "id"),
    ("trackingnumbermap", "trackingnumber", "trackingnumber", "id"),
    ("itemfulfillmentpackage", "itemfulfillment", "transaction", "id"),
    ("inventorynumber", "item", "item", "id"),
    ("inventorynumberlocation", "inventorynumber", "inventorynumber", "id"),
    ("inventorynumberlocation", "location", "location", "id"),
    ("inventoryassignment", "inventorynumber", "inventorynumber", "id"),
    ("inventoryitemlocations", "item", "item", "id"),
    ("inventoryitemlocations", "location", "location", "id"),
]

# (table, document column, line column) pointing at transactionline (transaction, id).
LINE_REFERENCES = [
    ("nexttransactionlinelink", "previousdoc", "previousline"),
    ("nexttransactionlinelink", "nextdoc", "nextline"),
    ("previoustransactionlinelink", "previousdoc", "previousline"),
    ("previoustransactionlinelink", "nextdoc", "nextline"),
    ("inventoryassignment", "transaction", "transactionline"),
]


def dangling_key(
    con: duckdb.DuckDBPyConnection, table: str, column: str, parent: str, key: str
) -> int:
    """Rows of `table` whose non-null `column` names no `parent` row."""
    return count(
        con,
        f"SELECT count(*) FROM {table} c WHERE c.{column} IS NOT NULL"
        f" AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.{key} = c.{column})",
    )


def dangling_keys(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(table, column) of every FOREIGN_KEYS entry with a dangling row, in one query."""
    parts = [
        f"SELECT '{table}', '{column}' FROM {table} c WHERE c.{column} IS NOT NULL"
        f" AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.{key} = c.{column})"
        for table, column, parent, key in FOREIGN_KEYS
    ]
    return con.execute("SELECT DISTINCT * FROM (" + " UNION ALL ".join(parts) + ")").fetchall()


def dangling_line(con: duckdb.DuckDBPyConnection, table: str, doc: str, line: str) -> int:
    """Rows of `table` whose (doc, line) names no transaction line."""
    return count(
        con,
        f"SELECT count(*) FROM {table} c WHERE NOT EXISTS (SELECT 1 FROM transactionline l"
        f" WHERE l.transaction = c.{doc} AND l.id = c.{line})",
    )


def stamped_after_midnight(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """Every DATE/TIMESTAMP column (but due and expiry dates) whose latest value is not before
    TODAY's midnight, with that value; also asserts that such columns exist and are filled."""
    columns = con.execute(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE data_type IN ('TIMESTAMP', 'DATE')"
        " AND column_name NOT IN ('duedate', 'expirationdate')"  # the future, by design
    ).fetchall()
    latest = {f"{t}.{c}": one(con, f"SELECT max({c}) FROM {t}") for t, c in columns}
    assert sum(v is not None for v in latest.values()) > 10
    midnight = str(datetime.datetime.combine(TODAY, datetime.time()))
    return {k: v for k, v in latest.items() if v is not None and str(v) >= midnight}
