"""/v1/tenants/{tenant_id}/snapshots and …/restores: on-demand snapshots and restores."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from paybill_control_plane.auth.dependencies import TenantReader, TenantWriter
from paybill_control_plane.datatier import snapshot_repository as repo
from paybill_control_plane.datatier import snapshots as service
from paybill_control_plane.datatier.restore_switch import request_switch
from paybill_control_plane.datatier.snapshot_schemas import (
    RestoreCreate,
    RestoreOut,
    SnapshotOut,
    restore_out,
    snapshot_out,
)
from paybill_control_plane.datatier.snapshot_targets import tenant_target
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.http_controls import ControlledRoute
from paybill_control_plane.kit.app_state import SettingsDep
from paybill_control_plane.kit.pagination import (
    DEFAULT_LIMIT,
    Page,
    PageCursor,
    PageLimit,
    next_cursor_of,
)
from paybill_control_plane.kit.problems import AUTHED, problem_responses
from paybill_control_plane.models.enums import RestoreMode, SnapshotStatus
from paybill_control_plane.tenants import repository as tenants_repo

router = APIRouter(prefix="/v1/tenants", tags=["snapshots"], route_class=ControlledRoute)


@router.post(
    "/{tenant_id}/snapshots",
    summary="Take a snapshot of the tenant's data",
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(*AUTHED, 404, 409),
)
async def snapshots_create(
    tenant_id: uuid.UUID, session: SessionDep, principal: TenantWriter, settings: SettingsDep
) -> SnapshotOut:
    """Queue an on-demand snapshot (a consistent pg_dump); it answers `pending`.

    A tenant whose data tier is not available yet is a 409 `no-data-tier`.
    """
    tenant = await tenants_repo.get(session, principal, tenant_id)
    target = await tenant_target(session, tenant.id, settings)
    snapshot = await service.request_snapshot(session, principal, tenant.id, target)
    return snapshot_out(snapshot)


@router.get(
    "/{tenant_id}/snapshots",
    summary="List the tenant's snapshots",
    responses=problem_responses(*AUTHED, 404),
)
async def snapshots_list(
    tenant_id: uuid.UUID,
    session: SessionDep,
    principal: TenantReader,
    limit: PageLimit = DEFAULT_LIMIT,
    cursor: PageCursor = None,
    status_: Annotated[
        SnapshotStatus | None, Query(alias="status", description="Only this status.")
    ] = None,
) -> Page[SnapshotOut]:
    """Newest first; only `completed` ones can be restored."""
    await tenants_repo.get(session, principal, tenant_id)
    rows, more = await repo.list_snapshots(
        session, tenant_id, limit=limit, cursor=cursor, status=status_
    )
    return Page[SnapshotOut](
        items=[snapshot_out(r) for r in rows], next_cursor=next_cursor_of(rows, more)
    )


@router.get(
    "/{tenant_id}/snapshots/{snapshot_id}",
    summary="Get a snapshot: status, steps, size, checksum, table fingerprints",
    responses=problem_responses(*AUTHED, 404),
)
async def snapshots_get(
    tenant_id: uuid.UUID, snapshot_id: uuid.UUID, session: SessionDep, principal: TenantReader
) -> SnapshotOut:
    """One snapshot of the tenant (another tenant's is a 404)."""
    await tenants_repo.get(session, principal, tenant_id)
    return snapshot_out(await repo.get_snapshot(session, tenant_id, snapshot_id))


@router.post(
    "/{tenant_id}/snapshots/{snapshot_id}/restore",
    summary="Restore a snapshot into a new database or in place",
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(*AUTHED, 404, 409),
)
async def snapshots_restore(
    tenant_id: uuid.UUID,
    snapshot_id: uuid.UUID,
    session: SessionDep,
    principal: TenantWriter,
    body: RestoreCreate | None = None,
) -> RestoreOut:
    """Queue a restore; it answers `pending`, then follow GET …/restores/{restore_id}.

    409 `snapshot-not-completed` for a snapshot that is not completed, 409 `restore-in-progress`
    while another restore of the tenant runs, 409 `instance-snapshot-not-in-place` for an
    `in_place` restore of a cloud's instance snapshot (those restore into a new server); another
    tenant's snapshot is a 404.
    """
    await tenants_repo.get(session, principal, tenant_id)
    mode = RestoreMode((body or RestoreCreate()).mode)
    restore = await service.request_restore(session, principal, tenant_id, snapshot_id, mode)
    return restore_out(restore)


@router.get(
    "/{tenant_id}/restores/{restore_id}",
    summary="Get a restore: status, steps, verification",
    responses=problem_responses(*AUTHED, 404),
)
async def restores_get(
    tenant_id: uuid.UUID, restore_id: uuid.UUID, session: SessionDep, principal: TenantReader
) -> RestoreOut:
    """One restore of the tenant."""
    await tenants_repo.get(session, principal, tenant_id)
    return restore_out(await repo.get_restore(session, tenant_id, restore_id))


@router.post(
    "/{tenant_id}/restores/{restore_id}/switch",
    summary="Switch the tenant to a restored database or schema",
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(*AUTHED, 404, 409),
)
async def restores_switch(
    tenant_id: uuid.UUID, restore_id: uuid.UUID, session: SessionDep, principal: TenantWriter
) -> RestoreOut:
    """Queue the switch to a completed `new_database` restore; it answers `switching`, then
    follow GET …/restores/{restore_id} until `switched`. Bridge and silo: the restored database
    takes the tenant database's name; pooled: the restored schema takes the tenant schema's name
    in the pool's database. Connection details and credentials stay, the tenant's sessions are
    ended, and the replaced database or schema is kept as `…_o<restore id>` (named in the
    `switch` step), closed to the tenant's roles. Audited `snapshot.restore_switched`.

    409 `restore-not-switchable` for a restore not completed or in place; 409
    `restore-already-switched` once it was switched; 409 `restore-in-progress` while another
    restore of the tenant runs. Asked again while switching, it answers the restore as it is.
    """
    await tenants_repo.get(session, principal, tenant_id)
    return restore_out(await request_switch(session, principal, tenant_id, restore_id))
