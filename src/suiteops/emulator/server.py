"""The NetSuite emulator: a real loopback HTTP server (Starlette + uvicorn in a thread).

`start_emulator(EmulatorConfig(...))` seeds one DuckDB database, serves it on
`http://<host>:<port>` and returns once `/health` answers. Tests and benchmarks use the
returned `Emulator` to read the database directly (`sql`), turn knobs (`set_faults`,
`set_latency`, `set_concurrency_limit`, `advance_clock`) and read `stats`.

Uncertain NetSuite behaviours and what the emulator chose (see shared/reference/netsuite.md):

- Missing `Prefer: transient` on SuiteQL: documented as required, the failure is not. 400
  INVALID_REQUEST (§7 guesses a 400). `Prefer: respond-async` on SuiteQL: 400 INVALID_REQUEST,
  since the query service cannot run asynchronously (DOC:subsect_1544786455).
- `limit` above 1000: 400 INVALID_PARAMETER rather than a silent cap (§8.2 is open; an error
  makes a client bug visible). `offset` not a multiple of `limit`: 400 INVALID_PARAMETER.
- The 100,000-row window (§1.4): only the first 100,000 rows of a result are reachable. A page
  holds rows [offset, min(offset + limit, 100,000, total)); `hasMore` is false once a page
  reaches row 100,000 even when `totalResults` (always the true count) is larger; an offset of
  100,000 or more is 400 INVALID_PARAMETER. An offset past the end of a smaller result gives an
  empty page (`count` 0, `hasMore` false).
- Links: `self` always; `prev` and `first` when offset > 0; `next` and `last` when `hasMore`.
  Hrefs are absolute URLs with `limit` and `offset`, in the order of Oracle's paging example.
- Values (§1.5): strings only, null keys omitted, lower-case keys, `T`/`F`; DATE and TIMESTAMP
  both as `M/D/YYYY` (see formatting.py); numbers without exponent or trailing zeros.
- Bound parameters (`params`, 2026.2): values may be JSON strings or numbers (the doc example
  passes strings; numbers are accepted because the type is not documented). With
  `bound_params=False` (an account before 2026.2) a `params` field is 400 INVALID_PARAMETER.
- SQL the database cannot run is 400 INVALID_PARAMETER with NetSuite's "Invalid search query.
  Detailed unprocessed description follows. ..." prefix; the dialect's own refusals keep its
  code (INVALID_PARAMETER or USER_ERROR) and text ("Unknown identifier 'x'", "Record 'x' was
  not found.").
- 429: `CONCURRENCY_LIMIT_EXCEEDED` with title "Too Many Requests" (Oracle's sample says "Bad
  Request", apparently a doc slip); no `Retry-After` header, as none is documented.
- Authentication failures are always 401 INVALID_LOGIN with NetSuite's Login Audit Trail text;
  the reason is in `WWW-Authenticate` (see auth.py, oauth2.py). Over-concurrency is always a
  429, never the 401 practitioners sometimes report (§8.10).
- Faults: injected 429/500 happen before the request is handled; a dropped connection or a
  truncated body happens after it was handled (a write has committed), the harshest realistic
  case for a client (see faults.py).
- Every response carries `X-N-OperationId`; a 500's detail carries "Error ID: <id>". Unknown
  paths (404) and wrong methods (405) answer in the same error shape with INVALID_REQUEST.
- Content types: SuiteQL pages `application/vnd.oracle.resource+json; type=collection`, errors
  `...; type=error` (what NetSuite labels them); clients should parse JSON whatever the label.
- `db_path`: the data is kept in that DuckDB file and reused by the next start with the same
  seed, scale and schema (regenerated otherwise), so demo writes survive restarts.
- Record API choices are listed in records.py and record_writes.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from typing import Any

from suiteops.emulator import schema
from suiteops.emulator.auth import Authenticator, TbaCredentials, TbaVerifier, canonical_account
from suiteops.emulator.database import EmulatorDatabase, Loader
from suiteops.emulator.faults import FaultInjector, FaultRates
from suiteops.emulator.governor import EmulatorStats, Governor, Knobs
from suiteops.emulator.mutations import PagingMutator
from suiteops.emulator.oauth2 import BearerTokens, M2MClient, TokenEndpoint
from suiteops.emulator.record_service import RecordService
from suiteops.emulator.routes import EmulatorContext, build_app
from suiteops.emulator.serving import serve_in_thread
from suiteops.emulator.suiteql import SuiteQLService, Translator
from suiteops.emulator.translation import dialect_installer, dialect_translator
from suiteops.errors import ConfigError


@dataclass(frozen=True)
class DemoCredentials:
    """The credentials a demo emulator accepts (not secrets: they are documented)."""

    account: str = "1234567_SB1"
    consumer_key: str = "demo-consumer-key"
    consumer_secret: str = "demo-consumer-secret"
    token_id: str = "demo-token-id"
    token_secret: str = "demo-token-secret"
    client_id: str = "demo-client-id"
    certificate_id: str = "demo-certificate-id"


DEMO_CREDENTIALS = DemoCredentials()


@dataclass(frozen=True)
class EmulatorConfig:
    """How to start an emulator: address, data, accepted credentials and knobs."""

    host: str = "127.0.0.1"
    port: int = 0
    seed: int = 7
    scale: str | int = "demo"
    db_path: Path | None = None
    today: dt.date | None = None
    account: str = DEMO_CREDENTIALS.account
    consumer_key: str = DEMO_CREDENTIALS.consumer_key
    consumer_secret: str = DEMO_CREDENTIALS.consumer_secret
    token_id: str = DEMO_CREDENTIALS.token_id
    token_secret: str = DEMO_CREDENTIALS.token_secret
    client_id: str = DEMO_CREDENTIALS.client_id
    certificate_id: str = DEMO_CREDENTIALS.certificate_id
    certificate_pem: str | None = None
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    concurrency_limit: int = 15
    faults: FaultRates = field(default_factory=FaultRates)
    mutate_during_paging: bool = False
    bound_params: bool = True
    clock: Callable[[], float] = time.time

    def __post_init__(self) -> None:
        if self.concurrency_limit < 1:
            raise ConfigError(f"concurrency_limit must be at least 1, got {self.concurrency_limit}")
        if self.latency_ms < 0 or self.jitter_ms < 0:
            raise ConfigError("latency_ms and jitter_ms must not be negative")
        if not canonical_account(self.account):
            raise ConfigError("account must not be empty")


class Emulator:
    """A running emulator. Use `start_emulator()`; stop with `stop()` or a `with` block."""

    def __init__(self, config: EmulatorConfig, db: EmulatorDatabase, translator: Translator):
        self.config = config
        self.account = canonical_account(config.account)
        self._db = db
        self._clock_offset = 0.0
        self._governor = self._build(translator)
        self._server, self._thread, self.base_url = serve_in_thread(
            self._governor, config.host, config.port
        )

    def _build(self, translator: Translator) -> Governor:
        cfg = self.config
        tba = TbaVerifier(
            cfg.account,
            TbaCredentials(cfg.consumer_key, cfg.consumer_secret, cfg.token_id, cfg.token_secret),
            self.now,
        )
        bearer = BearerTokens(self.account, self.now)
        self._records = RecordService(self._db, self.now)
        mutator = PagingMutator(self._db, cfg.seed, self.now) if cfg.mutate_during_paging else None
        context = EmulatorContext(
            account=self.account,
            bound_params=cfg.bound_params,
            auth=Authenticator(tba, bearer),
            tokens=TokenEndpoint(
                M2MClient(cfg.client_id, cfg.certificate_id, cfg.certificate_pem), bearer, self.now
            ),
            suiteql=SuiteQLService(self._db, translator, mutator.mutate if mutator else None),
            records=self._records,
        )
        knobs = Knobs(cfg.latency_ms, cfg.jitter_ms, cfg.concurrency_limit, cfg.seed)
        return Governor(build_app(context), knobs, FaultInjector(cfg.faults, cfg.seed))

    def now(self) -> float:
        """The emulator's clock (the configured clock plus `advance_clock` offsets)."""
        return self.config.clock() + self._clock_offset

    def advance_clock(self, seconds: float) -> None:
        """Move the emulator's clock forward (tokens expire, timestamps go stale)."""
        self._clock_offset += seconds

    def sql(self, query: str, params: tuple[Any, ...] | list[Any] = ()) -> list[tuple[Any, ...]]:
        """Run plain DuckDB SQL on the emulator's database (tests and benches only)."""
        return self._db.execute_any(query, params)

    def set_faults(self, faults: FaultRates) -> None:
        """Change the injected fault rates for every later request."""
        self._governor.faults.set_rates(faults)
        self.config = replace(self.config, faults=faults)

    def set_latency(self, ms: float, jitter: float = 0.0) -> None:
        """Change the per-request latency (fixed milliseconds plus uniform jitter)."""
        self._governor.knobs.latency_ms, self._governor.knobs.jitter_ms = ms, jitter
        self.config = replace(self.config, latency_ms=ms, jitter_ms=jitter)

    def set_concurrency_limit(self, n: int) -> None:
        """Change the account's concurrency limit."""
        if n < 1:
            raise ConfigError(f"concurrency limit must be at least 1, got {n}")
        self._governor.knobs.concurrency_limit = n
        self.config = replace(self.config, concurrency_limit=n)

    @property
    def stats(self) -> EmulatorStats:
        """What the emulator served since start or the last `reset_stats()`."""
        return self._governor.stats()

    def reset_stats(self) -> None:
        """Zero the statistics."""
        self._governor.reset()

    def stop(self) -> None:
        """Stop serving and close the database (idempotent)."""
        if self._thread.is_alive():
            self._server.should_exit = True
            self._thread.join(timeout=10)
        self._records.close()
        self._db.close()

    def __enter__(self) -> Emulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_emulator(
    config: EmulatorConfig,
    *,
    loader: Loader | None = None,
    translator: Translator | None = None,
) -> Emulator:
    """Seed the database, start serving and return once `/health` answers.

    `loader` and `translator` replace the seed generator and the SuiteQL dialect (tests of the
    server itself use a hand-made table and plain SQL); by default the real ones are used.
    """
    source = "seed" if loader is None else getattr(loader, "__qualname__", repr(loader))
    db = EmulatorDatabase(
        config.db_path,
        loader or _seed_loader(config),
        installer=dialect_installer() if translator is None else None,
        fingerprint=data_fingerprint(config, source),
    )
    try:
        return Emulator(config, db, translator or dialect_translator())
    except BaseException:
        db.close()
        raise


def data_fingerprint(config: EmulatorConfig, source: str) -> str:
    """What generated the data: the loader, seed, scale and the schema's text."""
    tables = hashlib.sha256(repr(sorted(schema.TABLES.items())).encode()).hexdigest()[:16]
    return f"{source};seed={config.seed};scale={config.scale};schema={tables}"


def _seed_loader(config: EmulatorConfig) -> Loader:
    from suiteops.emulator.seed import seed_database

    def load(con: Any) -> None:
        seed_database(con, seed=config.seed, scale=config.scale, today=config.today)

    return load
