"""/v1/billing/events, /v1/billing/health and /v1/tenants/{tenant_id}/subscription, with the
Stripe webhook's route (`billing/webhook/`) and the checkout routes registered on the same router."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, status

from paybill_control_plane.auth.dependencies import BillingReader, BillingWriter, TenantReader
from paybill_control_plane.billing import repository as repo
from paybill_control_plane.billing import service
from paybill_control_plane.billing.checkout_endpoints import router as checkout_router
from paybill_control_plane.billing.schemas import (
    BillingEventDetail,
    BillingEventOut,
    BillingHealth,
    EventRun,
    SubscriptionOut,
)
from paybill_control_plane.billing.webhook.endpoints import router as webhook_router
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.http_controls import ControlledRoute
from paybill_control_plane.kit.pagination import (
    DEFAULT_LIMIT,
    Page,
    PageCursor,
    PageLimit,
    next_cursor_of,
)
from paybill_control_plane.kit.problems import AUTHED, problem_responses
from paybill_control_plane.models.billing_event import BillingEvent
from paybill_control_plane.models.enums import BillingEventStatus
from paybill_control_plane.models.subscription import Subscription
from paybill_control_plane.provisioning import repository as provisioning_repo
from paybill_control_plane.tenants import repository as tenants_repo

router = APIRouter(route_class=ControlledRoute)
EventId = Annotated[str, Path(min_length=1, max_length=255, description="Stripe's event id.")]
# First, as before the split: route order is the order of paths in openapi.json.
router.include_router(webhook_router)


def event_out(event: BillingEvent, model: type[BillingEventOut] = BillingEventOut) -> Any:
    fields: dict[str, Any] = {
        "id": event.stripe_event_id,
        "type": event.type,
        "livemode": event.livemode,
        "status": event.status,
        "attempts": event.attempts,
        "error": event.error,
        "outcome": event.outcome,
        "tenant_id": event.tenant_id,
        "subscription_id": event.subscription_ref,
        "customer_id": event.customer_ref,
        "created": event.event_created_at,
        "received_at": event.received_at,
        "processed_at": event.processed_at,
    }
    if model is BillingEventDetail:
        fields["payload"] = event.payload
    return model(**fields)


@router.get(
    "/v1/billing/events",
    tags=["billing"],
    summary="List stored Stripe events, newest first (cursor-paginated)",
    responses=problem_responses(*AUTHED),
)
async def billing_events_list(
    session: SessionDep,
    principal: BillingReader,
    limit: PageLimit = DEFAULT_LIMIT,
    cursor: PageCursor = None,
    status_: Annotated[BillingEventStatus | None, Query(alias="status")] = None,
    type_: Annotated[
        str | None, Query(alias="type", max_length=100, description="e.g. invoice.paid")
    ] = None,
    tenant_id: Annotated[uuid.UUID | None, Query()] = None,
) -> Page[BillingEventOut]:
    rows, more = await repo.list_events(
        session,
        limit=limit,
        cursor=cursor,
        status=status_.value if status_ else None,
        type=type_,
        tenant_id=tenant_id,
    )
    next_cursor = next_cursor_of(rows, more, created="received_at")
    return Page[BillingEventOut](items=[event_out(e) for e in rows], next_cursor=next_cursor)


# Events waiting longer than this (or any failed one) make billing unhealthy.
_STUCK_SECONDS = 300


@router.get(
    "/v1/billing/health",
    tags=["billing"],
    summary="Billing event health: counts by status, age of the oldest unprocessed event",
    responses=problem_responses(*AUTHED),
)
async def billing_health_get(session: SessionDep, principal: BillingReader) -> BillingHealth:
    """For alerting: failed events need an operator (fix, then replay); a growing oldest age
    means events are not being applied (worker down, a subscription's queue stuck)."""
    counts, oldest_id, age = await repo.event_health(session)
    return BillingHealth(
        counts={BillingEventStatus(k): v for k, v in counts.items()},
        oldest_unprocessed_age_seconds=age,
        oldest_unprocessed_event_id=oldest_id,
        healthy=counts[BillingEventStatus.failed] == 0 and (age is None or age < _STUCK_SECONDS),
    )


@router.get(
    "/v1/billing/events/{event_id}",
    tags=["billing"],
    summary="Get a stored Stripe event with its payload",
    responses=problem_responses(*AUTHED, 404),
)
async def billing_events_get(
    event_id: EventId, session: SessionDep, principal: BillingReader
) -> BillingEventDetail:
    event = await repo.get_event(session, event_id)
    detail: BillingEventDetail = event_out(event, BillingEventDetail)
    runs = await provisioning_repo.runs_triggered_by(session, f"stripe:{event.stripe_event_id}")
    detail.runs = [EventRun(id=r.id, kind=r.kind, status=r.status) for r in runs]
    return detail


@router.post(
    "/v1/billing/events/{event_id}/replay",
    tags=["billing"],
    summary="Process a stored Stripe event again",
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(*AUTHED, 404, 409),
)
async def billing_events_replay(
    event_id: EventId, session: SessionDep, principal: BillingWriter
) -> BillingEventOut:
    """Queue the event's processing again; 409 while it is still waiting in the queue."""
    event = await service.replay_event(session, principal, event_id)
    out: BillingEventOut = event_out(event)
    return out


def subscription_out(row: Subscription) -> SubscriptionOut:
    return SubscriptionOut.from_row(row, id=row.external_id, plan=row.plan_key, tier=row.tier_key)


@router.get(
    "/v1/tenants/{tenant_id}/subscription",
    tags=["tenants"],
    summary="A tenant's billing subscription and the desired state it implies",
    responses=problem_responses(*AUTHED, 404),
)
async def tenants_subscription_get(
    tenant_id: uuid.UUID, session: SessionDep, principal: TenantReader
) -> SubscriptionOut:
    tenant = await tenants_repo.get(session, principal, tenant_id)
    return subscription_out(await repo.subscription_of_tenant(session, tenant))


# Registered here so the app's router list stays as it is.
router.include_router(checkout_router)
