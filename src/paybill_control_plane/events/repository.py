"""All SQL of outbound events, webhook endpoints and deliveries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.errors import NotFound
from paybill_control_plane.kit.filters import where_given
from paybill_control_plane.kit.lookup import get_or_404
from paybill_control_plane.kit.pagination import fetch_page
from paybill_control_plane.models.webhook import (
    OutboundEvent,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)


class WebhookEndpointNotFound(NotFound):
    type_slug = "webhook-endpoint-not-found"
    title = "Webhook endpoint not found"


class EventNotFound(NotFound):
    type_slug = "event-not-found"
    title = "Event not found"


async def get_endpoint(
    session: AsyncSession, endpoint_id: uuid.UUID, *, for_update: bool = False
) -> WebhookEndpoint:
    detail = f"No webhook endpoint with id '{endpoint_id}'."
    return await get_or_404(
        session, WebhookEndpoint, endpoint_id, WebhookEndpointNotFound, detail, lock=for_update
    )


async def endpoints_page(
    session: AsyncSession, *, limit: int, cursor: str | None
) -> tuple[list[WebhookEndpoint], bool]:
    return await fetch_page(
        session,
        select(WebhookEndpoint),
        WebhookEndpoint.created_at,
        WebhookEndpoint.id,
        cursor,
        limit,
    )


async def attempts_page(
    session: AsyncSession, endpoint_id: uuid.UUID, *, limit: int, cursor: str | None
) -> tuple[list[WebhookAttempt], bool]:
    """Newest first."""
    return await fetch_page(
        session,
        select(WebhookAttempt).where(WebhookAttempt.endpoint_id == endpoint_id),
        WebhookAttempt.attempted_at,
        WebhookAttempt.id,
        cursor,
        limit,
        descending=True,
    )


async def get_event(session: AsyncSession, event_id: uuid.UUID) -> OutboundEvent:
    detail = f"No event with id '{event_id}' (events are kept 30 days)."
    return await get_or_404(session, OutboundEvent, event_id, EventNotFound, detail)


async def events_page(
    session: AsyncSession,
    *,
    limit: int,
    cursor: str | None,
    since: datetime,
    tenant_id: uuid.UUID | None,
    event_type: str | None,
) -> tuple[list[OutboundEvent], bool]:
    """Oldest first, from `since`."""
    stmt = where_given(
        select(OutboundEvent).where(OutboundEvent.occurred_at >= since),
        (OutboundEvent.tenant_id, tenant_id),
        (OutboundEvent.type, event_type),
    )
    return await fetch_page(
        session, stmt, OutboundEvent.occurred_at, OutboundEvent.id, cursor, limit
    )


async def matching_endpoints(session: AsyncSession, event: OutboundEvent) -> Sequence[uuid.UUID]:
    rows = await session.scalars(
        select(WebhookEndpoint.id).where(
            WebhookEndpoint.enabled,
            WebhookEndpoint.event_types.contains([event.type]),
            (WebhookEndpoint.tenant_id.is_(None)) | (WebhookEndpoint.tenant_id == event.tenant_id),
        )
    )
    return list(rows)


async def purge_events(session: AsyncSession, before: datetime) -> int:
    """Delete events (their deliveries and attempts cascade) that occurred before `before`."""
    result = await session.execute(delete(OutboundEvent).where(OutboundEvent.occurred_at < before))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def delivery_for_update(
    session: AsyncSession, delivery_id: uuid.UUID
) -> WebhookDelivery | None:
    return await session.get(WebhookDelivery, delivery_id, with_for_update=True)
