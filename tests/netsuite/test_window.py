"""The edge of NetSuite's 100,000-row offset window: exactly 100,000 rows still page by offset."""

from __future__ import annotations

from nshelpers import BULK_BASE, BULK_SQL, bulk_params, make_client

from suiteops.emulator.server import Emulator


def test_exactly_100k_by_offset(bulk: Emulator) -> None:
    with make_client(bulk, concurrency=8) as client:
        result = client.fetch(BULK_SQL, bulk_params(100_000))
    assert result.total == 100_000 and result.pages == 100
    assert result.requests == 100 + result.retries  # offset pages only: no keyset switch
    assert [r["id"] for r in result.rows[-1:]] == [str(BULK_BASE + 100_000)]
