"""Billing: stored Stripe events by status (failed ones stand out), replay."""

from __future__ import annotations

from fastapi import Request, Response

from paybill_control_plane.auth.principal import Permission
from paybill_control_plane.billing import repository as billing_repo
from paybill_control_plane.billing import service as billing_service
from paybill_control_plane.billing.endpoints import event_out
from paybill_control_plane.console.pages._common import console_router, status_query
from paybill_control_plane.console.pages._common import query_value as q
from paybill_control_plane.console.rendering import is_htmx, render
from paybill_control_plane.console.security import SignedInDep
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.errors import BadRequest
from paybill_control_plane.kit.pagination import next_cursor_of
from paybill_control_plane.models.enums import BillingEventStatus

router = console_router()
PAGE_SIZE = 50


@router.get("/billing")
async def console_billing(request: Request, user: SignedInDep, session: SessionDep) -> Response:
    user.principal.require(Permission.billing_read)
    status = status_query(request, BillingEventStatus, "a billing event status")
    rows, more = await billing_repo.list_events(
        session, limit=PAGE_SIZE, cursor=q(request, "cursor"), status=status
    )
    counts, oldest_id, oldest_age = await billing_repo.event_health(session)
    context = {
        "events": [event_out(e) for e in rows],
        "next_cursor": next_cursor_of(rows, more, created="received_at"),
        "status": status,
        "statuses": list(BillingEventStatus),
        "counts": counts,
        "oldest_id": oldest_id,
        "oldest_age": oldest_age,
        "can_replay": user.principal.can(Permission.billing_write),
        "first_page": q(request, "cursor") is None,
    }
    block = "results" if is_htmx(request) else None
    return render(request, "billing/events.html", context, user=user, block=block)


@router.post("/billing/events/{event_id}/replay")
async def console_billing_replay(
    event_id: str, request: Request, user: SignedInDep, session: SessionDep
) -> Response:
    """Replay from the events table: htmx swaps the event's row for its new state."""
    user.principal.require(Permission.billing_write)
    if not 0 < len(event_id) <= 255:
        raise BadRequest("Not a billing event id.")
    event = await billing_service.replay_event(session, user.principal, event_id)
    context = {"event": event_out(event), "can_replay": True, "replayed": True}
    return render(request, "billing/events.html", context, user=user, block="event_row")
