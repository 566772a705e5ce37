"""Audit: the log with the API's filters, and the hash chain's verification on demand."""

from __future__ import annotations

import uuid

from fastapi import Request, Response

from paybill_control_plane.audit import service as audit_service
from paybill_control_plane.audit.repository import list_events as audit_events
from paybill_control_plane.auth.principal import Permission
from paybill_control_plane.console.pages._common import console_router
from paybill_control_plane.console.pages._common import query_value as q
from paybill_control_plane.console.rendering import is_htmx, render
from paybill_control_plane.console.security import SignedInDep
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.errors import BadRequest

router = console_router()
PAGE_SIZE = 50


@router.get("/audit")
async def console_audit(request: Request, user: SignedInDep, session: SessionDep) -> Response:
    user.principal.require(Permission.audit_read)
    tenant = q(request, "tenant_id")
    before = q(request, "before")
    try:
        tenant_id = uuid.UUID(tenant) if tenant else None
        before_seq = int(before) if before else None
    except ValueError as exc:
        raise BadRequest("The tenant id or the position is not valid.") from exc
    filters = {"tenant_id": tenant, "actor": q(request, "actor"), "action": q(request, "action")}
    # Newest first (an operator looks for what just happened); the chain itself is in `seq`.
    events, more = await audit_events(
        session,
        tenant_id=tenant_id,
        actor=filters["actor"],
        action=filters["action"],
        after_seq=before_seq,
        limit=PAGE_SIZE,
        newest_first=True,
    )
    context = {
        "events": events,
        "filters": filters,
        "next_before": events[-1].seq if more and events else None,
        "first_page": before_seq is None,
    }
    block = "results" if is_htmx(request) else None
    return render(request, "audit/list.html", context, user=user, block=block)


@router.post("/audit/verify")
async def console_audit_verify(
    request: Request, user: SignedInDep, session: SessionDep
) -> Response:
    """Recompute the whole chain (as `paybill audit verify`); answers the status fragment."""
    user.principal.require(Permission.audit_read)
    report = await audit_service.verify_chain(session)
    return render(request, "audit/list.html", {"report": report}, user=user, block="verify")
