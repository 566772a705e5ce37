"""Outbound events (admin): webhook endpoints and their delivery attempts, events, redeliver.

The same repositories and service as `GET /v1/webhook-endpoints`, `…/{id}/deliveries`,
`GET /v1/events` and `POST /v1/events/{id}/redeliver`, behind the same `webhooks:manage`
permission. Endpoints are created, changed and their secrets rotated with the API (a secret is
never shown here).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi import Request, Response

from paybill_control_plane.auth.principal import Permission
from paybill_control_plane.console.pages._common import console_router, page_links, see_other
from paybill_control_plane.console.pages._common import query_value as q
from paybill_control_plane.console.rendering import render
from paybill_control_plane.console.security import SignedInDep
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.errors import BadRequest
from paybill_control_plane.events import repository as events_repo
from paybill_control_plane.events import service as events_service
from paybill_control_plane.events.delivery import EVENT_SOURCE
from paybill_control_plane.events.schemas import (
    OutboundEventOut,
    WebhookAttemptOut,
    WebhookEndpointOut,
)
from paybill_control_plane.events.types import EventType
from paybill_control_plane.kit.app_state import SettingsDep

router = console_router()
PAGE_SIZE = 50


@router.get("/events")
async def console_events(
    request: Request, user: SignedInDep, session: SessionDep, settings: SettingsDep
) -> Response:
    user.principal.require(Permission.webhooks_manage)
    event_type = q(request, "type")
    if event_type and event_type not in set(EventType):
        raise BadRequest(f"'{event_type}' is not an event type.")
    endpoints, _ = await events_repo.endpoints_page(session, limit=PAGE_SIZE, cursor=None)
    since = utcnow() - timedelta(days=settings.event_retention_days)
    rows, more = await events_repo.events_page(
        session, limit=PAGE_SIZE, cursor=q(request, "cursor"), since=since, tenant_id=None,
        event_type=event_type,
    )  # fmt: skip
    context = {
        "endpoints": [WebhookEndpointOut.of(e) for e in endpoints],
        "events": [OutboundEventOut.of(r, EVENT_SOURCE) for r in rows],
        **page_links(request, rows, more, created="occurred_at"),
        "type": event_type,
        "types": list(EventType),
        "retention_days": settings.event_retention_days,
        "redelivered": request.query_params.get("redelivered"),
    }
    return render(request, "events/index.html", context, user=user)


@router.get("/events/endpoints/{endpoint_id}")
async def console_endpoint(
    endpoint_id: uuid.UUID, request: Request, user: SignedInDep, session: SessionDep
) -> Response:
    user.principal.require(Permission.webhooks_manage)
    endpoint = await events_repo.get_endpoint(session, endpoint_id)
    rows, more = await events_repo.attempts_page(
        session, endpoint_id, limit=PAGE_SIZE, cursor=q(request, "cursor")
    )
    context = {
        "endpoint": WebhookEndpointOut.of(endpoint),
        "attempts": [WebhookAttemptOut.of(r) for r in rows],
        **page_links(request, rows, more, created="attempted_at"),
    }
    return render(request, "events/endpoint.html", context, user=user)


@router.post("/events/{event_id}/redeliver")
async def console_redeliver(
    event_id: uuid.UUID, user: SignedInDep, session: SessionDep
) -> Response:
    user.principal.require(Permission.webhooks_manage)
    count = await events_service.redeliver(session, user.principal, event_id)
    return see_other(f"/console/events?redelivered={count}")
