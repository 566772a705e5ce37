"""Small helpers the console's pages share."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any, overload

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.auth.principal import Permission, Principal
from paybill_control_plane.console.routing import ConsoleRoute
from paybill_control_plane.console.security import form_fields
from paybill_control_plane.errors import BadRequest
from paybill_control_plane.kit.pagination import next_cursor_of
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.tenants import repository as tenants_repo


def console_router() -> APIRouter:
    """A router for console pages: HTML errors, sign-in redirects, not in the OpenAPI spec."""
    return APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)


def see_other(url: str) -> RedirectResponse:
    """After a POST: the browser GETs the page that shows the outcome (no resubmission)."""
    return RedirectResponse(url, status_code=303)


def query_value(request: Request, name: str) -> str | None:
    value = request.query_params.get(name, "").strip()
    return value or None


@overload
def status_query(
    request: Request, statuses: type[StrEnum], noun: str, *, default: StrEnum
) -> str: ...
@overload
def status_query(request: Request, statuses: type[StrEnum], noun: str) -> str | None: ...
def status_query(
    request: Request, statuses: type[StrEnum], noun: str, *, default: StrEnum | None = None
) -> str | None:
    """The `status` filter of a list page: one of `statuses` or none; with a `default` (shown
    when none is asked), `all` too. Anything else is a 400 "'…' is not `noun`"."""
    status = query_value(request, "status") or (default.value if default else None)
    allowed = {*statuses, "all"} if default else set(statuses)
    if status and status not in allowed:
        raise BadRequest(f"'{status}' is not {noun}.")
    return status


async def form_reason(request: Request, *, limit: int, what: str) -> str:
    """The form's `reason`, stripped; a 400 "`what` needs a reason (1 to `limit` characters)."
    when it is empty or longer."""
    reason = ((await form_fields(request)).get("reason") or "").strip()
    if not reason or len(reason) > limit:
        raise BadRequest(f"{what} needs a reason (1 to {limit} characters).")
    return reason


def page_links(
    request: Request, rows: list[Any], more: bool, *, created: str = "created_at"
) -> dict[str, Any]:
    """What a list page's pager needs: the next page's cursor and whether this is the first."""
    return {
        "next_cursor": next_cursor_of(rows, more, created=created),
        "first_page": query_value(request, "cursor") is None,
    }


async def tenant_for(
    session: AsyncSession, principal: Principal, tenant_id: uuid.UUID, permission: Permission
) -> Tenant:
    """The tenant, if the signed-in user may see it (404 otherwise) and holds `permission` (403)."""
    tenant = await tenants_repo.get(session, principal, tenant_id)
    principal.require(permission)
    return tenant
