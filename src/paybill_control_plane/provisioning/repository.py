"""Run, stack and pool SQL, with tenant scoping for tenant-bound keys."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.errors import NotFound
from paybill_control_plane.kit.pagination import apply_keyset, split_page
from paybill_control_plane.models.pool import Pool
from paybill_control_plane.models.run import Run, RunLogLine
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.provisioning.facts import PRESENT


class RunNotFound(NotFound):
    type_slug = "run-not-found"
    title = "Run not found"


class StackNotFound(NotFound):
    type_slug = "stack-not-found"
    title = "Stack not found"


class PoolNotFound(NotFound):
    type_slug = "pool-not-found"
    title = "Pool not found"


def _involves(tenant_id: uuid.UUID):  # type: ignore[no-untyped-def]
    return Run.tenant_ids.contains([str(tenant_id)])


async def get_run(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID, *, for_update: bool = False
) -> Run:
    stmt = select(Run).where(Run.id == run_id)
    if principal.is_tenant_scoped:
        assert principal.tenant_id is not None
        stmt = stmt.where(_involves(principal.tenant_id))
    if for_update:
        stmt = stmt.with_for_update()
    run: Run | None = await session.scalar(stmt)
    if run is None:
        raise RunNotFound(f"No run with id '{run_id}'.")
    return run


async def runs_of_tenant(
    session: AsyncSession, tenant_id: uuid.UUID, *, limit: int, cursor: str | None
) -> tuple[list[Run], bool]:
    stmt = apply_keyset(
        select(Run).where(_involves(tenant_id)),
        Run.created_at,
        Run.id,
        cursor,
        limit,
        descending=True,
    )
    return split_page(list(await session.scalars(stmt)), limit)


async def log_lines(
    session: AsyncSession, run_id: uuid.UUID, *, after: int, limit: int
) -> list[RunLogLine]:
    stmt = (
        select(RunLogLine)
        .where(RunLogLine.run_id == run_id, RunLogLine.id > after)
        .order_by(RunLogLine.id)
        .limit(limit)
    )
    return list(await session.scalars(stmt))


async def get_stack(session: AsyncSession, stack_id: uuid.UUID) -> Stack:
    stack = await session.get(Stack, stack_id)
    if stack is None:
        raise StackNotFound(f"No stack with id '{stack_id}'.")
    return stack


async def list_stacks(
    session: AsyncSession,
    *,
    limit: int,
    cursor: str | None,
    tenant_id: uuid.UUID | None,
    pool_id: uuid.UUID | None,
    kind: str | None,
) -> tuple[list[Stack], bool]:
    stmt = select(Stack)
    if tenant_id:
        stmt = stmt.where(Stack.tenant_id == tenant_id)
    if pool_id:
        stmt = stmt.where(Stack.pool_id == pool_id)
    if kind:
        stmt = stmt.where(Stack.kind == kind)
    return split_page(
        list(await session.scalars(apply_keyset(stmt, Stack.created_at, Stack.id, cursor, limit))),
        limit,
    )


async def get_pool(session: AsyncSession, pool_id: uuid.UUID) -> Pool:
    pool = await session.get(Pool, pool_id)
    if pool is None:
        raise PoolNotFound(f"No pool with id '{pool_id}'.")
    return pool


async def list_pools(
    session: AsyncSession, *, limit: int, cursor: str | None
) -> tuple[list[Pool], bool]:
    stmt = apply_keyset(select(Pool), Pool.created_at, Pool.id, cursor, limit)
    return split_page(list(await session.scalars(stmt)), limit)


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


async def list_runs(
    session: AsyncSession,
    *,
    limit: int,
    cursor: str | None,
    tenant_id: uuid.UUID | None = None,
    status: str | None = None,
) -> tuple[list[Run], bool]:
    """Runs of every stack, newest first, optionally of one tenant or in one status."""
    stmt = select(Run)
    if tenant_id is not None:
        stmt = stmt.where(_involves(tenant_id))
    if status:
        stmt = stmt.where(Run.status == status)
    stmt = apply_keyset(stmt, Run.created_at, Run.id, cursor, limit, descending=True)
    return split_page(list(await session.scalars(stmt)), limit)


async def runs_triggered_by(session: AsyncSession, trigger: str) -> list[Run]:
    """The runs a cause started (e.g. `stripe:<event id>`), oldest first."""
    stmt = select(Run).where(Run.trigger == trigger).order_by(Run.created_at, Run.id).limit(50)
    return list(await session.scalars(stmt))
