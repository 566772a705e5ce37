"""Running one restore: into a new database (then a switch) or in place, verified by fingerprints.

Steps: [in place: a pre-restore snapshot] → fetch (and check the file's sha256) → prepare (new
database: drop what a cut-off attempt left and create it empty; in place: empty the schema or the
database) → pg_restore → verify (row counts and checksums against the snapshot's). A job picked up
again after a worker died redoes the restore from `prepare`: the half-made database is removed and
made again; an in-place restore reuses its completed pre-restore snapshot.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field, replace

from paybill_control_plane.audit import service as audit
from paybill_control_plane.datatier import dumps
from paybill_control_plane.datatier._tracker import Tracker, fenced
from paybill_control_plane.datatier.fingerprint import (
    fingerprint_differences,
    fingerprints_from_json,
    table_fingerprints,
)
from paybill_control_plane.datatier.instance_snapshots import (
    InstanceSnapshotRef,
    restore_instance_snapshot,
)
from paybill_control_plane.datatier.snapshot_runner import (
    WORKER_ACTOR,
    DataTierRunner,
    SnapshotRunner,
    scrub,
)
from paybill_control_plane.datatier.snapshot_store import snapshots_dir, store_for
from paybill_control_plane.datatier.snapshot_targets import cloud_home, cloud_server, restore_target
from paybill_control_plane.datatier.snapshots import RESTORE, request_snapshot, restore_view
from paybill_control_plane.datatier.target import DatabaseTarget
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.db.conflicts import retry_on_conflict
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.kit.request_context import tenant_id_var
from paybill_control_plane.models.enums import (
    RestoreMode,
    RestoreStatus,
    SnapshotKind,
    SnapshotStatus,
)
from paybill_control_plane.models.tenant_snapshot import SnapshotRestore, TenantSnapshot

log = logging.getLogger(__name__)
CLAIMABLE = (RestoreStatus.pending, RestoreStatus.running)


class RestoreFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class RestoreClaim:
    restore_id: uuid.UUID
    tenant_id: uuid.UUID
    attempt: int
    mode: RestoreMode
    target: DatabaseTarget
    location: str
    checksum: str
    fingerprints: dict[str, object]
    pre_restore_snapshot_id: uuid.UUID | None


@dataclass(eq=False)
class RestoreRunner(DataTierRunner):
    snapshots: SnapshotRunner = field(init=False)

    def __post_init__(self) -> None:
        self.snapshots = SnapshotRunner(self.sessionmaker, self.settings, self.database_url)

    async def restore(self, restore_id: uuid.UUID) -> RestoreStatus | None:
        """Run the restore (a new attempt if one was cut off); its final status."""
        claim = await self._claim(restore_id)
        if claim is None:
            return None
        token = tenant_id_var.set(str(claim.tenant_id))
        try:
            tracker = Tracker(self.sessionmaker, SnapshotRestore, claim.restore_id, claim.attempt)
            try:  # a cloud tenant: its module's server (and the cloud's snapshot, if it is one)
                async with self.sessionmaker() as session:
                    home = await cloud_home(session, self.settings, claim.tenant_id)
                ref = InstanceSnapshotRef.parse(claim.location)
                if home is not None and ref is not None:
                    await restore_instance_snapshot(tracker, home, ref, claim.restore_id)
                    await self._settle(claim, tracker, RestoreStatus.completed, None)
                    return RestoreStatus.completed
                if home is not None:
                    server = await cloud_server(self.settings, self.database_url, home)
                    claim = replace(claim, target=replace(claim.target, admin_dsn=server.admin_dsn))
            except Exception as exc:
                message = scrub(str(exc) or type(exc).__name__, claim.target)
                tracker.fail_running(message)
                await self._settle(claim, tracker, RestoreStatus.failed, message)
                return RestoreStatus.failed
            return await self._restore(claim, tracker)
        finally:
            tenant_id_var.reset(token)

    async def _restore(self, claim: RestoreClaim, tracker: Tracker) -> RestoreStatus:
        scratch = snapshots_dir(self.settings) / "restores" / f"{claim.restore_id}.dump"
        target = claim.target
        try:
            if claim.mode is RestoreMode.in_place:
                await self._pre_restore_snapshot(claim, tracker)
            step = await tracker.step("fetch")
            path = await store_for(self.settings).fetch(claim.location, scratch)
            if await dumps.file_sha256(path) != claim.checksum:
                raise RestoreFailed("the snapshot file's sha256 does not match the recorded one")
            await tracker.done(step, "sha256 matches")
            step = await tracker.step("prepare", await self._prepare(claim))
            await tracker.done(step)
            step = await tracker.step("restore", f"pg_restore into {target.database}")
            tools = await dumps.restore_dump(
                path,
                target,
                keep_owners=claim.mode is RestoreMode.in_place,
                pg_bin_dir=self.settings.snapshot_pg_bin_dir,
                on_line=tracker.line,
            )
            await tracker.done(step, f"pg_restore {tools.major}")
            step = await tracker.step("verify", "row counts and checksums against the snapshot")
            expected = fingerprints_from_json(claim.fingerprints)
            problems = fingerprint_differences(expected, await table_fingerprints(target))
            if problems:
                raise RestoreFailed("verification failed: " + "; ".join(problems[:10]))
            await tracker.done(step, f"{len(expected)} tables match")
        except Exception as exc:  # recorded on the restore, never lost
            message = scrub(str(exc) or type(exc).__name__, target)
            tracker.fail_running(message)
            if claim.mode is RestoreMode.new_database:
                try:  # a half-made copy is removed, never left to be mistaken for a good one
                    await dumps.drop_database(target, target.database)
                except Exception:
                    log.exception("removing the half-made database of restore %s", claim.restore_id)
            await self._settle(claim, tracker, RestoreStatus.failed, message)
            return RestoreStatus.failed
        finally:
            scratch.unlink(missing_ok=True)
        await self._settle(claim, tracker, RestoreStatus.completed, None)
        return RestoreStatus.completed

    async def _prepare(self, claim: RestoreClaim) -> str:
        target = claim.target
        if claim.mode is RestoreMode.new_database:
            await dumps.drop_database(target, target.database)  # what a cut-off attempt left
            await dumps.create_database(target, target.database)
            return f"new database {target.database}"
        if target.schema is not None:
            await dumps.drop_schema(target)
            return f"schema {target.schema} emptied"
        await dumps.reset_database(target)
        return f"database {target.database} emptied"

    async def _pre_restore_snapshot(self, claim: RestoreClaim, tracker: Tracker) -> None:
        step = await tracker.step("pre-restore snapshot")
        snapshot_id = claim.pre_restore_snapshot_id
        if snapshot_id is None:
            snapshot_id = await self._record_pre_restore(claim)
        status = await self.snapshots.take(snapshot_id)
        if status is None:  # taken by an earlier attempt: its outcome is recorded
            async with self.sessionmaker() as session:
                found = await session.get(TenantSnapshot, snapshot_id)
                status = SnapshotStatus(found.status) if found else SnapshotStatus.failed
        if status is not SnapshotStatus.completed:
            raise RestoreFailed(
                f"the pre-restore snapshot {snapshot_id} did not complete; the data was not touched"
            )
        await tracker.done(step, f"snapshot {snapshot_id}")

    @retry_on_conflict()
    async def _record_pre_restore(self, claim: RestoreClaim) -> uuid.UUID:
        async with transaction(self.sessionmaker) as session:
            restore = await fenced(session, SnapshotRestore, claim.restore_id, claim.attempt)
            if restore is None:
                raise RestoreFailed("a newer attempt took this restore over")
            # In place: the restore's target is the tenant's data as it is now.
            snapshot = await request_snapshot(
                session, WORKER_ACTOR, claim.tenant_id, claim.target,
                kind=SnapshotKind.pre_restore, defer=False,
            )  # fmt: skip
            restore.pre_restore_snapshot_id = snapshot.id
            return snapshot.id

    @retry_on_conflict()
    async def _claim(self, restore_id: uuid.UUID) -> RestoreClaim | None:
        async with transaction(self.sessionmaker) as session:
            restore = await session.get(SnapshotRestore, restore_id, with_for_update=True)
            if restore is None or restore.status not in CLAIMABLE:
                return None
            snapshot = await session.get(TenantSnapshot, restore.snapshot_id)
            assert snapshot is not None
            restore.attempt += 1
            restore.status = RestoreStatus.running.value
            restore.started_at = restore.started_at or utcnow()
            restore.error = None
            await audit.record(
                session, actor=WORKER_ACTOR, action="snapshot.restore_started",
                target_type=RESTORE, target_id=restore.id, tenant_id=restore.tenant_id,
                after=restore_view(restore),
            )  # fmt: skip
            if snapshot.status != SnapshotStatus.completed or snapshot.location is None:
                restore.status = RestoreStatus.failed.value
                restore.error = f"snapshot {snapshot.id} is {snapshot.status}, not completed"
                restore.finished_at = utcnow()
                return None
            return RestoreClaim(
                restore.id,
                restore.tenant_id,
                restore.attempt,
                RestoreMode(restore.mode),
                restore_target(self.settings, self.database_url, restore),
                snapshot.location,
                str(snapshot.checksum),
                dict(snapshot.fingerprints or {}),
                restore.pre_restore_snapshot_id,
            )

    @retry_on_conflict()
    async def _settle(
        self, claim: RestoreClaim, tracker: Tracker, status: RestoreStatus, error: str | None
    ) -> None:
        async with transaction(self.sessionmaker) as session:
            if (settled := await tracker.settle(session, restore_view)) is None:
                return
            restore, before = settled
            restore.status = status.value
            restore.error = error[:4000] if error else None
            restore.finished_at = utcnow()
            restore.progress = None
            action = (
                "snapshot.restored"
                if status is RestoreStatus.completed
                else "snapshot.restore_failed"
            )
            await audit.record(
                session, actor=WORKER_ACTOR, action=action, target_type=RESTORE,
                target_id=restore.id, tenant_id=restore.tenant_id,
                before=before, after=restore_view(restore),
            )  # fmt: skip
