"""The rules of snapshots and restores: what may be asked, recorded and audited (jobs do the work).

Every function takes the caller's session and only flushes; the job that does the work is deferred
in the same transaction, so a rollback leaves neither row nor job.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal, actor_name
from paybill_control_plane.config import Settings
from paybill_control_plane.datatier import snapshot_repository as repo
from paybill_control_plane.datatier._snapshot_jobs import defer_restore_job, defer_snapshot_job
from paybill_control_plane.datatier.instance_snapshots import LOCATION_PREFIX
from paybill_control_plane.datatier.target import DatabaseTarget
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.db.conflicts import add_unique
from paybill_control_plane.errors import Conflict
from paybill_control_plane.models.enums import (
    MigrationStatus,
    RestoreMode,
    RestoreStatus,
    SnapshotKind,
    SnapshotStatus,
)
from paybill_control_plane.models.tenant_migration import TenantMigration
from paybill_control_plane.models.tenant_snapshot import SnapshotRestore, TenantSnapshot

SNAPSHOT = "snapshot"
RESTORE = "snapshot_restore"


class NoDataTier(Conflict):
    type_slug = "no-data-tier"
    title = "The tenant has no data tier"


class SnapshotNotCompleted(Conflict):
    type_slug = "snapshot-not-completed"
    title = "Only a completed snapshot can be restored"


class RestoreInProgress(Conflict):
    type_slug = "restore-in-progress"
    title = "Another restore or migration of this tenant's data is running"


class InstanceSnapshotInPlace(Conflict):
    type_slug = "instance-snapshot-not-in-place"
    title = "A cloud's instance snapshot is restored into a new server only"


class MigrationInProgress(Conflict):
    type_slug = "migration-in-progress"
    title = "The tenant's data is being migrated"


_MIGRATING = (MigrationStatus.running, MigrationStatus.holding, MigrationStatus.rolling_back)


def snapshot_view(snapshot: TenantSnapshot) -> dict[str, object]:
    """What the audit log keeps of a snapshot (no location: it may name a bucket path)."""
    return {
        "kind": snapshot.kind,
        "status": snapshot.status,
        "database": snapshot.database,
        "schema": snapshot.schema_name,
        "size_bytes": snapshot.size_bytes,
        "checksum": snapshot.checksum,
        "attempt": snapshot.attempt,
        "error": snapshot.error,
        "expires_at": snapshot.expires_at,
    }


async def record_snapshot_change(
    session: AsyncSession,
    actor: Principal | str,
    action: str,
    snapshot: TenantSnapshot,
    before: dict[str, object] | None = None,
) -> None:
    """Audit a change of `snapshot`: its view before (if it existed) and after."""
    await audit.record(
        session,
        actor=actor,
        action=action,
        target_type=SNAPSHOT,
        target_id=snapshot.id,
        tenant_id=snapshot.tenant_id,
        before=before,
        after=snapshot_view(snapshot),
    )


def restore_view(restore: SnapshotRestore) -> dict[str, object]:
    return {
        "snapshot_id": restore.snapshot_id,
        "mode": restore.mode,
        "status": restore.status,
        "target_database": restore.target_database,
        "target_schema": restore.target_schema,
        "attempt": restore.attempt,
        "error": restore.error,
    }


def final_expiry(settings: Settings, now: datetime | None = None) -> datetime:
    """When a deprovisioned tenant's final snapshot is purged."""
    return (now or utcnow()) + timedelta(days=settings.snapshot_retention_days)


async def request_snapshot(
    session: AsyncSession,
    actor: Principal | str,
    tenant_id: uuid.UUID,
    target: DatabaseTarget | None,
    *,
    kind: SnapshotKind = SnapshotKind.on_demand,
    expires_at: datetime | None = None,
    defer: bool = True,
) -> TenantSnapshot:
    """Record a pending snapshot of the tenant's data and queue the job that takes it (unless
    `defer` is false: a restore takes its pre-restore snapshot itself)."""
    if target is None:
        raise NoDataTier(
            f"Tenant {tenant_id} has no database to snapshot; wait until its data tier is "
            "available (GET /v1/tenants/{tenant_id}/database).",
            extra={"tenant_id": str(tenant_id)},
        )
    snapshot = TenantSnapshot(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        kind=kind.value,
        status=SnapshotStatus.pending.value,
        database=target.database,
        schema_name=target.schema,
        steps=[],
        attempt=0,
        requested_by=actor_name(actor),
        expires_at=expires_at,
    )
    session.add(snapshot)
    await session.flush()
    await record_snapshot_change(session, actor, "snapshot.requested", snapshot)
    if defer:
        await defer_snapshot_job(session, snapshot.id, tenant_id)
    return snapshot


def restored_database_name(snapshot: TenantSnapshot, restore_id: uuid.UUID) -> str:
    """The new database of a `new_database` restore: the source's name and the restore's id."""
    suffix = f"_r{restore_id.hex[:10]}"
    return (snapshot.database or "restore")[: 63 - len(suffix)] + suffix


async def request_restore(
    session: AsyncSession,
    actor: Principal | str,
    tenant_id: uuid.UUID,
    snapshot_id: uuid.UUID,
    mode: RestoreMode,
) -> SnapshotRestore:
    """Record a restore of the tenant's completed snapshot and queue its job (409 if one runs)."""
    snapshot = await repo.get_snapshot(session, tenant_id, snapshot_id)
    if snapshot.status != SnapshotStatus.completed:
        raise SnapshotNotCompleted(
            f"Snapshot {snapshot_id} is {snapshot.status}; restore a completed one "
            f"(GET /v1/tenants/{tenant_id}/snapshots?status=completed).",
            extra={"snapshot_status": snapshot.status},
        )
    if mode is RestoreMode.in_place and (snapshot.location or "").startswith(LOCATION_PREFIX):
        raise InstanceSnapshotInPlace(
            f"Snapshot {snapshot_id} is the cloud's snapshot of the tenant's whole server: it is "
            "restored into a new server (mode new_database), which the tenant's module then "
            "adopts. For an in-place restore, restore a pg_dump snapshot.",
            extra={"snapshot_id": str(snapshot_id), "allowed_modes": ["new_database"]},
        )
    running = await repo.active_restore(session, tenant_id)
    if running is not None:
        raise _in_progress(tenant_id, running.id)
    migrating = await session.scalar(
        select(TenantMigration.id).where(
            TenantMigration.tenant_id == tenant_id,
            TenantMigration.status.in_(_MIGRATING),
        )
    )
    if migrating is not None:
        raise MigrationInProgress(
            f"Tenant {tenant_id} is being migrated between isolation models (migration "
            f"{migrating}): its data is being copied, so it cannot be restored until the "
            "migration finishes, is cancelled or is rolled back.",
            extra={"migration_id": str(migrating), "migration": f"/v1/migrations/{migrating}"},
        )
    restore_id = uuid.uuid4()
    in_place = mode is RestoreMode.in_place
    restore = SnapshotRestore(
        id=restore_id,
        tenant_id=tenant_id,
        snapshot_id=snapshot.id,
        mode=mode.value,
        status=RestoreStatus.pending.value,
        target_database=snapshot.database
        if in_place
        else restored_database_name(snapshot, restore_id),
        target_schema=snapshot.schema_name,
        steps=[],
        attempt=0,
        requested_by=actor_name(actor),
    )
    # Refused: a restore started between the check and the insert.
    await add_unique(session, restore, lambda: _in_progress(tenant_id, None))
    await audit.record(
        session,
        actor=actor,
        action="snapshot.restore_requested",
        target_type=RESTORE,
        target_id=restore.id,
        tenant_id=tenant_id,
        after=restore_view(restore),
    )
    await defer_restore_job(session, restore.id, tenant_id)
    return restore


def _in_progress(tenant_id: uuid.UUID, restore_id: uuid.UUID | None) -> RestoreInProgress:
    which = f" ({restore_id})" if restore_id else ""
    return RestoreInProgress(
        f"A restore of tenant {tenant_id}'s data is already running{which}; wait until it "
        f"completes or fails (GET /v1/tenants/{tenant_id}/restores/…) and ask again.",
        extra={"restore_id": str(restore_id)} if restore_id else None,
    )


async def mark_purged(session: AsyncSession, snapshot: TenantSnapshot, actor: str) -> None:
    """The snapshot's file is gone: record it and audit."""
    before = snapshot_view(snapshot)
    snapshot.status = SnapshotStatus.purged.value
    snapshot.location = None
    await record_snapshot_change(session, actor, "snapshot.purged", snapshot, before)
