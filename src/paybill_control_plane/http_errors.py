"""Every error, expected or not, leaves as application/problem+json."""

from __future__ import annotations

import json
import logging
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from paybill_control_plane.db.conflicts import (
    is_bad_value,
    is_database_unavailable,
    is_transient_conflict,
)
from paybill_control_plane.errors import (
    ControlPlaneError,
    DatabaseUnavailable,
    InternalError,
    MalformedJson,
    PreconditionRequired,
    TransientConflict,
    Unprocessable,
    problem,
)
from paybill_control_plane.kit.etag import IF_MATCH_REQUIRED
from paybill_control_plane.kit.problems import PROBLEM_MEDIA_TYPE

log = logging.getLogger(__name__)

DB_RETRY_AFTER_SECONDS = 2
NOT_JSON = "The request body is not valid JSON."
INVALID_FIELDS = "One or more fields are invalid; see `errors`."
DB_UNAVAILABLE = "The database is not reachable right now; nothing was changed. Retry."
UNSTORABLE_VALUE = "A value cannot be stored (e.g. a NUL character or a number out of range)."

_HTTP_SLUGS = {
    400: ("bad-request", "Bad request"),
    401: ("unauthenticated", "Authentication required"),
    403: ("forbidden", "Forbidden"),
    404: ("route-not-found", "No such route"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    413: ("payload-too-large", "Payload too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
}


def problem_response(body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        body, status_code=body["status"], media_type=PROBLEM_MEDIA_TYPE, headers=headers
    )


def _jsonable_errors(errors: Any) -> list[dict[str, Any]]:
    cleaned = []
    for err in errors:
        item = {
            "loc": list(err.get("loc", ())),
            "msg": err.get("msg", ""),
            "type": err.get("type", ""),
        }
        cleaned.append(json.loads(json.dumps(item, default=str)))
    return cleaned


_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


def _allowed_methods(request: Request) -> str:
    """Every method some route serves at this path (Starlette lists only the first route's)."""
    routes = request.app.router.routes
    return ", ".join(
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    )


def _answer(
    request: Request, error: ControlPlaneError, headers: dict[str, str] | None = None
) -> JSONResponse:
    return problem_response(error.to_problem(request.url.path), headers)


def _missing_if_match(errors: Any) -> bool:
    return any(
        e.get("type") == "missing"
        and [str(p).lower() for p in e.get("loc", ())] == ["header", "if-match"]
        for e in errors
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ControlPlaneError)
    async def _control_plane(request: Request, exc: ControlPlaneError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return _answer(request, exc, headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        body_not_object = any(
            tuple(e.get("loc", ())) == ("body",) and isinstance(e.get("input"), (str, bytes))
            for e in errors
        )
        if body_not_object or any(e.get("type") == "json_invalid" for e in errors):
            invalid = _jsonable_errors(errors)
            return _answer(request, MalformedJson(NOT_JSON, extra={"errors": invalid}))
        if _missing_if_match(errors):
            return _answer(request, PreconditionRequired(IF_MATCH_REQUIRED))
        invalid = _jsonable_errors(errors)
        return _answer(request, Unprocessable(INVALID_FIELDS, extra={"errors": invalid}))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug, title = _HTTP_SLUGS.get(exc.status_code, ("http-error", "HTTP error"))
        detail = exc.detail if isinstance(exc.detail, str) else title
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"No route matches {request.method} {request.url.path}."
        if exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}."
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            headers = {**(headers or {}), "Allow": _allowed_methods(request)}
        return problem_response(
            problem(exc.status_code, slug, title, detail, request.url.path), headers
        )

    async def _storage(request: Request, exc: Exception) -> JSONResponse:
        # Database and recursion errors are handled here, inside the exception middleware, so
        # they are answered like any expected error (the catch-all below re-raises to the
        # server after answering, which drops the keep-alive connection).
        return _expected(request, exc) or _internal_error(request)

    for kind in (
        sa_exc.StatementError,
        sa_exc.DisconnectionError,
        sa_exc.TimeoutError,
        psycopg.Error,
        RecursionError,
    ):
        app.add_exception_handler(kind, _storage)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        return _expected(request, exc) or _internal_error(request)


def _expected(request: Request, exc: Exception) -> JSONResponse | None:
    """The answer to an error that is not a bug, or None."""
    if is_transient_conflict(exc):
        # Postgres chose this request as a deadlock victim and rolled it back whole.
        conflict = TransientConflict(
            "A concurrent change touched the same rows; nothing was changed. Retry."
        )
        return _answer(request, conflict, {"Retry-After": "1"})
    if is_database_unavailable(exc):
        # Restart, failover, a killed backend: the transaction rolled back; a retry works.
        log.warning(
            "database unavailable on %s %s: %s",
            request.method,
            request.url.path,
            type(exc).__name__,
        )
        retry_after = {"Retry-After": str(DB_RETRY_AFTER_SECONDS)}
        return _answer(request, DatabaseUnavailable(DB_UNAVAILABLE), retry_after)
    if is_bad_value(exc):
        return _answer(request, Unprocessable(UNSTORABLE_VALUE))
    if isinstance(exc, RecursionError):
        return _answer(request, MalformedJson("The request body is nested too deeply."))
    return None


def _internal_error(request: Request) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return _answer(request, InternalError("An unexpected error occurred; it has been logged."))
