"""Stack and pool SQL: the API's reads, the executor's locks, placement's pool search."""

from __future__ import annotations

import uuid

from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.errors import NotFound
from paybill_control_plane.kit.filters import where_given
from paybill_control_plane.kit.lookup import get_or_404
from paybill_control_plane.kit.pagination import fetch_page
from paybill_control_plane.models.pool import Pool
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.provisioning.repository.inputs import PRESENT


class StackNotFound(NotFound):
    type_slug = "stack-not-found"
    title = "Stack not found"


class PoolNotFound(NotFound):
    type_slug = "pool-not-found"
    title = "Pool not found"


async def get_stack(session: AsyncSession, stack_id: uuid.UUID) -> Stack:
    return await get_or_404(
        session, Stack, stack_id, StackNotFound, f"No stack with id '{stack_id}'."
    )


async def find_stack(
    session: AsyncSession, stack_id: uuid.UUID, *, for_update: bool = False
) -> Stack | None:
    """A stack by id; `for_update` locks it (always after its run: the executor's lock order)."""
    return await session.get(Stack, stack_id, with_for_update=for_update or None)


async def list_stacks(
    session: AsyncSession,
    *,
    limit: int,
    cursor: str | None,
    tenant_id: uuid.UUID | None,
    pool_id: uuid.UUID | None,
    kind: str | None,
) -> tuple[list[Stack], bool]:
    stmt = where_given(
        select(Stack), (Stack.tenant_id, tenant_id), (Stack.pool_id, pool_id), (Stack.kind, kind)
    )
    return await fetch_page(session, stmt, Stack.created_at, Stack.id, cursor, limit)


async def tenant_stack(session: AsyncSession, tenant_id: uuid.UUID, kind: str) -> Stack | None:
    """The tenant's own stack of one kind (`silo` or `bridge-data`), if it has one."""
    return await session.scalar(
        select(Stack).where(Stack.tenant_id == tenant_id, Stack.kind == kind)
    )


async def tenant_stacks(session: AsyncSession, tenant_id: uuid.UUID) -> list[Stack]:
    """Every stack the tenant owns (not its pool's)."""
    return list(await session.scalars(select(Stack).where(Stack.tenant_id == tenant_id)))


async def stacks_of_tenant_and_pool(
    session: AsyncSession, tenant_id: uuid.UUID, pool_id: uuid.UUID | None
) -> list[Stack]:
    """The tenant's own stacks and its pool's stack (when `pool_id`), in one statement."""
    condition = Stack.tenant_id == tenant_id
    if pool_id is not None:
        condition = or_(condition, and_(Stack.pool_id == pool_id, Stack.kind == "pool"))
    return list(await session.scalars(select(Stack).where(condition)))


async def stack_of_pool(session: AsyncSession, pool_id: uuid.UUID | None) -> Stack | None:
    """The stack of a pool."""
    return await session.scalar(select(Stack).where(Stack.pool_id == pool_id, Stack.kind == "pool"))


async def stack_owner(session: AsyncSession, stack: Stack) -> Tenant | Pool:
    """What a stack belongs to, whose cloud target it runs on: its pool, or its tenant."""
    owner = await (
        session.get(Pool, stack.pool_id)
        if stack.kind == "pool"
        else session.get(Tenant, stack.tenant_id)
    )
    assert owner is not None
    return owner


async def get_pool(session: AsyncSession, pool_id: uuid.UUID) -> Pool:
    return await get_or_404(session, Pool, pool_id, PoolNotFound, f"No pool with id '{pool_id}'.")


async def find_pool(session: AsyncSession, pool_id: uuid.UUID) -> Pool | None:
    return await session.get(Pool, pool_id)


async def list_pools(
    session: AsyncSession, *, limit: int, cursor: str | None
) -> tuple[list[Pool], bool]:
    return await fetch_page(session, select(Pool), Pool.created_at, Pool.id, cursor, limit)


async def pools_of_group(session: AsyncSession, cloud: str, region: str, group: str) -> list[Pool]:
    """The pools of a placement group, by ordinal (in every cloud target)."""
    rows = await session.scalars(
        select(Pool)
        .where(Pool.cloud == cloud, Pool.region == region, Pool.tier_group == group)
        .order_by(Pool.ordinal)
    )
    return list(rows)


async def lock_pool_group(session: AsyncSession, cloud: str, region: str, group: str) -> None:
    """Concurrent placements into one group serialise here, so no pool is filled past capacity."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(7311, hashtext(:key))"),
        {"key": f"pool:{cloud}:{region}:{group}"},
    )


async def first_pool_with_room(
    session: AsyncSession,
    cloud: str,
    region: str,
    group: str,
    cloud_target_id: uuid.UUID | None,
) -> Pool | None:
    """The group's lowest-ordinal pool in `cloud_target_id` whose members (desired state keeps
    infrastructure) are fewer than its capacity, in one statement: placement used to count
    every pool's members one query at a time, O(pools) round trips under the group lock."""
    members = (
        select(func.count())
        .select_from(Tenant)
        .where(Tenant.pool_id == Pool.id, Tenant.desired_state.in_(PRESENT))
        .scalar_subquery()
    )
    return await session.scalar(
        select(Pool)
        .where(
            Pool.cloud == cloud,
            Pool.region == region,
            Pool.tier_group == group,
            Pool.cloud_target_id.is_(None)
            if cloud_target_id is None
            else Pool.cloud_target_id == cloud_target_id,
            members < Pool.capacity,
        )
        .order_by(Pool.ordinal)
        .limit(1)
    )


async def last_ordinal(session: AsyncSession, cloud: str, region: str, group: str) -> int:
    """The highest ordinal of the group's pools (every cloud target), 0 with none."""
    found = await session.scalar(
        select(func.max(Pool.ordinal)).where(
            Pool.cloud == cloud, Pool.region == region, Pool.tier_group == group
        )
    )
    return int(found or 0)


async def member_count(session: AsyncSession, pool_id: uuid.UUID) -> int:
    """The pool's members whose desired state keeps infrastructure."""
    count = await session.scalar(
        select(func.count())
        .select_from(Tenant)
        .where(Tenant.pool_id == pool_id, Tenant.desired_state.in_(PRESENT))
    )
    return int(count or 0)


async def pool_details(
    session: AsyncSession, pools: list[Pool]
) -> dict[uuid.UUID, tuple[int, uuid.UUID | None]]:
    """Per pool: (members whose desired state keeps infrastructure, the pool's stack id)."""
    ids = [p.id for p in pools]
    counted = await session.execute(
        select(Tenant.pool_id, func.count())
        .where(Tenant.pool_id.in_(ids), Tenant.desired_state.in_(PRESENT))
        .group_by(Tenant.pool_id)
    )
    counts = {pool_id: count for pool_id, count in counted}
    found = await session.execute(
        select(Stack.pool_id, Stack.id).where(Stack.pool_id.in_(ids), Stack.kind == "pool")
    )
    stacks = {pool_id: stack_id for pool_id, stack_id in found}
    return {pid: (int(counts.get(pid, 0)), stacks.get(pid)) for pid in ids}
