"""The emulator's Starlette application: routes, authentication and error mapping.

Handlers are `async (request, context) -> Response`; `endpoint()` wraps each one so that it is
authenticated (TBA or Bearer), a raised `Problem` becomes NetSuite's error JSON and anything
unexpected becomes 500 UNEXPECTED_ERROR with an Error ID (and is logged with that id).
Database work runs off the event loop (`run_in_threadpool`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from suiteops.emulator.auth import Authenticator
from suiteops.emulator.oauth2 import TOKEN_PATH, TokenEndpoint, TokenError
from suiteops.emulator.problems import ErrorCode, Problem, bad_request, unexpected
from suiteops.emulator.record_routes import record_routes
from suiteops.emulator.record_service import RecordService
from suiteops.emulator.suiteql import SuiteQLService, parse_body, parse_paging

LOG = logging.getLogger("suiteops.emulator")
SUITEQL_PATH = "/services/rest/query/v1/suiteql"
# NetSuite labels REST collections this way (errors: type=error, records: type=singular).
COLLECTION_TYPE = "application/vnd.oracle.resource+json; type=collection"


@dataclass(frozen=True)
class EmulatorContext:
    """Everything the handlers use, built once per emulator."""

    account: str
    bound_params: bool
    auth: Authenticator
    tokens: TokenEndpoint
    suiteql: SuiteQLService
    records: RecordService


Handler = Callable[[Request, EmulatorContext], Awaitable[Response]]


def endpoint(
    handler: Handler, *, authenticate: bool = True
) -> Callable[[Request], Awaitable[Response]]:
    """Wrap `handler` with authentication and NetSuite error mapping."""

    async def wrapped(request: Request) -> Response:
        ctx: EmulatorContext = request.app.state.context
        try:
            if authenticate:
                ctx.auth.check(
                    request.method, str(request.url), request.headers.get("authorization")
                )
            return await handler(request, ctx)
        except Problem as problem:
            return problem.response()
        except Exception:
            error_id = uuid.uuid4().hex[:20]
            LOG.exception("unexpected emulator error (Error ID %s)", error_id)
            return unexpected(error_id).response()

    return wrapped


def _prefers(request: Request, token: str) -> bool:
    prefs = request.headers.get("prefer", "")
    return token in {p.strip().lower() for p in prefs.split(",")}


async def suiteql(request: Request, ctx: EmulatorContext) -> Response:
    """Run one page of a SuiteQL query (reference §1)."""
    if _prefers(request, "respond-async"):
        raise bad_request(
            "The query service does not support asynchronous requests.", ErrorCode.INVALID_REQUEST
        )
    if not _prefers(request, "transient"):
        raise bad_request(
            "SuiteQL requests need the header 'Prefer: transient'.", ErrorCode.INVALID_REQUEST
        )
    paging = parse_paging(request.query_params.get("limit"), request.query_params.get("offset"))
    body = parse_body(await request.body(), bound_params=ctx.bound_params)
    base = str(request.url.replace(query=""))

    def href(offset: int) -> str:
        return f"{base}?limit={paging.limit}&offset={offset}"

    page = await run_in_threadpool(ctx.suiteql.page, body, paging, href)
    return Response(page, media_type=COLLECTION_TYPE)


async def token(request: Request, ctx: EmulatorContext) -> Response:
    """The OAuth 2.0 client-credentials token endpoint."""
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    try:
        body = ctx.tokens.exchange(fields, str(request.url.replace(query="")))
    except TokenError as exc:
        return JSONResponse(exc.body(), status_code=exc.status)
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


async def health(request: Request) -> Response:
    """Liveness probe (no authentication, no governance)."""
    ctx: EmulatorContext = request.app.state.context
    return JSONResponse({"status": "ok", "account": ctx.account})


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (404 unknown path, 405 wrong method) in NetSuite's shape."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = (
        f"{request.method} is not supported on {request.url.path}."
        if status == 405
        else f"Invalid URL path: {request.url.path}"
    )
    return Problem(status, ErrorCode.INVALID_REQUEST, detail).response()


def build_app(context: EmulatorContext) -> Starlette:
    """The Starlette app serving `context`."""
    routes = [
        Route("/health", health, methods=["GET"]),
        Route(SUITEQL_PATH, endpoint(suiteql), methods=["POST"]),
        Route(TOKEN_PATH, endpoint(token, authenticate=False), methods=["POST"]),
        *record_routes(endpoint),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
    app.state.context = context
    return app
