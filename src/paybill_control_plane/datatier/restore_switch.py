"""The switch after a `new_database` restore: the tenant's data tier uses the restored database.

The restored database takes the tenant database's name (its application keeps its connection
details and credentials; names stay derived from the tenant, so later runs find what they
expect); the replaced database is renamed `<name>_o<restore id>`, closed to the tenant's roles
and KEPT, its name recorded in the restore's `switch` step and the audit event. Nothing drops it
automatically (the safe choice: a switch to the wrong snapshot is undone by hand from it); an
operator drops it once the restored data is confirmed. The tenant's sessions are ended by the
switch; its application reconnects. Pooled tenants (a schema in a shared database) are restored
in place instead.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.config import Settings
from paybill_control_plane.datatier import repository as databases
from paybill_control_plane.datatier import snapshot_repository as repo
from paybill_control_plane.datatier.snapshot_targets import (
    SNAPSHOTTABLE,
    data_admin_dsn,
    session_url,
)
from paybill_control_plane.datatier.snapshots import RESTORE, restore_view
from paybill_control_plane.datatier.switch_sql import SwitchImpossible, switch_databases
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.errors import Conflict
from paybill_control_plane.models.enums import Cloud, RestoreMode, RestoreStatus
from paybill_control_plane.models.tenant_snapshot import SnapshotRestore


class RestoreNotSwitchable(Conflict):
    type_slug = "restore-not-switchable"
    title = "The restore cannot be switched to"


class RestoreAlreadySwitched(Conflict):
    type_slug = "restore-already-switched"
    title = "The tenant already uses this restore's database"


def kept_database_name(database: str, restore_id: uuid.UUID) -> str:
    """Where the replaced database is kept: its name and the restore's id."""
    suffix = f"_o{restore_id.hex[:10]}"
    return database[: 63 - len(suffix)] + suffix


async def switch_to_restore(
    session: AsyncSession,
    principal: Principal,
    tenant_id: uuid.UUID,
    restore_id: uuid.UUID,
    settings: Settings,
) -> SnapshotRestore:
    """Point the tenant's data tier at a completed `new_database` restore (409s otherwise)."""
    restore = await repo.get_restore(session, tenant_id, restore_id, for_update=True)
    if restore.status == RestoreStatus.switched:
        raise RestoreAlreadySwitched(f"Restore {restore_id} was already switched to.")
    if restore.status != RestoreStatus.completed:
        raise RestoreNotSwitchable(
            f"Restore {restore_id} is {restore.status}; only a completed restore can be switched to.",
            extra={"restore_status": restore.status},
        )
    if restore.mode != RestoreMode.new_database:
        raise RestoreNotSwitchable(
            f"Restore {restore_id} was in place: there is nothing to switch."
        )
    row = await databases.get_for_tenant(session, tenant_id, lock=True)
    snapshot = await repo.get_snapshot(session, tenant_id, restore.snapshot_id)
    if row is None or row.cloud != Cloud.local or row.status not in SNAPSHOTTABLE:
        raise RestoreNotSwitchable(f"Tenant {tenant_id} has no available `local` database.")
    if row.schema is not None or restore.target_schema is not None:
        raise RestoreNotSwitchable(
            "A pooled tenant's data is a schema in a shared database; restore it in place."
        )
    if snapshot.database != row.database or row.owner_role is None:
        raise RestoreNotSwitchable(
            f"Tenant {tenant_id}'s database is now {row.database}, not the snapshot's "
            f"{snapshot.database}."
        )
    assert restore.target_database is not None
    kept = kept_database_name(row.database, restore.id)
    started = utcnow()
    before = restore_view(restore)
    try:
        version = await switch_databases(
            data_admin_dsn(settings, session_url(session)),
            live=row.database, restored=restore.target_database, kept=kept,
            owner=row.owner_role, connection_limit=row.connection_limit,
        )  # fmt: skip
    except SwitchImpossible as exc:
        raise RestoreNotSwitchable(f"Restore {restore_id} cannot be switched to: {exc}.") from exc
    finished = utcnow()
    detail = f"{row.database} holds the restored data; the replaced database is kept as {kept}"
    # The tenant schema version is the restored data's (its ledger came with it).
    schema_before, row.schema_version = row.schema_version, version
    restore.status = RestoreStatus.switched.value
    restore.steps = [
        *restore.steps,
        {"name": "switch", "status": "succeeded", "attempt": restore.attempt, "detail": detail,
         "started_at": started.isoformat(), "finished_at": finished.isoformat(),
         "duration_ms": int((finished - started).total_seconds() * 1000)},
    ]  # fmt: skip
    await audit.record(
        session, actor=principal, action="snapshot.restore_switched", target_type=RESTORE,
        target_id=restore.id, tenant_id=tenant_id, before=before,
        after=restore_view(restore) | {
            "database": row.database, "kept_database": kept,
            "schema_version": {"before": schema_before, "after": version},
        },
    )  # fmt: skip
    await session.flush()
    return restore
