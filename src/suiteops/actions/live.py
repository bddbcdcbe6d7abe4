"""Live reads for planning and verifying: SuiteQL through the client, never the cache.

Each read names its columns with their types so the client hands back typed values (ints,
Decimals, 'T'/'F' text kept as text) and a column NetSuite omitted (null) is present as None.
Parameters are `:named` and rendered by the client (`suiteops.sql.render`), never spliced.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from suiteops.config import IDENTIFIER
from suiteops.errors import ActionError, ActionRefused
from suiteops.models import ColumnSpec, ColumnType

TEXT = ColumnType.TEXT
INT = ColumnType.INT
DEC = ColumnType.DECIMAL


def read(
    client: Any,
    name: str,
    sql: str,
    params: Mapping[str, object],
    columns: Sequence[tuple[str, ColumnType]],
) -> list[dict[str, Any]]:
    """Run one live SuiteQL read and return its typed rows."""
    specs = tuple(ColumnSpec(col, kind) for col, kind in columns)
    result = client.fetch(sql, dict(params), columns=specs, name=f"action:{name}")
    return [dict(row) for row in result.rows]


def field_id(ident: str) -> str:
    """A connector field id from configuration, checked against the allow-list again."""
    if not IDENTIFIER.match(ident):
        raise ActionError(f"connector field id {ident!r} is not an allowed identifier")
    return ident


def parse_id(target: str, kind: str) -> int:
    """The integer internal id in `target`, or a refusal naming what was wrong."""
    text = str(target).strip()
    if not text.isdigit() or int(text) <= 0:
        raise ActionRefused(f"target {target!r} is not a {kind} internal id (a positive integer)")
    return int(text)


TRANSACTION_HEADER = """
SELECT t.id, t.tranid, t.type, t.status, BUILTIN.DF(t.status) AS status_label
FROM transaction t
WHERE t.id = :record_id
ORDER BY t.id
"""

HEADER_COLUMNS = (
    ("id", INT),
    ("tranid", TEXT),
    ("type", TEXT),
    ("status", TEXT),
    ("status_label", TEXT),
)


def header(client: Any, record_id: int, trantype: str, kind: str) -> dict[str, Any]:
    """The live header of transaction `record_id`, refused unless it exists with `trantype`."""
    rows = read(client, "header", TRANSACTION_HEADER, {"record_id": record_id}, HEADER_COLUMNS)
    if not rows:
        raise ActionRefused(f"no {kind} with internal id {record_id} in NetSuite")
    row = rows[0]
    if row["type"] != trantype:
        raise ActionRefused(
            f"record {record_id} ({row['tranid']}) is a {row['type']}, not a {kind}"
        )
    return row
