"""Retention: purging snapshots past their expiry (files first, then the row says `purged`)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from paybill_control_plane.config import Settings
from paybill_control_plane.datatier import snapshot_repository as repo
from paybill_control_plane.datatier.instance_snapshots import (
    InstanceSnapshotRef,
    delete_instance_snapshot,
)
from paybill_control_plane.datatier.snapshot_store import store_for
from paybill_control_plane.datatier.snapshot_targets import cloud_home
from paybill_control_plane.datatier.snapshots import mark_purged
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.db.engine import transaction

log = logging.getLogger(__name__)
PURGE_ACTOR = "retention"
RETRY_PURGE_AFTER = timedelta(hours=1)


async def purge_expired(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, now: datetime | None = None
) -> int:
    """Delete the files of completed snapshots past `expires_at` and mark them purged; how many.

    Each batch is one transaction holding its rows' locks (other purgers skip them). The file
    goes before the row changes: a crash in between leaves a row that the next pass purges again
    (deleting an absent file is fine), never a `purged` row whose file is still there.
    """
    store = store_for(settings)
    at = now or utcnow()
    purged = 0
    while True:
        done = 0
        async with transaction(sessionmaker) as session:
            batch = await repo.expired(session, at)
            for snapshot in batch:
                ref = InstanceSnapshotRef.parse(snapshot.location)
                if ref is not None:  # the cloud's snapshot, through its SDK
                    try:
                        home = await cloud_home(session, settings, snapshot.tenant_id)
                        assert home is not None, "an instance snapshot is a cloud tenant's"
                        await delete_instance_snapshot(home, ref)
                    except Exception as exc:  # the cloud is unreachable: try again later
                        log.warning("purging instance snapshot %s failed: %s", snapshot.id, exc)
                        snapshot.expires_at = at + RETRY_PURGE_AFTER
                        continue
                elif snapshot.location:
                    await store.delete(snapshot.location)
                await mark_purged(session, snapshot, PURGE_ACTOR)
                done += 1
        purged += done
        if not batch:
            return purged
