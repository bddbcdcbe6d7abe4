"""Every declared recovery action, by name, in the order the dashboard lists them."""

from __future__ import annotations

from types import MappingProxyType

from suiteops.actions import (
    bill_order,
    close_lines,
    export_exceptions,
    fulfillment_payload,
    reread_tracking,
    retry_sync,
)
from suiteops.actions.base import Action
from suiteops.errors import ActionError

ACTIONS: MappingProxyType[str, Action] = MappingProxyType(
    {
        a.name: a
        for a in (
            close_lines.ACTION,
            bill_order.ACTION,
            retry_sync.ACTION,
            reread_tracking.ACTION,
            fulfillment_payload.ACTION,
            export_exceptions.ACTION,
        )
    }
)


def get_action(name: str | Action) -> Action:
    """The action called `name`, or an error listing the known names."""
    if isinstance(name, Action):
        return name
    try:
        return ACTIONS[name]
    except KeyError:
        known = ", ".join(ACTIONS)
        raise ActionError(f"unknown action {name!r} (known: {known})") from None
