"""The records every recovery action is made of: the declared `Action`, its `Plan`, its `Outcome`.

An action is declared once (name, label, the role it needs, what it targets, its confirmation
text) together with three functions:

    planner(target, ctx)              -> Plan      reads LIVE NetSuite state (never the cache)
    performer(plan, ctx)              -> ids       performs the plan's calls (or cache update)
    verifier(plan, ctx, record_ids)   -> Verification   re-reads live state after the calls

`suiteops.actions.engine` strings them together with the single-flight lock, the idempotency
check, the audit entry and the cache refresh. A plan is plain data: it serialises to JSON for the
audit log and for the preview, and its `idempotency_key` is derived from the action, the target
and a fingerprint of the live state it was planned from, so two plans of the same state share a
key and a second execution is a no-op.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from suiteops.config import ConnectorFields

if TYPE_CHECKING:
    from suiteops.cache import Cache


class TargetKind(Enum):
    """What an action's target id names."""

    SALES_ORDER = "sales order"
    FULFILLMENT = "item fulfillment"
    NONE = "none"


class CallOp(Enum):
    """The REST record API operations a plan may contain (reference §5)."""

    PATCH = "PATCH"
    TRANSFORM = "POST"


class OutcomeStatus(Enum):
    """How one execution ended; the audit log stores the value."""

    DONE = "done"
    NOOP = "noop"
    REFUSED = "refused"
    FAILED = "failed"


@dataclass(frozen=True)
class PlannedCall:
    """One REST record API call exactly as it will be sent."""

    op: CallOp
    record_type: str
    record_id: int
    body: Mapping[str, Any] | None = None
    to_type: str | None = None
    async_: bool = False

    @property
    def method(self) -> str:
        """The HTTP method."""
        return self.op.value

    @property
    def path(self) -> str:
        """The path under /services/rest, e.g. `/record/v1/salesOrder/7/!transform/invoice`."""
        base = f"/record/v1/{self.record_type}/{self.record_id}"
        return f"{base}/!transform/{self.to_type}" if self.op is CallOp.TRANSFORM else base

    def describe(self) -> dict[str, Any]:
        """The call as JSON-ready data (method, path, body, async)."""
        return {"method": self.method, "path": self.path, "body": self.body, "async": self.async_}


@dataclass(frozen=True)
class FieldChange:
    """One field (of a record, or of one line of it) the plan changes: before → after."""

    record: str
    field: str
    line: int | None
    before: Any
    after: Any


@dataclass(frozen=True)
class Artifact:
    """A file an action produces for download (payload JSON, exceptions CSV)."""

    filename: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class Plan:
    """What an execution will do, derived from live state; or a refusal saying why not."""

    action: str
    target: str
    calls: tuple[PlannedCall, ...]
    changes: tuple[FieldChange, ...]
    state_fingerprint: str
    idempotency_key: str
    refusal: str | None = None
    notes: tuple[str, ...] = ()
    facts: Mapping[str, Any] = field(default_factory=dict)
    artifact: Artifact | None = None

    @property
    def has_work(self) -> bool:
        """True when executing would do something: change NetSuite or the cache, or build a file."""
        return self.refusal is None and bool(self.calls or self.changes or self.artifact)

    def to_json(self) -> str:
        """The plan as JSON text (for the audit log); the artifact is named, not embedded."""
        data = {
            "action": self.action,
            "target": self.target,
            "calls": [c.describe() for c in self.calls],
            "changes": [asdict(c) for c in self.changes],
            "state_fingerprint": self.state_fingerprint,
            "idempotency_key": self.idempotency_key,
            "refusal": self.refusal,
            "notes": list(self.notes),
            "artifact": self.artifact.filename if self.artifact else None,
        }
        return json.dumps(data, default=_json_default, sort_keys=True)


@dataclass(frozen=True)
class Verification:
    """Whether the after-state the plan promised holds on re-reading, and what was seen."""

    ok: bool
    message: str
    record_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """The result of one execution, as shown on the page and the CLI and written to the audit."""

    status: OutcomeStatus
    action: str
    target: str
    message: str
    record_ids: tuple[str, ...] = ()
    verified: bool = False
    plan: Plan | None = None
    error: str | None = None
    artifact: Artifact | None = None


@dataclass(frozen=True)
class ActionContext:
    """What planning and executing need: a live client, the cache, field ids, folders, a clock.

    `client` is a `suiteops.netsuite.SuiteQLClient` (SuiteQL `fetch` plus `records`); `refresh`
    refreshes named cached queries after a change and returns a one-line summary.
    """

    client: Any
    cache: Cache
    fields: ConnectorFields
    data_dir: Path
    refresh: Callable[[Sequence[str]], str] | None = None
    catalog: Any = None
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    job_timeout: float = 60.0
    lock_timeout: float = 30.0


Planner = Callable[[str, ActionContext], Plan]
Performer = Callable[[Plan, ActionContext], tuple[str, ...]]
Verifier = Callable[[Plan, ActionContext, tuple[str, ...]], Verification]


@dataclass(frozen=True)
class Action:
    """A declared recovery action: who may run it, what it targets, how it plans and acts."""

    name: str
    label: str
    role: str
    target_kind: TargetKind
    confirmation: str
    bulk_confirmation: str
    description: str
    planner: Planner
    performer: Performer
    verifier: Verifier
    affects: tuple[str, ...] = ()
    writes_netsuite: bool = True


def fingerprint(state: Any) -> str:
    """A stable SHA-256 of JSON-ready `state` (dicts sorted, Decimals/dates as text)."""
    text = json.dumps(state, default=_json_default, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def idempotency_key(action: str, target: str, state_fingerprint: str) -> str:
    """A UUID-shaped key derived from action, target and state (NetSuite expects a UUID)."""
    digest = hashlib.sha256(f"{action}\x1f{target}\x1f{state_fingerprint}".encode()).digest()
    return str(uuid.UUID(bytes=digest[:16]))


def make_plan(
    action: str,
    target: str,
    state: Any,
    *,
    calls: Sequence[PlannedCall] = (),
    changes: Sequence[FieldChange] = (),
    refusal: str | None = None,
    notes: Sequence[str] = (),
    facts: Mapping[str, Any] | None = None,
    artifact: Artifact | None = None,
) -> Plan:
    """Build a `Plan` whose fingerprint and idempotency key come from `state`."""
    print_ = fingerprint(state)
    return Plan(
        action=action,
        target=str(target),
        calls=tuple(calls),
        changes=tuple(changes),
        state_fingerprint=print_,
        idempotency_key=idempotency_key(action, str(target), print_),
        refusal=refusal,
        notes=tuple(notes),
        facts=dict(facts or {}),
        artifact=artifact,
    )


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral() else str(value.normalize())
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | frozenset | set):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__} in an action plan")
