"""/v1/webhook-endpoints and /v1/events: where outbound events go, and what was sent (admin)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from paybill_control_plane.auth.dependencies import WebhookManager
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.events import repository as repo
from paybill_control_plane.events import service
from paybill_control_plane.events.delivery import EVENT_SOURCE
from paybill_control_plane.events.schemas import (
    OutboundEventOut,
    Redelivery,
    WebhookAttemptOut,
    WebhookEndpointCreate,
    WebhookEndpointOut,
    WebhookEndpointUpdate,
    WebhookEndpointWithSecret,
)
from paybill_control_plane.events.types import EventType
from paybill_control_plane.http_controls import ControlledRoute
from paybill_control_plane.kit.app_state import SettingsDep
from paybill_control_plane.kit.etag import IfMatch, etag_response, parse_if_match, set_etag
from paybill_control_plane.kit.idempotency import returns_secret
from paybill_control_plane.kit.pagination import (
    DEFAULT_LIMIT,
    Page,
    PageCursor,
    PageLimit,
    PageParams,
    next_cursor_of,
)
from paybill_control_plane.kit.problems import AUTHED, problem_responses

router = APIRouter(
    prefix="/v1/webhook-endpoints", tags=["webhook-endpoints"], route_class=ControlledRoute
)
events_router = APIRouter(prefix="/v1/events", tags=["events"], route_class=ControlledRoute)


@router.post(
    "",
    summary="Register a webhook endpoint (its signing secret is shown once)",
    status_code=status.HTTP_201_CREATED,
    responses={**etag_response(201), **problem_responses(*AUTHED, 409)},
)
@returns_secret  # the signing secret is in the body: a stored replay copy is kept encrypted
async def webhook_endpoints_create(
    body: WebhookEndpointCreate,
    session: SessionDep,
    principal: WebhookManager,
    response: Response,
    settings: SettingsDep,
) -> WebhookEndpointWithSecret:
    """Deliver the listed event types (optionally one tenant's only) to `url`, signed per
    Standard Webhooks with the returned `secret` (`whsec_…`), which is never shown again.

    `url` follows the cloud targets' egress rules: https to public addresses only (422
    `invalid-webhook-url`), unless the host is in PAYBILL_ALLOW_INSECURE_ENDPOINT_HOSTS.
    """
    endpoint, secret = await service.create_endpoint(session, principal, body, settings)
    set_etag(response, endpoint.version)
    response.headers["Location"] = f"/v1/webhook-endpoints/{endpoint.id}"
    return WebhookEndpointWithSecret(**WebhookEndpointOut.of(endpoint).model_dump(), secret=secret)


@router.get("", summary="List webhook endpoints", responses=problem_responses(*AUTHED))
async def webhook_endpoints_list(
    session: SessionDep,
    _: WebhookManager,
    page: PageParams,
) -> Page[WebhookEndpointOut]:
    """Endpoints, oldest first (secrets never shown)."""
    rows, more = await repo.endpoints_page(session, limit=page.limit, cursor=page.cursor)
    return Page[WebhookEndpointOut](
        items=[WebhookEndpointOut.of(r) for r in rows], next_cursor=next_cursor_of(rows, more)
    )


@router.get(
    "/{endpoint_id}",
    summary="Get a webhook endpoint",
    responses={**etag_response(), **problem_responses(*AUTHED, 404)},
)
async def webhook_endpoints_get(
    endpoint_id: uuid.UUID, session: SessionDep, _: WebhookManager, response: Response
) -> WebhookEndpointOut:
    """The endpoint and, in `ETag`, its version."""
    endpoint = await repo.get_endpoint(session, endpoint_id)
    set_etag(response, endpoint.version)
    return WebhookEndpointOut.of(endpoint)


@router.patch(
    "/{endpoint_id}",
    summary="Update a webhook endpoint",
    responses={**etag_response(), **problem_responses(*AUTHED, 404, 412)},
)
async def webhook_endpoints_update(
    endpoint_id: uuid.UUID,
    body: WebhookEndpointUpdate,
    session: SessionDep,
    principal: WebhookManager,
    response: Response,
    settings: SettingsDep,
    if_match: IfMatch = None,
) -> WebhookEndpointOut:
    """Change the given fields; `enabled: true` re-enables an endpoint disabled after failures."""
    endpoint = await service.update_endpoint(
        session, principal, endpoint_id, body, parse_if_match(if_match, required=False), settings
    )
    set_etag(response, endpoint.version)
    return WebhookEndpointOut.of(endpoint)


@router.delete(
    "/{endpoint_id}",
    summary="Delete a webhook endpoint",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(*AUTHED, 404, 412),
)
async def webhook_endpoints_delete(
    endpoint_id: uuid.UUID, session: SessionDep, principal: WebhookManager, if_match: IfMatch = None
) -> None:
    """Delete the endpoint; its pending deliveries stop."""
    await service.delete_endpoint(
        session, principal, endpoint_id, parse_if_match(if_match, required=False)
    )


@router.post(
    "/{endpoint_id}/rotate-secret",
    summary="Rotate an endpoint's signing secret (the new one is shown once)",
    responses={**etag_response(), **problem_responses(*AUTHED, 404, 409)},
)
@returns_secret
async def webhook_endpoints_rotate_secret(
    endpoint_id: uuid.UUID,
    session: SessionDep,
    principal: WebhookManager,
    response: Response,
    settings: SettingsDep,
) -> WebhookEndpointWithSecret:
    """A new secret; the previous one keeps signing too (two `v1,` signatures per delivery)
    until `rotation_ends_at` (PAYBILL_WEBHOOK_SECRET_ROTATION_HOURS)."""
    endpoint, secret = await service.rotate_secret(session, principal, endpoint_id, settings)
    set_etag(response, endpoint.version)
    return WebhookEndpointWithSecret(**WebhookEndpointOut.of(endpoint).model_dump(), secret=secret)


@router.get(
    "/{endpoint_id}/deliveries",
    summary="Delivery attempts to an endpoint",
    responses=problem_responses(*AUTHED, 404),
)
async def webhook_endpoints_deliveries(
    endpoint_id: uuid.UUID,
    session: SessionDep,
    _: WebhookManager,
    page: PageParams,
) -> Page[WebhookAttemptOut]:
    """Every HTTP attempt, newest first: the receiver's status code (null: no answer) and the
    latency."""
    await repo.get_endpoint(session, endpoint_id)
    rows, more = await repo.attempts_page(
        session, endpoint_id, limit=page.limit, cursor=page.cursor
    )
    return Page[WebhookAttemptOut](
        items=[WebhookAttemptOut.of(r) for r in rows],
        next_cursor=next_cursor_of(rows, more, created="attempted_at"),
    )


@events_router.get("", summary="List outbound events", responses=problem_responses(*AUTHED))
async def events_list(
    session: SessionDep,
    _: WebhookManager,
    settings: SettingsDep,
    limit: PageLimit = DEFAULT_LIMIT,
    cursor: PageCursor = None,
    tenant_id: Annotated[uuid.UUID | None, Query(description="Only this tenant's.")] = None,
    type: Annotated[EventType | None, Query(description="Only this type.")] = None,
) -> Page[OutboundEventOut]:
    """Events of the retention window (PAYBILL_EVENT_RETENTION_DAYS, 30), oldest first, as
    receivers get them."""
    since = utcnow() - timedelta(days=settings.event_retention_days)
    rows, more = await repo.events_page(
        session, limit=limit, cursor=cursor, since=since, tenant_id=tenant_id,
        event_type=type.value if type else None,
    )  # fmt: skip
    return Page[OutboundEventOut](
        items=[OutboundEventOut.of(r, EVENT_SOURCE) for r in rows],
        next_cursor=next_cursor_of(rows, more, created="occurred_at"),
    )


@events_router.post(
    "/{event_id}/redeliver",
    summary="Deliver an event again",
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(*AUTHED, 404),
)
async def events_redeliver(
    event_id: uuid.UUID, session: SessionDep, principal: WebhookManager
) -> Redelivery:
    """Queue a new delivery to every enabled endpoint that wants the event's type now."""
    count = await service.redeliver(session, principal, event_id)
    return Redelivery(event_id=event_id, deliveries=count)
