"""Tenants: the searchable, cursor-paged table; a tenant's page; its lifecycle actions."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request, Response

from paybill_control_plane.audit.repository import list_events as audit_events
from paybill_control_plane.auth.principal import Permission
from paybill_control_plane.billing import repository as billing_repo
from paybill_control_plane.billing.endpoints import subscription_out
from paybill_control_plane.console.pages._common import console_router, see_other
from paybill_control_plane.console.pages._common import query_value as q
from paybill_control_plane.console.rendering import is_htmx, render
from paybill_control_plane.console.security import SignedInDep
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.errors import BadRequest, NotFound
from paybill_control_plane.kit.app_state import SettingsDep
from paybill_control_plane.kit.pagination import next_cursor_of
from paybill_control_plane.lifecycle import tenants as lifecycle_tenants
from paybill_control_plane.models.enums import Cloud, TenantStatus
from paybill_control_plane.provisioning import repository as runs_repo
from paybill_control_plane.provisioning.views import run_out, stack_out
from paybill_control_plane.tenants import lifecycle
from paybill_control_plane.tenants import repository as tenants_repo
from paybill_control_plane.tenants import service as tenants_service
from paybill_control_plane.tenants.views import tenant_out

router = console_router()
PAGE_SIZE = 50
# What each action does, in the confirmation that names the tenant.
ACTION_TEXT = {
    "suspend": "Access is turned off; infrastructure and data are kept.",
    "resume": "Access is turned back on.",
    "reconcile": "Every stack is re-rendered and applied (nothing happens if nothing changed).",
    "deprovision": "Its infrastructure is destroyed. This cannot be undone.",
}


@router.get("/tenants")
async def console_tenants(request: Request, user: SignedInDep, session: SessionDep) -> Response:
    user.principal.require(Permission.tenants_read)
    filters = {
        "q": q(request, "q"),
        "status": q(request, "status"),
        "tier": q(request, "tier"),
        "cloud": q(request, "cloud"),
    }
    if filters["status"] and filters["status"] not in set(TenantStatus):
        raise BadRequest(f"'{filters['status']}' is not a tenant status.")
    if filters["cloud"] and filters["cloud"] not in set(Cloud):
        raise BadRequest(f"'{filters['cloud']}' is not a cloud.")
    # The same keyset query as GET /v1/tenants: one index range scan per page at any depth.
    rows, more = await tenants_repo.list_page(
        session,
        user.principal,
        limit=PAGE_SIZE,
        cursor=q(request, "cursor"),
        status=filters["status"],
        tier=filters["tier"],
        cloud=filters["cloud"],
        slug_prefix=filters["q"],
    )
    context = {
        "tenants": [tenant_out(r) for r in rows],
        "next_cursor": next_cursor_of(rows, more),
        "filters": filters,
        "params": {k: v for k, v in filters.items() if v},
        "statuses": list(TenantStatus),
        "clouds": list(Cloud),
        "first_page": q(request, "cursor") is None,
    }
    block = "results" if is_htmx(request) else None
    return render(request, "tenants/list.html", context, user=user, block=block)


async def _tenant_context(session: Any, user: SignedInDep, tenant_id: uuid.UUID) -> dict[str, Any]:
    principal = user.principal
    tenant = await tenants_repo.get(session, principal, tenant_id)
    runs, _ = await runs_repo.runs_of_tenant(session, tenant_id, limit=10, cursor=None)
    context: dict[str, Any] = {
        "tenant": tenant_out(tenant),
        "runs": [run_out(r, principal) for r in runs],
        "running": TenantStatus(tenant.status) in lifecycle.RUNNING,
        "action_text": ACTION_TEXT,
        "can_act": principal.can(Permission.tenants_write),
        "stacks": None,
        "subscription": None,
        "subscription_note": None,
        "audit": None,
    }
    if principal.can(Permission.infra_read):
        stacks, _ = await runs_repo.list_stacks(
            session, limit=50, cursor=None, tenant_id=tenant_id, pool_id=None, kind=None
        )
        if tenant.pool_id is not None:
            pool_stacks, _ = await runs_repo.list_stacks(
                session, limit=5, cursor=None, tenant_id=None, pool_id=tenant.pool_id, kind="pool"
            )
            stacks = pool_stacks + stacks
        context["stacks"] = [stack_out(s) for s in stacks]
    try:
        context["subscription"] = subscription_out(
            await billing_repo.subscription_of_tenant(session, tenant)
        )
    except NotFound as exc:
        context["subscription_note"] = exc.detail
    if principal.can(Permission.audit_read):
        events, _ = await audit_events(session, tenant_id=tenant_id, limit=20, newest_first=True)
        context["audit"] = events
    return context


@router.get("/tenants/{tenant_id}")
async def console_tenant(
    tenant_id: uuid.UUID, request: Request, user: SignedInDep, session: SessionDep
) -> Response:
    user.principal.require(Permission.tenants_read)
    context = await _tenant_context(session, user, tenant_id)
    context["entitlements"] = await tenants_service.entitlements(session, user.principal, tenant_id)
    context["done"] = request.query_params.get("done")
    # While runs are under way the header and the runs poll themselves (block "live").
    block = "live" if is_htmx(request) else None
    return render(request, "tenants/detail.html", context, user=user, block=block)


@router.post("/tenants/{tenant_id}/actions/{action}")
async def console_tenant_action(
    tenant_id: uuid.UUID,
    action: str,
    user: SignedInDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    if action not in lifecycle.ACTIONS:
        raise NotFound(f"No tenant action '{action}'.")
    user.principal.require(Permission.tenants_write)
    await lifecycle_tenants.perform_action(
        session, user.principal, tenant_id, action, settings, trigger="console"
    )
    return see_other(f"/console/tenants/{tenant_id}?done={action}")
