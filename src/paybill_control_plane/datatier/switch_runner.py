"""The switch job: a `switching` restore's data becomes the tenant's, as a durable, fenced step.

`POST …/restores/{id}/switch` records the restore `switching` and queues this job in one
transaction (restore_switch.py). The job claims the restore (`attempt + 1`, the fencing token of
every later write), then:

* bridge, silo — `switch`: the restored database takes the tenant database's name
  (switch_sql.py);
* pooled — `stage`: the restored schema is brought into the pool's database under a staging name
  and verified, then `switch`: one transaction swaps it in (switch_pooled.py).

It ends `switched` (the tenant's schema version becomes the restored data's), audited
`snapshot.restore_switched`. A failure leaves the restore `completed` with the error (audited
`snapshot.restore_switch_failed`): asking again resumes from where it stopped. A worker killed
mid-way leaves it `switching`; the stalled-job recovery queues the job again, and every step
checks where it is, so the next attempt finishes the switch.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from paybill_control_plane.audit import service as audit
from paybill_control_plane.datatier import dumps, switch_pooled
from paybill_control_plane.datatier import repository as databases
from paybill_control_plane.datatier._tracker import Tracker
from paybill_control_plane.datatier.fingerprint import TableFingerprint, fingerprints_from_json
from paybill_control_plane.datatier.snapshot_runner import WORKER_ACTOR, DataTierRunner, scrub
from paybill_control_plane.datatier.snapshot_store import snapshots_dir
from paybill_control_plane.datatier.snapshot_targets import data_admin_dsn
from paybill_control_plane.datatier.snapshots import RESTORE, restore_view
from paybill_control_plane.datatier.switch_sql import switch_databases
from paybill_control_plane.datatier.target import DatabaseTarget
from paybill_control_plane.db.conflicts import retry_on_conflict
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.kit.request_context import tenant_id_var
from paybill_control_plane.models.enums import RestoreStatus
from paybill_control_plane.models.tenant_snapshot import SnapshotRestore, TenantSnapshot


def kept_database_name(database: str, restore_id: uuid.UUID) -> str:
    """Where a bridge or silo tenant's replaced database is kept: its name and the restore's id."""
    suffix = f"_o{restore_id.hex[:10]}"
    return database[: 63 - len(suffix)] + suffix


@dataclass(frozen=True)
class SwitchClaim:
    restore_id: uuid.UUID
    tenant_id: uuid.UUID
    attempt: int
    admin_dsn: str
    restored: str  # the restore's new database
    database: str  # the tenant's
    schema: str | None  # pooled: the tenant's schema
    owner: str
    connection_limit: int | None
    expected: dict[str, TableFingerprint]

    @property
    def kept(self) -> str:
        if self.schema is not None:
            return switch_pooled.kept_schema_name(self.schema, self.restore_id)
        return kept_database_name(self.database, self.restore_id)


class SwitchRunner(DataTierRunner):
    async def switch(self, restore_id: uuid.UUID) -> RestoreStatus | None:
        """Run (or finish) the switch of a `switching` restore; its final status."""
        claim = await self._claim(restore_id)
        if claim is None:
            return None
        token = tenant_id_var.set(str(claim.tenant_id))
        tracker = Tracker(self.sessionmaker, SnapshotRestore, claim.restore_id, claim.attempt)
        try:
            version = await self._switch(claim, tracker)
        except Exception as exc:  # recorded on the restore; asking again resumes
            message = scrub(
                str(exc) or type(exc).__name__, DatabaseTarget(claim.admin_dsn, "", None)
            )
            tracker.fail_running(message)
            await self._settle(claim, tracker, None, message)
            return RestoreStatus.completed
        finally:
            tenant_id_var.reset(token)
        await self._settle(claim, tracker, version, None)
        return RestoreStatus.switched

    async def _switch(self, claim: SwitchClaim, tracker: Tracker) -> int:
        if claim.schema is None:
            step = await tracker.step("switch", f"{claim.restored} becomes {claim.database}")
            version = await switch_databases(
                claim.admin_dsn, live=claim.database, restored=claim.restored, kept=claim.kept,
                owner=claim.owner, connection_limit=claim.connection_limit,
            )  # fmt: skip
            await tracker.done(
                step,
                f"{claim.database} holds the restored data; "
                f"the replaced database is kept as {claim.kept}",
            )
            return version
        dsn, schema = claim.admin_dsn, claim.schema
        if not await switch_pooled.swapped(dsn, claim.database, schema, claim.restore_id):
            staged = switch_pooled.staged_schema_name(schema, claim.restore_id)
            step = await tracker.step("stage", f"{claim.restored} → {claim.database}.{staged}")
            tables = await switch_pooled.stage(
                dsn, scratch=claim.restored, pool_db=claim.database, schema=schema,
                restore_id=claim.restore_id, expected=claim.expected,
                work=snapshots_dir(self.settings) / "restores",
                pg_bin_dir=self.settings.snapshot_pg_bin_dir,
            )  # fmt: skip
            await tracker.done(step, f"{tables} tables match the snapshot")
        step = await tracker.step("switch", f"{schema} in {claim.database}")
        await switch_pooled.swap(
            dsn, pool_db=claim.database, schema=schema, owner=claim.owner,
            restore_id=claim.restore_id,
        )  # fmt: skip
        await dumps.drop_database(DatabaseTarget(dsn, claim.restored, None), claim.restored)
        version = await switch_pooled.ledger_version(dsn, claim.database, schema)
        await tracker.done(
            step, f"{schema} holds the restored data; the replaced schema is kept as {claim.kept}"
        )
        return version

    @retry_on_conflict()
    async def _claim(self, restore_id: uuid.UUID) -> SwitchClaim | None:
        async with transaction(self.sessionmaker) as session:
            restore = await session.get(SnapshotRestore, restore_id, with_for_update=True)
            if restore is None or restore.status != RestoreStatus.switching:
                return None
            row = await databases.get_for_tenant(session, restore.tenant_id)
            snapshot = await session.get(TenantSnapshot, restore.snapshot_id)
            assert snapshot is not None and restore.target_database is not None
            restore.attempt += 1
            await audit.record(
                session, actor=WORKER_ACTOR, action="snapshot.restore_switch_started",
                target_type=RESTORE, target_id=restore.id, tenant_id=restore.tenant_id,
                after=restore_view(restore),
            )  # fmt: skip
            if row is None or row.owner_role is None or row.database != snapshot.database:
                before = restore_view(restore)
                restore.status = RestoreStatus.completed.value
                restore.error = "switch failed: the tenant's database changed since the snapshot"
                await audit.record(
                    session, actor=WORKER_ACTOR, action="snapshot.restore_switch_failed",
                    target_type=RESTORE, target_id=restore.id, tenant_id=restore.tenant_id,
                    before=before, after=restore_view(restore),
                )  # fmt: skip
                return None
            return SwitchClaim(
                restore.id, restore.tenant_id, restore.attempt,
                data_admin_dsn(self.settings, self.database_url), restore.target_database,
                row.database, row.schema, row.owner_role, row.connection_limit,
                fingerprints_from_json(dict(snapshot.fingerprints or {})),
            )  # fmt: skip

    @retry_on_conflict()
    async def _settle(
        self, claim: SwitchClaim, tracker: Tracker, version: int | None, error: str | None
    ) -> None:
        async with transaction(self.sessionmaker) as session:
            if (settled := await tracker.settle(session, restore_view)) is None:
                return
            restore, before = settled
            restore.progress = None
            if version is None:
                restore.status = RestoreStatus.completed.value
                restore.error = f"switch failed: {error}"[:4000]
                await audit.record(
                    session, actor=WORKER_ACTOR, action="snapshot.restore_switch_failed",
                    target_type=RESTORE, target_id=restore.id, tenant_id=restore.tenant_id,
                    before=before, after=restore_view(restore),
                )  # fmt: skip
                return
            row = await databases.get_for_tenant(session, claim.tenant_id, lock=True)
            schema_before = row.schema_version if row else 0
            if row is not None:  # the tenant's schema version is the restored data's
                row.schema_version = version
            restore.status = RestoreStatus.switched.value
            restore.error = None
            where = {"schema": claim.schema, "kept_schema": claim.kept} if claim.schema else {
                "kept_database": claim.kept}  # fmt: skip
            await audit.record(
                session, actor=WORKER_ACTOR, action="snapshot.restore_switched",
                target_type=RESTORE, target_id=restore.id, tenant_id=claim.tenant_id,
                before=before, after=restore_view(restore) | {
                    "database": claim.database, **where,
                    "schema_version": {"before": schema_before, "after": version},
                },
            )  # fmt: skip
