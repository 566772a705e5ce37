"""Spreading drift checks evenly over the interval, without a schedule table.

Each stack has a fixed phase inside the interval (from a hash of its id), so the checks of a
thousand stacks land evenly over the day, and a scheduler that runs every minute (any worker,
any number of times) defers exactly the checks whose slot has passed since their last check.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.config import Settings
from paybill_control_plane.fleet._jobs import defer_drift_check
from paybill_control_plane.models.enums import StackStatus
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tier import Tier


def last_slot(stack_id: uuid.UUID, interval: float, now: datetime) -> datetime:
    """The latest moment at or before `now` at which the stack's check falls due."""
    phase = int.from_bytes(hashlib.sha256(stack_id.bytes).digest()[:8], "big") % int(interval)
    epoch = now.timestamp()
    due = (epoch // interval) * interval + phase
    if due > epoch:
        due -= interval
    return datetime.fromtimestamp(due, UTC)


async def schedule(session: AsyncSession, settings: Settings, now: datetime) -> int:
    """Defer the checks that are due; returns how many were deferred."""
    rows = await session.execute(
        select(Stack.id, Stack.drift_checked_at, Tier.drift_interval_seconds)
        .outerjoin(Tenant, Tenant.id == Stack.tenant_id)
        .outerjoin(Tier, Tier.key == Tenant.tier_key)
        .where(Stack.status == StackStatus.applied)
    )
    deferred = 0
    for stack_id, checked_at, tier_interval in rows:
        interval = float(min(tier_interval or settings.drift_interval, settings.drift_interval))
        if interval <= 0:
            continue
        due = last_slot(stack_id, interval, now)
        if checked_at is None or checked_at < due:
            deferred += await defer_drift_check(session, stack_id)
    return deferred
