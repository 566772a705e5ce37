"""Small helpers the console's pages share."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.console.routing import ConsoleRoute
from paybill_control_plane.models.audit_event import AuditEvent


def console_router() -> APIRouter:
    """A router for console pages: HTML errors, sign-in redirects, not in the OpenAPI spec."""
    return APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)


def see_other(url: str) -> RedirectResponse:
    """After a POST: the browser GETs the page that shows the outcome (no resubmission)."""
    return RedirectResponse(url, status_code=303)


def query_value(request: Request, name: str) -> str | None:
    value = request.query_params.get(name, "").strip()
    return value or None


async def audit_events(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID | None = None,
    actor: str | None = None,
    action: str | None = None,
    after_seq: int | None = None,
    limit: int = 50,
    newest_first: bool = False,
) -> tuple[list[AuditEvent], bool]:
    """Audit events with the API's filters (GET /v1/audit-events), by chain position."""
    stmt: Any = select(AuditEvent)
    if tenant_id:
        stmt = stmt.where(AuditEvent.tenant_id == tenant_id)
    if actor:
        stmt = stmt.where(AuditEvent.actor == actor)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if after_seq is not None:
        stmt = stmt.where(
            AuditEvent.seq < after_seq if newest_first else AuditEvent.seq > after_seq
        )
    order = AuditEvent.seq.desc() if newest_first else AuditEvent.seq
    rows = list(await session.scalars(stmt.order_by(order).limit(limit + 1)))
    return rows[:limit], len(rows) > limit
