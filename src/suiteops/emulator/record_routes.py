"""HTTP routes of the record API and async jobs (see records.py and jobs.py for the rules)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from suiteops.emulator.jobs import IdempotencyConflict, JobView, job_path
from suiteops.emulator.problems import ErrorCode, Problem, bad_request
from suiteops.emulator.record_service import (
    Write,
    patch_write,
    transform_write,
    upsert_write,
)
from suiteops.emulator.records import RECORD_PREFIX, iso_datetime

if TYPE_CHECKING:
    from suiteops.emulator.routes import EmulatorContext, Handler

IDEMPOTENCY_HEADER = "x-netsuite-idempotency-key"


def _absolute(request: Request, path: str) -> str:
    return str(request.base_url).rstrip("/") + path


async def _json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise bad_request(
            f"Invalid JSON in the request body: {exc}", ErrorCode.INVALID_CONTENT
        ) from None
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.", ErrorCode.INVALID_CONTENT)
    return body


async def _perform(request: Request, ctx: EmulatorContext, write: Write) -> Response:
    """Run a write now (204 + Location) or as an async job (202 + job Location)."""
    prefer = {p.strip().lower() for p in request.headers.get("prefer", "").split(",")}
    if "respond-async" not in prefer:
        path = await run_in_threadpool(ctx.records.run, write)
        return Response(status_code=204, headers={"Location": _absolute(request, path)})
    key = request.headers.get(IDEMPOTENCY_HEADER)
    try:
        job_id = ctx.records.submit(write, key)
    except IdempotencyConflict as conflict:
        raise Problem(
            400,
            ErrorCode.IDEMPOTENCY_ERROR,
            f"A request with the idempotency key {key!r} was already accepted.",
            title="Conflict",
            headers={"Location": _absolute(request, job_path(conflict.job_id))},
        ) from None
    headers = {
        "Location": _absolute(request, job_path(job_id)),
        "Preference-Applied": "respond-async",
    }
    return Response(status_code=202, headers=headers)


async def get_record(request: Request, ctx: EmulatorContext) -> Response:
    """GET a record."""
    p = request.path_params
    record = await run_in_threadpool(ctx.records.get, p["rtype"], p["key"])
    return JSONResponse(record)


async def get_item_sublist(request: Request, ctx: EmulatorContext) -> Response:
    """GET the item sublist of a record (how clients find `orderLine` values)."""
    p = request.path_params
    record = await run_in_threadpool(ctx.records.get, p["rtype"], p["key"])
    items = record["item"]["items"]
    self_link = {"rel": "self", "href": str(request.url)}
    return JSONResponse({"links": [self_link], "count": len(items), "hasMore": False,
                         "offset": 0, "totalResults": len(items), "items": items})  # fmt: skip


async def patch_record(request: Request, ctx: EmulatorContext) -> Response:
    """PATCH a record."""
    p = request.path_params
    return await _perform(
        request, ctx, patch_write(p["rtype"], p["key"], await _json_body(request))
    )


async def put_record(request: Request, ctx: EmulatorContext) -> Response:
    """PUT (upsert) a record by external id."""
    p = request.path_params
    return await _perform(
        request, ctx, upsert_write(p["rtype"], p["key"], await _json_body(request))
    )


async def transform_record(request: Request, ctx: EmulatorContext) -> Response:
    """POST a transform."""
    p = request.path_params
    write = transform_write(p["rtype"], p["key"], p["target"], await _json_body(request))
    return await _perform(request, ctx, write)


def _job_id(request: Request) -> int:
    try:
        return int(request.path_params["job"])
    except ValueError:
        raise Problem(404, ErrorCode.NONEXISTENT_ID, "The async job does not exist.") from None


def _task(request: Request, ctx: EmulatorContext) -> JobView:
    view = ctx.records.jobs.view(_job_id(request))
    if request.path_params.get("task", "1") != "1":
        raise Problem(404, ErrorCode.NONEXISTENT_ID, "The async job has only task 1.")
    return view


def _state(request: Request, view: JobView, path: str) -> dict[str, Any]:
    return {
        "links": [{"rel": "self", "href": _absolute(request, path)}],
        "id": str(view.id),
        "completed": view.completed,
        "progress": view.progress,
        "createdDate": iso_datetime(view.created),
    }


async def get_job(request: Request, ctx: EmulatorContext) -> Response:
    """GET an async job's state."""
    view = ctx.records.jobs.view(_job_id(request))
    return JSONResponse(_state(request, view, job_path(view.id)))


async def list_tasks(request: Request, ctx: EmulatorContext) -> Response:
    """GET the job's tasks (always one)."""
    view = ctx.records.jobs.view(_job_id(request))
    task = _absolute(request, f"{job_path(view.id)}/task/1")
    return JSONResponse(
        {
            "links": [{"rel": "self", "href": _absolute(request, f"{job_path(view.id)}/task")}],
            "count": 1,
            "hasMore": False,
            "offset": 0,
            "totalResults": 1,
            "items": [{"links": [{"rel": "self", "href": task}]}],
        }
    )


async def get_task(request: Request, ctx: EmulatorContext) -> Response:
    """GET the job's task state."""
    view = _task(request, ctx)
    return JSONResponse(_state(request, view, f"{job_path(view.id)}/task/1"))


async def task_result(request: Request, ctx: EmulatorContext) -> Response:
    """GET the task's result: the response the synchronous request would have given."""
    view = _task(request, ctx)
    if view.outcome is None:
        raise Problem(404, ErrorCode.NONEXISTENT_ID, f"The async job {view.id} has not completed.")
    outcome = view.outcome
    if outcome.error is not None:
        return JSONResponse(outcome.error, status_code=outcome.status)
    return Response(
        status_code=204, headers={"Location": _absolute(request, outcome.location or "")}
    )


def record_routes(
    endpoint: Callable[[Handler], Callable[[Request], Awaitable[Response]]],
) -> list[Route]:
    """The record and async-job routes, each wrapped by `endpoint`."""
    record = f"{RECORD_PREFIX}/{{rtype}}/{{key}}"
    job = "/services/rest/async/v1/job/{job}"
    return [
        Route(record, endpoint(get_record), methods=["GET"]),
        Route(record, endpoint(patch_record), methods=["PATCH"]),
        Route(record, endpoint(put_record), methods=["PUT"]),
        Route(f"{record}/item", endpoint(get_item_sublist), methods=["GET"]),
        Route(f"{record}/!transform/{{target}}", endpoint(transform_record), methods=["POST"]),
        Route(job, endpoint(get_job), methods=["GET"]),
        Route(f"{job}/task", endpoint(list_tasks), methods=["GET"]),
        Route(f"{job}/task/", endpoint(list_tasks), methods=["GET"]),
        Route(f"{job}/task/{{task}}", endpoint(get_task), methods=["GET"]),
        Route(f"{job}/task/{{task}}/result", endpoint(task_result), methods=["GET"]),
    ]
