"""A tenant's migrations between isolation models: phases with timings, a dry-run preview,
start, and rollback or cancel behind confirmations.

The same functions as the API: `lifecycle.migrations.service.plan` (`?dry_run=true`),
`start`, `rollback` and `cancel`, and `repository.list_page`, with the signed-in key's
principal (`tenants:write` to preview or act, as the API's `TenantWriter`).
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request, Response
from pydantic import ValidationError

from paybill_control_plane.auth.principal import Permission
from paybill_control_plane.catalog import service as catalog_service
from paybill_control_plane.console.pages._common import (
    console_router,
    page_links,
    see_other,
    tenant_for,
)
from paybill_control_plane.console.pages._common import query_value as q
from paybill_control_plane.console.rendering import render
from paybill_control_plane.console.security import SignedInDep, form_fields
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.errors import BadRequest, ControlPlaneError
from paybill_control_plane.kit.app_state import SettingsDep
from paybill_control_plane.lifecycle.migrations import phases
from paybill_control_plane.lifecycle.migrations import repository as migrations_repo
from paybill_control_plane.lifecycle.migrations import service as migrations
from paybill_control_plane.lifecycle.migrations.schemas import MigrationCreate, MigrationOut
from paybill_control_plane.models.enums import IsolationModel, MigrationPhase, MigrationStatus
from paybill_control_plane.tenants.views import tenant_out

router = console_router()
PAGE_SIZE = 20
_STOPPABLE = (MigrationStatus.running, MigrationStatus.holding)
STOP_TEXT = {
    "cancel": "The migration stops and what it provisioned for the target is removed; the "
    "tenant stays where it is.",
    "rollback": "The tenant is flipped back to its source and the target is removed.",
}


def _target(tier: str | None, isolation: str | None) -> MigrationCreate:
    try:
        return MigrationCreate.model_validate({"tier": tier, "isolation_model": isolation})
    except ValidationError as exc:
        raise BadRequest(f"Not a migration target: {exc.errors()[0]['msg']}.") from None


def stop_actions(m: MigrationOut) -> list[str]:
    """What `service.rollback`/`cancel` would accept now (they check again, under a lock)."""
    stoppable = m.status in _STOPPABLE or (
        m.status == MigrationStatus.failed and m.phase is not MigrationPhase.rollback
    )
    if not stoppable:
        return []
    actions = ["cancel"] if m.phase in phases.CANCELLABLE else []
    if m.phase in (*phases.CANCELLABLE, *phases.AFTER_CUTOVER):
        actions.append("rollback")
    return actions


@router.get("/tenants/{tenant_id}/migrations")
async def console_migrations(
    tenant_id: uuid.UUID,
    request: Request,
    user: SignedInDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    principal = user.principal
    tenant = await tenant_for(session, principal, tenant_id, Permission.tenants_read)
    rows, more = await migrations_repo.list_page(
        session, tenant_id, limit=PAGE_SIZE, cursor=q(request, "cursor")
    )
    can_write = principal.can(Permission.tenants_write)
    listed = [MigrationOut.of(m) for m in rows]
    context: dict[str, Any] = {
        "tenant": tenant_out(tenant),
        "migrations": [(m, stop_actions(m) if can_write else []) for m in listed],
        **page_links(request, rows, more),
        "can_write": can_write,
        "enabled": settings.migrations_enabled,
        "tiers": [],
        "models": list(IsolationModel),
        "chosen": {"tier": q(request, "tier"), "isolation_model": q(request, "isolation_model")},
        "preview": None,
        "preview_error": None,
        "stop_text": STOP_TEXT,
        "done": request.query_params.get("done"),
    }
    if can_write:
        context["tiers"] = [t.key for t in await catalog_service.list_tiers(session)]
        chosen = context["chosen"]
        if chosen["tier"] or chosen["isolation_model"]:
            target = _target(chosen["tier"], chosen["isolation_model"])
            # The dry run: the plan, or the refusal starting it would meet (shown, not raised).
            try:
                context["preview"], _ = await migrations.plan(session, tenant, target, settings)
            except ControlPlaneError as exc:
                context["preview_error"] = exc.detail
    return render(request, "migrations/tenant.html", context, user=user)


@router.post("/tenants/{tenant_id}/migrations")
async def console_migration_start(
    tenant_id: uuid.UUID,
    request: Request,
    user: SignedInDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    await tenant_for(session, user.principal, tenant_id, Permission.tenants_write)
    fields = await form_fields(request)
    target = _target(fields.get("tier") or None, fields.get("isolation_model") or None)
    await migrations.start(session, user.principal, tenant_id, target, settings)
    return see_other(f"/console/tenants/{tenant_id}/migrations?done=started")


@router.post("/migrations/{migration_id}/{action}")
async def console_migration_stop(
    migration_id: uuid.UUID,
    action: str,
    user: SignedInDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    if action not in STOP_TEXT:
        raise BadRequest(f"No migration action '{action}'.")
    # 404 first for a migration of a tenant this key cannot see.
    migration = await migrations_repo.get(session, user.principal, migration_id)
    user.principal.require(Permission.tenants_write)
    if action == "cancel":
        await migrations.cancel(session, user.principal, migration_id)
    else:
        await migrations.rollback(session, user.principal, migration_id, settings)
    return see_other(f"/console/tenants/{migration.tenant_id}/migrations?done={action}")
