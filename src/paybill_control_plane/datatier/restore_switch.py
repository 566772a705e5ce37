"""Asking for the switch after a `new_database` restore: the tenant's data tier will use the
restored data.

The request checks the restore and the tenant's database, records the restore `switching`, audits
`snapshot.restore_switch_requested` and queues the switch job (switch_runner.py), in one
transaction: the switch itself is a durable, fenced job that a killed worker's successor finishes.

Bridge and silo: the restored database takes the tenant database's name; pooled: the restored
schema takes the tenant schema's name in the pool's database. Either way the application keeps
its connection details and credentials, its sessions are ended, and the replaced database or
schema is KEPT (`…_o<restore id>`), closed to the tenant's roles, for an operator to drop once the
restored data is confirmed.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.datatier import repository as databases
from paybill_control_plane.datatier import snapshot_repository as repo
from paybill_control_plane.datatier._snapshot_jobs import defer_switch_job
from paybill_control_plane.datatier.snapshot_targets import SNAPSHOTTABLE
from paybill_control_plane.datatier.snapshots import RESTORE, RestoreInProgress, restore_view
from paybill_control_plane.errors import Conflict
from paybill_control_plane.models.enums import Cloud, RestoreMode, RestoreStatus
from paybill_control_plane.models.tenant_snapshot import SnapshotRestore


class RestoreNotSwitchable(Conflict):
    type_slug = "restore-not-switchable"
    title = "The restore cannot be switched to"


class RestoreAlreadySwitched(Conflict):
    type_slug = "restore-already-switched"
    title = "The tenant already uses this restore's data"


async def request_switch(
    session: AsyncSession, principal: Principal, tenant_id: uuid.UUID, restore_id: uuid.UUID
) -> SnapshotRestore:
    """Queue the switch to a completed `new_database` restore (409s otherwise). Asked again
    while it runs, it answers the restore as it is."""
    restore = await repo.get_restore(session, tenant_id, restore_id, for_update=True)
    if restore.status == RestoreStatus.switching:
        return restore
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
    if (snapshot.database, snapshot.schema_name) != (row.database, row.schema) or (
        row.owner_role is None
    ):
        raise RestoreNotSwitchable(
            f"Tenant {tenant_id}'s data is now in {row.database}"
            f"{'.' + row.schema if row.schema else ''}, not where the snapshot was taken "
            f"({snapshot.database}{'.' + snapshot.schema_name if snapshot.schema_name else ''})."
        )
    # This restore is `completed` here, so an active one is another.
    other = await repo.active_restore(session, tenant_id)
    if other is not None:
        raise RestoreInProgress(
            f"Restore {other.id} of tenant {tenant_id} is running or switching; wait until it "
            "finishes and ask again.",
            extra={"restore_id": str(other.id)},
        )
    before = restore_view(restore)
    restore.status = RestoreStatus.switching.value
    restore.error = None
    await audit.record(
        session, actor=principal, action="snapshot.restore_switch_requested",
        target_type=RESTORE, target_id=restore.id, tenant_id=tenant_id,
        before=before, after=restore_view(restore),
    )  # fmt: skip
    await defer_switch_job(session, restore.id, tenant_id)
    await session.flush()
    return restore
