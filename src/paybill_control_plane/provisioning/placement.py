"""Placing pooled and bridge tenants into pools with free capacity."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.config import Settings
from paybill_control_plane.models.enums import StackStatus
from paybill_control_plane.models.pool import Pool
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tier import Tier
from paybill_control_plane.provisioning.facts import PRESENT, pinned_release_id


def pool_group(tier: Tier) -> str:
    return tier.tier_group or tier.key


async def _lock_group(session: AsyncSession, cloud: str, region: str, group: str) -> None:
    # Concurrent placements into one group serialise here, so no pool is filled past capacity.
    await session.execute(
        text("SELECT pg_advisory_xact_lock(7311, hashtext(:key))"),
        {"key": f"pool:{cloud}:{region}:{group}"},
    )


async def member_count(session: AsyncSession, pool_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Tenant)
        .where(Tenant.pool_id == pool_id, Tenant.desired_state.in_(PRESENT))
    )
    return int(count or 0)


async def place(session: AsyncSession, tenant: Tenant, tier: Tier, settings: Settings) -> Pool:
    """The tenant's pool: its current one if it still fits, else the first with room, else a new one."""
    group = pool_group(tier)
    if tenant.pool_id is not None:
        current = await session.get(Pool, tenant.pool_id)
        if current is not None and (
            current.cloud, current.region, current.tier_group, current.cloud_target_id
        ) == (tenant.cloud, tenant.region, group, tenant.cloud_target_id):  # fmt: skip
            return current
    await _lock_group(session, tenant.cloud, tenant.region, group)
    pools = list(
        await session.scalars(
            select(Pool)
            .where(
                Pool.cloud == tenant.cloud, Pool.region == tenant.region, Pool.tier_group == group
            )
            .order_by(Pool.ordinal)
        )
    )
    # A pool lives in one cloud target (account); ordinals count every pool of the group.
    for pool in (p for p in pools if p.cloud_target_id == tenant.cloud_target_id):
        if await member_count(session, pool.id) < pool.capacity:
            tenant.pool_id = pool.id
            return pool
    pool = Pool(
        id=uuid.uuid4(),
        cloud=tenant.cloud,
        region=tenant.region,
        tier_group=group,
        ordinal=(pools[-1].ordinal + 1) if pools else 1,
        capacity=tier.pool_capacity or settings.default_pool_capacity,
        cloud_target_id=tenant.cloud_target_id,
    )
    session.add(pool)
    await session.flush()
    session.add(
        Stack(
            id=uuid.uuid4(),
            kind="pool",
            pool_id=pool.id,
            cloud=pool.cloud,
            module=f"{pool.cloud}/pooled",
            workspace=f"pool-{pool.id}",
            status=StackStatus.pending,
            variables={},
            outputs={},
            release_id=await pinned_release_id(session, tier, f"{pool.cloud}/pooled"),
        )
    )
    tenant.pool_id = pool.id
    await session.flush()
    return pool
