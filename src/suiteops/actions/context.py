"""Build an `ActionContext` from the app's `Services` (settings, catalog, cache, endpoint)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from suiteops.actions.base import ActionContext
from suiteops.refresh import refresh


@contextmanager
def open_context(services: Any) -> Iterator[ActionContext]:
    """An `ActionContext` over `services` (a new client, closed on exit; cache refresh wired)."""
    client = services.client()
    try:
        yield ActionContext(
            client=client,
            cache=services.cache,
            fields=services.settings.fields,
            data_dir=services.settings.data_dir,
            catalog=services.catalog,
            refresh=lambda names: refresh_summary(services, names),
        )
    finally:
        client.close()


def refresh_summary(services: Any, names: Sequence[str]) -> str:
    """Refresh the cached queries `names` (those in the catalog) and say what happened."""
    wanted = [n for n in names if n in services.catalog and not services.catalog[n].live]
    if not wanted:
        return ""
    runs = refresh(services, wanted)
    done = ", ".join(f"{r.query} ({r.rows} rows)" for r in runs)
    return f"Refreshed the cached {done}."
