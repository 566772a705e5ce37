"""Instance-level snapshots of a silo tenant's managed server, through the cloud's SDK.

A silo tenant on a cloud whose `ManagedDatabaseOps` has on-demand, nameable snapshots (aws RDS,
azure flexible server backups, gcp Cloud SQL backup runs, oci backups) is snapshot by the cloud:
the whole server, in the cloud's own format. Pooled and bridge tenants share their server, so
they (and IBM, and every final snapshot, which must outlive the server) get the logical dump.

The cloud's snapshot is named after the snapshot row (`pb-<id hex>`), so an attempt that a dead
worker cut off finds the one it started instead of starting another. The row is listed as good
only when the cloud says the snapshot is available; a failed or timed-out one is deleted.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass

from paybill_control_plane.clouds.managed_db import InstanceSnapshot, ManagedInstance, SnapshotState
from paybill_control_plane.config import Settings
from paybill_control_plane.datatier._tracker import Tracker
from paybill_control_plane.datatier.managed import ManagedHome
from paybill_control_plane.models.enums import IsolationModel, SnapshotKind

log = logging.getLogger(__name__)
LOCATION_PREFIX = "instance-snapshot:"


@dataclass(frozen=True, slots=True)
class InstanceSnapshotRef:
    """Where an instance snapshot is: `instance-snapshot:<cloud>:<name>:<instance id>`."""

    cloud: str
    name: str
    instance_id: str

    @property
    def location(self) -> str:
        return f"{LOCATION_PREFIX}{self.cloud}:{self.name}:{self.instance_id}"

    @property
    def instance(self) -> ManagedInstance:
        return ManagedInstance(self.cloud, self.instance_id)

    @staticmethod
    def parse(location: str | None) -> InstanceSnapshotRef | None:
        if not location or not location.startswith(LOCATION_PREFIX):
            return None
        cloud, name, instance_id = location.removeprefix(LOCATION_PREFIX).split(":", 2)
        return InstanceSnapshotRef(cloud, name, instance_id)


def snapshot_name(snapshot_id: uuid.UUID) -> str:
    """Valid on every cloud: starts with a letter; letters, digits and one hyphen."""
    return f"pb-{snapshot_id.hex}"


def uses_instance_snapshot(home: ManagedHome, model: IsolationModel, kind: SnapshotKind) -> bool:
    """Whether this snapshot is the cloud's (else: the logical dump)."""
    return (
        model is IsolationModel.silo
        and kind is not SnapshotKind.final
        and home.outputs.instance_id is not None
        and home.access.ops.instance_snapshots
    )


async def take_instance_snapshot(
    settings: Settings, tracker: Tracker, home: ManagedHome, snapshot_id: uuid.UUID
) -> tuple[InstanceSnapshotRef, InstanceSnapshot]:
    """Start (or find) the cloud's snapshot and wait until it is available; raises on failure
    after deleting the cloud's half-made snapshot."""
    access, instance = home.access, home.access.instance(home.outputs)
    assert instance is not None
    ref = InstanceSnapshotRef(instance.cloud, snapshot_name(snapshot_id), instance.instance_id)
    config, creds, ops = access.config, access.creds, access.ops
    step = await tracker.step(
        "instance snapshot", f"{ref.cloud} on-demand snapshot {ref.name} of {ref.instance_id}"
    )
    try:
        found: InstanceSnapshot | None = await asyncio.to_thread(
            ops.create_snapshot, config, creds, instance, ref.name
        )
        deadline = time.monotonic() + settings.managed_snapshot_timeout_seconds
        while found is None or found.state is SnapshotState.creating:
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"{ref.cloud} snapshot {ref.name} not available after "
                    f"{settings.managed_snapshot_timeout_seconds:g}s"
                )
            await asyncio.sleep(settings.managed_snapshot_poll_seconds)
            found = await asyncio.to_thread(ops.snapshot_status, config, creds, instance, ref.name)
            await tracker.line(f"{ref.name}: {found.state.value if found else 'not visible yet'}")
        assert found is not None
        if found.state is SnapshotState.failed:
            raise RuntimeError(
                f"{ref.cloud} snapshot {ref.name} failed: {found.error or 'no reason'}"
            )
    except Exception as exc:
        # Never leave a half-made snapshot behind (a kill -9 skips this: the next attempt finds
        # the same name and finishes or fails it).
        try:
            await asyncio.to_thread(ops.delete_snapshot, config, creds, instance, ref.name)
        except Exception as cleanup:  # the original failure is the one to report
            log.warning("deleting failed snapshot %s: %s (after: %s)", ref.name, cleanup, exc)
        raise
    size = f"{found.size_bytes} bytes" if found.size_bytes is not None else "size not reported"
    await tracker.done(step, f"available, {size}")
    return ref, found


async def delete_instance_snapshot(home: ManagedHome, ref: InstanceSnapshotRef) -> None:
    """Retention: the cloud's snapshot is deleted (one already gone is fine)."""
    access = home.access
    await asyncio.to_thread(
        access.ops.delete_snapshot, access.config, access.creds, ref.instance, ref.name
    )


def restored_instance_id(restore_id: uuid.UUID) -> str:
    """The new server of a restore: valid on every cloud, stable across attempts."""
    return f"pb-r{restore_id.hex[:20]}"


async def restore_instance_snapshot(
    tracker: Tracker, home: ManagedHome, ref: InstanceSnapshotRef, restore_id: uuid.UUID
) -> str:
    """Start a new server from the cloud's snapshot (a retried attempt finds the one it
    started); the new server's id. The module owns the tenant's server, so moving the tenant
    onto the new one is the module's change (import it or point the module at it)."""
    access = home.access
    new_id = restored_instance_id(restore_id)
    step = await tracker.step("instance restore", f"{ref.cloud} server {new_id} from {ref.name}")
    made = await asyncio.to_thread(
        access.ops.restore_to_new, access.config, access.creds, ref.instance, ref.name, new_id
    )
    await tracker.done(step, f"new {ref.cloud} server {made} is being made from {ref.name}")
    return made
