"""The one read the policies need from snapshots: when a tenant's data was last snapshotted.

Policies see it as the snapshot's age (the shipped `database-destroy-needs-fresh-snapshot` policy
asks for approval unless a completed snapshot is younger than an hour). Failed, running and
purged snapshots do not count: only a dump that was published and checksummed can be restored.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.models.enums import SnapshotStatus
from paybill_control_plane.models.tenant_snapshot import TenantSnapshot


async def last_snapshot_time(session: AsyncSession, tenant_id: uuid.UUID) -> datetime | None:
    """The time the tenant's newest completed snapshot finished; None: it has none."""
    return await session.scalar(
        select(func.max(TenantSnapshot.finished_at)).where(
            TenantSnapshot.tenant_id == tenant_id,
            TenantSnapshot.status == SnapshotStatus.completed.value,
        )
    )
