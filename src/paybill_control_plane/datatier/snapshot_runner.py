"""Taking one snapshot: claim it, dump to a staging name, publish, record — or record the failure.

Idempotent by construction: a job picked up again after a worker died (status still `running`)
starts a new attempt that dumps again from scratch; the half-written staging file of the dead one
is replaced, and only the final transaction — fenced by `attempt` — lists the snapshot as good.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from paybill_control_plane.config import Settings
from paybill_control_plane.datatier._tracker import Tracker
from paybill_control_plane.datatier.dumps import dump_target
from paybill_control_plane.datatier.fingerprint import fingerprints_to_json
from paybill_control_plane.datatier.instance_snapshots import (
    take_instance_snapshot,
    uses_instance_snapshot,
)
from paybill_control_plane.datatier.snapshot_store import object_name, store_for
from paybill_control_plane.datatier.snapshot_targets import (
    cloud_home,
    cloud_server,
    snapshot_target,
)
from paybill_control_plane.datatier.snapshots import record_snapshot_change, snapshot_view
from paybill_control_plane.datatier.target import DatabaseTarget
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.db.conflicts import retry_on_conflict
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.kit.request_context import tenant_id_var
from paybill_control_plane.models.enums import IsolationModel, SnapshotKind, SnapshotStatus
from paybill_control_plane.models.tenant_snapshot import TenantSnapshot

log = logging.getLogger(__name__)
WORKER_ACTOR = "worker"
CLAIMABLE = (SnapshotStatus.pending, SnapshotStatus.running)


@dataclass(frozen=True)
class SnapshotClaim:
    snapshot_id: uuid.UUID
    tenant_id: uuid.UUID
    attempt: int
    target: DatabaseTarget
    kind: SnapshotKind


def scrub(message: str, target: DatabaseTarget) -> str:
    """Error text without the admin connection's password, whatever a library put in it."""
    from psycopg.conninfo import conninfo_to_dict

    password = conninfo_to_dict(target.admin_dsn).get("password")
    return message.replace(str(password), "***") if password else message


@dataclass(eq=False)
class DataTierRunner:
    """What the worker's snapshot, restore and switch runners work with."""

    sessionmaker: async_sessionmaker[AsyncSession]
    settings: Settings
    database_url: str  # the control plane's: it locates the data server


class SnapshotRunner(DataTierRunner):
    async def take(self, snapshot_id: uuid.UUID) -> SnapshotStatus | None:
        """Take the snapshot (a new attempt if one was cut off); its final status."""
        claim = await self._claim(snapshot_id)
        if claim is None:
            return None
        token = tenant_id_var.set(str(claim.tenant_id))
        try:
            tracker = Tracker(self.sessionmaker, TenantSnapshot, claim.snapshot_id, claim.attempt)
            try:
                async with self.sessionmaker() as session:
                    home = await cloud_home(session, self.settings, claim.tenant_id)
                    model = await _model(session, claim.tenant_id)
                if home is not None and uses_instance_snapshot(home, model, claim.kind):
                    ref, found = await take_instance_snapshot(
                        self.settings, tracker, home, claim.snapshot_id
                    )
                    # The cloud keeps the snapshot's integrity: no checksum nor fingerprints.
                    await self._complete(claim, tracker, found.size_bytes, None, None, ref.location)
                    return SnapshotStatus.completed
                if home is not None:  # the logical dump, on the managed server
                    server = await cloud_server(self.settings, self.database_url, home)
                    claim = replace(claim, target=replace(claim.target, admin_dsn=server.admin_dsn))
            except Exception as exc:  # any failure is recorded on the snapshot, never lost
                message = scrub(str(exc) or type(exc).__name__, claim.target)
                tracker.fail_running(message)
                await self._fail(claim, tracker, message)
                log.warning("snapshot %s failed: %s", claim.snapshot_id, message)
                return SnapshotStatus.failed
            return await self._take(claim, tracker)
        finally:
            tenant_id_var.reset(token)

    async def _take(self, claim: SnapshotClaim, tracker: Tracker) -> SnapshotStatus:
        store = store_for(self.settings)
        name = object_name(claim.tenant_id, claim.snapshot_id)
        staged = store.staging_path(name)
        target = claim.target
        try:
            where = target.database + (f" schema {target.schema}" if target.schema else "")
            step = await tracker.step("dump", f"pg_dump (custom format) of {where}")
            result = await dump_target(
                target, staged, pg_bin_dir=self.settings.snapshot_pg_bin_dir, on_line=tracker.line
            )
            rate = result.size / 1e6 / max(result.seconds, 1e-6)
            await tracker.done(
                step,
                f"{result.size} bytes, {len(result.fingerprints)} tables, {rate:.1f} MB/s "
                f"(pg_dump {result.tools_major})",
            )
            step = await tracker.step("publish", type(store).__name__)
            location = await store.publish(staged, name)
            await tracker.done(step)
        except Exception as exc:  # any failure is recorded on the snapshot, never lost
            staged.unlink(missing_ok=True)
            message = scrub(str(exc) or type(exc).__name__, target)
            tracker.fail_running(message)
            await self._fail(claim, tracker, message)
            log.warning("snapshot %s failed: %s", claim.snapshot_id, message)
            return SnapshotStatus.failed
        fingerprints = fingerprints_to_json(result.fingerprints)
        await self._complete(claim, tracker, result.size, result.sha256, fingerprints, location)
        return SnapshotStatus.completed

    @retry_on_conflict()
    async def _claim(self, snapshot_id: uuid.UUID) -> SnapshotClaim | None:
        async with transaction(self.sessionmaker) as session:
            snapshot = await session.get(TenantSnapshot, snapshot_id, with_for_update=True)
            if snapshot is None or snapshot.status not in CLAIMABLE:
                return None
            snapshot.attempt += 1
            snapshot.status = SnapshotStatus.running.value
            snapshot.started_at = snapshot.started_at or utcnow()
            snapshot.error = None
            snapshot.progress = None
            await record_snapshot_change(session, WORKER_ACTOR, "snapshot.started", snapshot)
            return SnapshotClaim(
                snapshot.id,
                snapshot.tenant_id,
                snapshot.attempt,
                snapshot_target(self.settings, self.database_url, snapshot),
                SnapshotKind(snapshot.kind),
            )

    async def _complete(
        self,
        claim: SnapshotClaim,
        tracker: Tracker,
        size: int | None,
        checksum: str | None,
        fingerprints: dict[str, Any] | None,
        location: str,
    ) -> None:
        await self._finish(
            claim, tracker, "snapshot.completed", status=SnapshotStatus.completed.value,
            size_bytes=size, checksum=checksum, location=location, fingerprints=fingerprints,
            progress=None,
        )  # fmt: skip

    async def _fail(self, claim: SnapshotClaim, tracker: Tracker, message: str) -> None:
        await self._finish(
            claim, tracker, "snapshot.failed", status=SnapshotStatus.failed.value,
            error=message[:4000], location=None,
        )  # fmt: skip

    @retry_on_conflict()
    async def _finish(
        self, claim: SnapshotClaim, tracker: Tracker, action: str, **fields: object
    ) -> None:
        """The attempt's last write (if it still holds the snapshot): its tracked steps, these
        fields and `finished_at`, audited as `action`."""
        async with transaction(self.sessionmaker) as session:
            if (settled := await tracker.settle(session, snapshot_view)) is None:
                return
            snapshot, before = settled
            for name, value in fields.items():
                setattr(snapshot, name, value)
            snapshot.finished_at = utcnow()
            await record_snapshot_change(session, WORKER_ACTOR, action, snapshot, before)


async def _model(session: AsyncSession, tenant_id: uuid.UUID) -> IsolationModel:
    from paybill_control_plane.datatier import repository as databases

    row = await databases.get_for_tenant(session, tenant_id)
    return IsolationModel(row.isolation_model) if row is not None else IsolationModel.pooled
