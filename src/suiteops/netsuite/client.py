"""`SuiteQLClient`: complete, ordered, typed SuiteQL results over NetSuite's paged REST endpoint.

The first page (limit 1000, offset 0) gives `totalResults`; the other pages are fetched by a
thread pool with at most `concurrency` requests in flight (the adaptive limit may lower that
after a 429) and yielded strictly in order, never more than `2 × concurrency` pages ahead of the
consumer. Above 100,000 rows the client pages by `key`; without a key it refuses
(`TruncationError`) rather than return a cut result.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from suiteops import sql as sqlmod
from suiteops.config import Settings
from suiteops.errors import ConfigError, ParameterError
from suiteops.models import ColumnSpec, ColumnType
from suiteops.netsuite.auth import ClientCredentialsAuth, TokenAuth, default_base_url
from suiteops.netsuite.auth import normalize_account as _normalize
from suiteops.netsuite.paging import InconsistentResult, Page, Progress
from suiteops.netsuite.records import RecordClient
from suiteops.netsuite.requester import Requester
from suiteops.netsuite.responses import query_label
from suiteops.netsuite.retry import AdaptiveLimit, RetryPolicy
from suiteops.netsuite.run import Plan, Run

ProgressCallback = Callable[[Progress], None]


@dataclass(frozen=True)
class Result:
    """A complete result: columns in SELECT-list order, typed rows, and how it was fetched."""

    columns: tuple[str, ...]
    rows: list[dict[str, Any]] = field(repr=False)
    total: int
    pages: int
    retries: int
    elapsed: float
    requests: int


class SuiteQLClient:
    """Runs SuiteQL against one NetSuite account (or the emulator). Thread-safe; close it."""

    def __init__(
        self,
        *,
        account: str,
        auth: httpx.Auth,
        base_url: str | None = None,
        concurrency: int = 5,
        bound_params: bool = False,
        retry: RetryPolicy = RetryPolicy(),  # noqa: B008 - frozen, so one shared default is safe
        timeout: float = 60.0,
        transport: httpx.BaseTransport | None = None,
    ):
        if concurrency < 1:
            raise ConfigError(f"netsuite.concurrency must be at least 1, got {concurrency}")
        self.account = _normalize(account)
        self.base_url = (base_url or default_base_url(self.account)).rstrip("/")
        self.concurrency = concurrency
        self.bound_params = bound_params
        self.retry = retry
        self.limit = AdaptiveLimit(concurrency)
        self._secrets = tuple(getattr(auth, "secret_values", tuple)())
        self.http = httpx.Client(
            auth=auth,
            timeout=timeout,
            transport=transport,
            limits=httpx.Limits(max_connections=concurrency + 2),
            follow_redirects=False,
        )
        self.records = RecordClient(self.http, self.base_url, retry, secrets=self._secrets)

    def __repr__(self) -> str:
        return f"SuiteQLClient(account={self.account.realm!r}, base_url={self.base_url!r})"

    @classmethod
    def from_settings(cls, settings: Settings, *, base_url: str | None = None) -> SuiteQLClient:
        """Build from `settings.netsuite` (TBA or OAuth 2.0 per `netsuite.auth`)."""
        ns = settings.netsuite
        if not ns.account:
            raise ConfigError("netsuite.account is not set (demo mode uses the emulator)")
        url = (base_url or ns.base_url or default_base_url(ns.account)).rstrip("/")
        auth = _auth_from_settings(settings, url)
        policy = RetryPolicy(max_attempts=ns.max_attempts, budget=ns.retry_budget)
        return cls(
            account=ns.account,
            auth=auth,
            base_url=url,
            concurrency=ns.concurrency,
            bound_params=ns.bound_params,
            retry=policy,
            timeout=ns.timeout,
        )

    def close(self) -> None:
        """Close the HTTP connections."""
        self.http.close()

    def __enter__(self) -> SuiteQLClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def pages(
        self,
        sql: str,
        params: Mapping[str, object] | None = None,
        *,
        key: str | None = None,
        columns: Sequence[ColumnSpec] | None = None,
        param_types: Mapping[str, ColumnType] | None = None,
        name: str | None = None,
        on_progress: ProgressCallback | None = None,
        expect_rows: int | None = None,
    ) -> Iterator[Page]:
        """Yield the result's pages in order (see the module docstring). `expect_rows` (e.g.
        the last snapshot's size) lets the first pages be requested together."""
        run = self._run(sql, params, key, columns, param_types, name, expect_rows=expect_rows)
        yield from run.pages(on_progress)

    def fetch(
        self,
        sql: str,
        params: Mapping[str, object] | None = None,
        *,
        key: str | None = None,
        columns: Sequence[ColumnSpec] | None = None,
        param_types: Mapping[str, ColumnType] | None = None,
        name: str | None = None,
        on_progress: ProgressCallback | None = None,
        expect_rows: int | None = None,
    ) -> Result:
        """The whole result. If rows change while offset-paging and a key is declared, the
        result is re-read by key (consistent under change) instead of returned torn."""
        started = time.monotonic()
        run = self._run(sql, params, key, columns, param_types, name, expect_rows=expect_rows)
        try:
            return _collect(run, on_progress, started)
        except InconsistentResult:
            if key is None or run.keyset:
                raise
            rerun = self._run(sql, params, key, columns, param_types, name, force_keyset=True)
            result = _collect(rerun, on_progress, started)
            extra = run.requester.requests
            return _with_counts(result, result.requests + extra, result.retries + run.retries)

    def _run(
        self,
        sql: str,
        params: Mapping[str, object] | None,
        key: str | None,
        columns: Sequence[ColumnSpec] | None,
        param_types: Mapping[str, ColumnType] | None,
        name: str | None,
        *,
        force_keyset: bool = False,
        expect_rows: int | None = None,
    ) -> Run:
        tree = sqlmod.parse(sql, path=name or "<query>")
        sqlmod.check_select_only(tree, path=name or "<query>")
        names = sqlmod.output_columns(tree)
        if key is not None and key.lower() not in names and "*" not in names:
            raise ParameterError(f"key {key!r} is not an output column of the query", query=name)
        try:
            rendered = sqlmod.render(sql, params or {}, param_types or {}, bound=self.bound_params)
        except ParameterError as exc:
            if name and exc.query is None:
                exc.query = name
                exc.args = (f"query {name!r}: {exc.args[0]}",)
            raise
        plan = Plan(
            text=rendered.text,
            params=rendered.params,
            columns=tuple(n for n in names if n != "*"),
            types={c.name.lower(): c.type for c in columns or ()},
            key=key.lower() if key else None,
            label=query_label(name, sql),
            url=f"{self.base_url}/services/rest/query/v1/suiteql",
            concurrency=self.concurrency,
            force_keyset=force_keyset,
            expect_rows=expect_rows,
        )
        requester = Requester(self.http, self.retry, limit=self.limit, secrets=self._secrets)
        return Run(plan, requester)


def _collect(run: Run, on_progress: ProgressCallback | None, started: float) -> Result:
    rows: list[dict[str, Any]] = []
    columns: dict[str, None] = dict.fromkeys(run.plan.columns)
    pages = 0
    for page in run.pages(on_progress):
        rows.extend(page.rows)
        columns.update(dict.fromkeys(page.columns))
        pages += 1
    return Result(
        columns=tuple(columns),
        rows=rows,
        total=len(rows),
        pages=pages,
        retries=run.retries,
        elapsed=time.monotonic() - started,
        requests=run.requester.requests,
    )


def _with_counts(result: Result, requests: int, retries: int) -> Result:
    return Result(
        columns=result.columns,
        rows=result.rows,
        total=result.total,
        pages=result.pages,
        retries=retries,
        elapsed=result.elapsed,
        requests=requests,
    )


def _auth_from_settings(settings: Settings, base_url: str) -> httpx.Auth:
    ns = settings.netsuite
    if ns.auth == "oauth2":
        if not ns.client_id or not ns.certificate_id or not ns.private_key:
            raise ConfigError(
                "netsuite.auth=oauth2 needs netsuite.client_id, certificate_id and private_key"
            )
        return ClientCredentialsAuth(
            ns.account,
            ns.client_id,
            ns.certificate_id,
            Path(ns.private_key),
            algorithm=ns.jwt_algorithm,
            token_url=f"{base_url}/services/rest/auth/oauth2/v1/token",
        )
    missing = [
        n
        for n in ("consumer_key", "consumer_secret", "token_id", "token_secret")
        if not getattr(ns, n)
    ]
    if missing:
        raise ConfigError(f"netsuite.auth=tba needs netsuite.{missing[0]} (and the other keys)")
    return TokenAuth(ns.account, ns.consumer_key, ns.consumer_secret, ns.token_id, ns.token_secret)
