"""Placing pooled and bridge tenants into pools with free capacity."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.config import Settings
from paybill_control_plane.models.enums import StackStatus
from paybill_control_plane.models.pool import Pool
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tier import Tier
from paybill_control_plane.provisioning import repository as repo
from paybill_control_plane.provisioning.facts import pinned_release_id


def pool_group(tier: Tier) -> str:
    return tier.tier_group or tier.key


async def place(session: AsyncSession, tenant: Tenant, tier: Tier, settings: Settings) -> Pool:
    """The tenant's pool: its current one if it still fits, else the first with room, else a new one."""
    group = pool_group(tier)
    if tenant.pool_id is not None:
        current = await repo.find_pool(session, tenant.pool_id)
        if current is not None and (
            current.cloud, current.region, current.tier_group, current.cloud_target_id
        ) == (tenant.cloud, tenant.region, group, tenant.cloud_target_id):  # fmt: skip
            return current
    # Concurrent placements into one group serialise here, so no pool is filled past capacity.
    await repo.lock_pool_group(session, tenant.cloud, tenant.region, group)
    # A pool lives in one cloud target (account); ordinals count every pool of the group.
    found = await repo.first_pool_with_room(
        session, tenant.cloud, tenant.region, group, tenant.cloud_target_id
    )
    if found is not None:
        tenant.pool_id = found.id
        return found
    pool = Pool(
        id=uuid.uuid4(),
        cloud=tenant.cloud,
        region=tenant.region,
        tier_group=group,
        ordinal=await repo.last_ordinal(session, tenant.cloud, tenant.region, group) + 1,
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
