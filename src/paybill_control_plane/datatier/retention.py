"""Retention: purging snapshots past their expiry (files first, then the row says `purged`)."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from paybill_control_plane.config import Settings
from paybill_control_plane.datatier import snapshot_repository as repo
from paybill_control_plane.datatier.snapshot_store import store_for
from paybill_control_plane.datatier.snapshots import mark_purged
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.db.engine import transaction

log = logging.getLogger(__name__)
PURGE_ACTOR = "retention"


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
        async with transaction(sessionmaker) as session:
            batch = await repo.expired(session, at)
            for snapshot in batch:
                if snapshot.location:
                    await store.delete(snapshot.location)
                await mark_purged(session, snapshot, PURGE_ACTOR)
        purged += len(batch)
        if not batch:
            return purged
