"""Scheduled snapshots: a tier's `snapshot_schedule` ({every, keep}) applied to its tenants.

The periodic maintenance job queues a scheduled snapshot for each tenant whose newest scheduled
one (pending, running or completed) is older than the interval, and gives the completed ones
beyond the newest `keep` an expiry of now, so the same pass's purge removes them.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.config import Settings
from paybill_control_plane.datatier import snapshot_repository as repo
from paybill_control_plane.datatier.snapshot_targets import tenant_target
from paybill_control_plane.datatier.snapshots import request_snapshot
from paybill_control_plane.models.enums import SnapshotKind, SnapshotStatus
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tenant_database import TenantDatabase
from paybill_control_plane.models.tier import Tier

SCHEDULE_ACTOR = "schedule"
INTERVALS = {
    "hourly": timedelta(hours=1),
    "daily": timedelta(days=1),
    "weekly": timedelta(weeks=1),
}
# A pass that runs a little early still counts the interval as done (cron is not exact).
_SLACK = timedelta(minutes=5)


async def _scheduled_tenants(session: AsyncSession) -> list[tuple[uuid.UUID, dict[str, object]]]:
    rows = await session.execute(
        select(Tenant.id, Tier.snapshot_schedule)
        .join(Tier, Tier.key == Tenant.tier_key)
        .join(TenantDatabase, TenantDatabase.tenant_id == Tenant.id)
        # A tier without a schedule may hold JSON null (not SQL NULL): only objects count.
        .where(func.jsonb_typeof(Tier.snapshot_schedule) == "object")
        .order_by(Tenant.id)
    )
    return [(tenant_id, dict(schedule or {})) for tenant_id, schedule in rows]


async def apply_schedules(session: AsyncSession, settings: Settings, now: datetime) -> int:
    """Queue the scheduled snapshots that are due and expire those beyond `keep`; how many
    were queued."""
    queued = 0
    for tenant_id, schedule in await _scheduled_tenants(session):
        interval = INTERVALS.get(str(schedule.get("every")), INTERVALS["daily"])
        keep = int(str(schedule.get("keep", 7)))
        existing = await repo.scheduled_of(session, tenant_id)
        completed = [s for s in existing if s.status == SnapshotStatus.completed]
        for old in completed[keep:]:
            if old.expires_at is None or old.expires_at > now:
                old.expires_at = now
        if existing and existing[0].created_at > now - interval + _SLACK:
            continue
        target = await tenant_target(session, tenant_id, settings)
        if target is None:  # no available database right now: the next pass tries again
            continue
        await request_snapshot(
            session, SCHEDULE_ACTOR, tenant_id, target, kind=SnapshotKind.scheduled
        )
        queued += 1
    return queued
