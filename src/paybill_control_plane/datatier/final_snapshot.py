"""The final snapshot a tenant's data gets before the data tier drops it (deprovisioning, or the
old objects after a change of isolation model). Kept `PAYBILL_SNAPSHOT_RETENTION_DAYS`, then purged.

Called by the run's data phase (datatier/runs.py) right before `drop_tenant_database`, and taken
inline: the drop waits for it, and a snapshot that fails fails the run (which retries) instead of
letting the data go unsaved. Idempotent: a retried run reuses the final snapshot of the same
objects that is pending, running (cut off: taken again) or completed.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from paybill_control_plane.datatier import repository as databases
from paybill_control_plane.datatier.provision import DataTierContext
from paybill_control_plane.datatier.snapshot_runner import SnapshotRunner
from paybill_control_plane.datatier.snapshots import final_expiry, request_snapshot
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.models.enums import (
    DatabaseStatus,
    IsolationModel,
    SnapshotKind,
    SnapshotStatus,
)
from paybill_control_plane.models.tenant_snapshot import TenantSnapshot

# The objects may still hold data in these; `dropping`/`dropped` come after the final snapshot.
_LIVE = (DatabaseStatus.available, DatabaseStatus.suspended, DatabaseStatus.creating)


class FinalSnapshotFailed(RuntimeError):
    """The final snapshot failed: the tenant's data is not dropped."""


async def take_final_snapshot(
    ctx: DataTierContext,
    tenant_id: uuid.UUID,
    model: IsolationModel,
    pool_id: uuid.UUID | None,
    *,
    actor: str,
) -> uuid.UUID | None:
    """Snapshot the tenant's `model` objects before they are dropped; the snapshot's id, or
    None when there is nothing to keep (no live objects recorded)."""
    target = ctx.server.target(ctx.server.names(model, tenant_id, pool_id))
    async with transaction(ctx.sessionmaker) as session:
        row = await databases.get_for_tenant(session, tenant_id, lock=True)
        names_these = (
            row is not None and row.database == target.database and row.schema == target.schema
        )
        if row is None or not names_these or row.status not in _LIVE:
            return None
        existing = await session.scalar(
            select(TenantSnapshot)
            .where(
                TenantSnapshot.tenant_id == tenant_id,
                TenantSnapshot.kind == SnapshotKind.final,
                TenantSnapshot.database == target.database,
                TenantSnapshot.schema_name.is_(None)
                if target.schema is None
                else TenantSnapshot.schema_name == target.schema,
                TenantSnapshot.status.in_(
                    [SnapshotStatus.pending, SnapshotStatus.running, SnapshotStatus.completed]
                ),
            )
            .order_by(TenantSnapshot.created_at.desc())
            .limit(1)
        )
        if existing is not None and existing.status == SnapshotStatus.completed:
            return existing.id
        if existing is None:
            existing = await request_snapshot(
                session, actor, tenant_id, target, kind=SnapshotKind.final,
                expires_at=final_expiry(ctx.settings), defer=False,
            )  # fmt: skip
        snapshot_id = existing.id
    runner = SnapshotRunner(ctx.sessionmaker, ctx.settings, ctx.control_plane_url)
    status = await runner.take(snapshot_id)
    if status is not SnapshotStatus.completed:
        async with ctx.sessionmaker() as session:
            found = await session.get(TenantSnapshot, snapshot_id)
            if found is None or found.status != SnapshotStatus.completed:
                error = found.error if found is not None else "missing"
                raise FinalSnapshotFailed(
                    f"final snapshot {snapshot_id} of tenant {tenant_id} failed ({error}); "
                    "its data was not dropped"
                )
    return snapshot_id
