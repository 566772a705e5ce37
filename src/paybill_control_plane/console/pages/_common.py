"""Small helpers the console's pages share."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from paybill_control_plane.console.routing import ConsoleRoute


def console_router() -> APIRouter:
    """A router for console pages: HTML errors, sign-in redirects, not in the OpenAPI spec."""
    return APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)


def see_other(url: str) -> RedirectResponse:
    """After a POST: the browser GETs the page that shows the outcome (no resubmission)."""
    return RedirectResponse(url, status_code=303)


def query_value(request: Request, name: str) -> str | None:
    value = request.query_params.get(name, "").strip()
    return value or None
