"""A tenant's data tier: its database, credential rotation, snapshots and restores.

Reads go through the API's services and repositories (`GET /v1/tenants/{id}/database`,
`…/snapshots`); actions call the same functions as `POST …/database/credentials`,
`POST …/snapshots` and `POST …/snapshots/{id}/restore`, with the signed-in key's principal.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.auth.principal import Permission
from paybill_control_plane.console.pages._common import (
    console_router,
    page_links,
    see_other,
    tenant_for,
)
from paybill_control_plane.console.pages._common import query_value as q
from paybill_control_plane.console.rendering import render
from paybill_control_plane.console.security import SignedInDep, form_fields
from paybill_control_plane.datatier import service as databases
from paybill_control_plane.datatier import snapshot_repository as snapshots_repo
from paybill_control_plane.datatier import snapshots as snapshots_service
from paybill_control_plane.datatier.schemas import TenantDatabaseOut
from paybill_control_plane.datatier.service import DatabaseNotFound
from paybill_control_plane.datatier.snapshot_schemas import restore_out, snapshot_out
from paybill_control_plane.datatier.snapshot_targets import tenant_target
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.errors import BadRequest
from paybill_control_plane.kit.app_state import SettingsDep
from paybill_control_plane.models.enums import RestoreMode, SnapshotStatus
from paybill_control_plane.tenants.views import tenant_out

router = console_router()
PAGE_SIZE = 25
RESTORE_TEXT = {
    RestoreMode.new_database: "The snapshot is restored into a new database beside the tenant's; "
    "its current data is not touched.",
    RestoreMode.in_place: "The tenant's current data is replaced by the snapshot's (a "
    "pre-restore snapshot is taken first). Its application sees the old data again.",
}
DONE_TEXT = {
    "snapshot": "Snapshot queued: it appears below as pending, then completed.",
    "restore": "Restore queued: follow it under “Restore under way”.",
}


async def _context(
    session: AsyncSession, user: SignedInDep, tenant_id: uuid.UUID, request: Request
) -> dict[str, Any]:
    principal = user.principal
    # Visibility first: another tenant's key learns only "Tenant not found".
    tenant = await tenant_for(session, principal, tenant_id, Permission.tenants_read)
    database: TenantDatabaseOut | None = None
    database_note = None
    try:
        database = TenantDatabaseOut.of(await databases.get_database(session, principal, tenant_id))
    except DatabaseNotFound as exc:
        database_note = exc.detail
    rows, more = await snapshots_repo.list_snapshots(
        session, tenant_id, limit=PAGE_SIZE, cursor=q(request, "cursor")
    )
    active = await snapshots_repo.active_restore(session, tenant_id)
    return {
        "tenant": tenant_out(tenant),
        "database": database,
        "database_note": database_note,
        "snapshots": [snapshot_out(r) for r in rows],
        **page_links(request, rows, more),
        "restore": restore_out(active) if active else None,
        "restore_text": RESTORE_TEXT,
        "completed": SnapshotStatus.completed,
        "can_write": principal.can(Permission.tenants_write),
        "can_rotate": principal.can(Permission.database_credentials),
        "rotated": None,
        "done": DONE_TEXT.get(request.query_params.get("done", "")),
    }


@router.get("/tenants/{tenant_id}/data")
async def console_tenant_data(
    tenant_id: uuid.UUID, request: Request, user: SignedInDep, session: SessionDep
) -> Response:
    context = await _context(session, user, tenant_id, request)
    return render(request, "data/tenant.html", context, user=user)


@router.post("/tenants/{tenant_id}/data/credentials")
async def console_rotate_credentials(
    tenant_id: uuid.UUID,
    request: Request,
    user: SignedInDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """The API's rotation; the new password is in this one response only (no redirect)."""
    await tenant_for(session, user.principal, tenant_id, Permission.database_credentials)
    rotated = await databases.rotate_credentials(session, user.principal, tenant_id, settings)
    context = await _context(session, user, tenant_id, request)
    context["rotated"] = {
        "password": rotated.password,
        "username": rotated.row.username,
        "previous_username": rotated.previous_username,
        "previous_valid_until": rotated.previous_valid_until,
    }
    return render(request, "data/tenant.html", context, user=user)


@router.post("/tenants/{tenant_id}/data/snapshots")
async def console_take_snapshot(
    tenant_id: uuid.UUID, user: SignedInDep, session: SessionDep, settings: SettingsDep
) -> Response:
    tenant = await tenant_for(session, user.principal, tenant_id, Permission.tenants_write)
    target = await tenant_target(session, tenant.id, settings)
    await snapshots_service.request_snapshot(session, user.principal, tenant.id, target)
    return see_other(f"/console/tenants/{tenant_id}/data?done=snapshot")


@router.post("/tenants/{tenant_id}/data/snapshots/{snapshot_id}/restore")
async def console_restore_snapshot(
    tenant_id: uuid.UUID,
    snapshot_id: uuid.UUID,
    request: Request,
    user: SignedInDep,
    session: SessionDep,
) -> Response:
    await tenant_for(session, user.principal, tenant_id, Permission.tenants_write)
    raw = (await form_fields(request)).get("mode") or RestoreMode.new_database
    if raw not in set(RestoreMode):
        raise BadRequest(f"'{raw}' is not a restore mode.")
    await snapshots_service.request_restore(
        session, user.principal, tenant_id, snapshot_id, RestoreMode(raw)
    )
    return see_other(f"/console/tenants/{tenant_id}/data?done=restore")
