"""The query files in the forms the client sends them: with bound `?` parameters (NetSuite
2026.2+) as well as typed literals, and wrapped for keyset paging past 100,000 rows. Both must
select exactly what the plain query selects (on the shared, read-only demo emulator)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from test_queries import CACHED, FIELDS, QUERIES, make_client, runner

from suiteops.catalog import Catalog, load_catalog
from suiteops.netsuite.client import SuiteQLClient
from suiteops.sql import keyset_query


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(QUERIES, FIELDS, check_lock=False)


@pytest.fixture(scope="module")
def client(emulator: Any) -> Iterator[SuiteQLClient]:
    with make_client(emulator, bound=False) as c:
        yield c


@pytest.fixture(scope="module")
def today(emulator: Any) -> date:
    return emulator.sql("SELECT current_date")[0][0]


@pytest.fixture(scope="module")
def run(client: SuiteQLClient, catalog: Catalog, today: date) -> Any:
    return runner(client, catalog, today, memo=True)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("pending_fulfillment", {"location_id": 1, "placed_after": "-60d"}),
        ("billing_failures", {"min_days": "5"}),
        ("order_search", {"term": "#1002"}),
        ("reconciliation", {"placed_after": "-30d", "modified_after": "2000-01-01T00:00:00"}),
    ],
)
def test_bound_and_literal_parameters_give_the_same_rows(
    emulator: Any, catalog: Catalog, today: date, run: Any, name: str, params: dict[str, str]
) -> None:
    """Bound `?` parameters (2026.2+) and typed literals select the same rows, for every kind of
    parameter: int, date, text and datetime."""
    spec = catalog[name]
    with make_client(emulator, bound=True) as bound:
        result = bound.fetch(
            spec.sql(FIELDS),
            spec.bind(params, today),
            key=spec.key,
            columns=spec.columns,
            param_types=spec.param_types,
        )
    rows = [tuple(row[c.name] for c in spec.columns) for row in result.rows]
    assert rows and rows == run(name, **params)


@pytest.mark.parametrize("name", CACHED)
def test_each_cached_query_pages_by_its_key(
    run: Any, client: SuiteQLClient, catalog: Catalog, today: date, name: str
) -> None:
    """The keyset form the client switches to past 100,000 rows (`SELECT * FROM (query) WHERE
    key > last ORDER BY key`) returns exactly the rows after `last`, in the same order."""
    spec = catalog[name]
    rows = run(name)
    index = [c.name for c in spec.columns].index(spec.key or "")
    last = rows[len(rows) // 2][index]
    result = client.fetch(
        keyset_query(spec.sql(FIELDS), spec.key or "", after=last),
        spec.bind({}, today),
        columns=spec.columns,
        param_types=spec.param_types,
    )
    # behind `SELECT *` the client cannot know the columns: NetSuite omits null ones
    after = [tuple(row.get(c.name) for c in spec.columns) for row in result.rows]
    assert after == [r for r in rows if r[index] > last]
