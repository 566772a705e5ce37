"""The fleet's list queries (keyset pages, newest first)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.kit.filters import where_given
from paybill_control_plane.kit.pagination import fetch_page
from paybill_control_plane.models.fleet import DriftFinding, ModuleRelease, Rollout, RolloutTarget


async def list_releases(
    session: AsyncSession, *, module: str | None, limit: int, cursor: str | None
) -> tuple[list[ModuleRelease], bool]:
    stmt = select(ModuleRelease)
    if module is not None:
        stmt = stmt.where(ModuleRelease.module == module)
    return await fetch_page(
        session, stmt, ModuleRelease.created_at, ModuleRelease.id, cursor, limit, descending=True
    )


async def list_rollouts(
    session: AsyncSession, *, limit: int, cursor: str | None
) -> tuple[list[Rollout], bool]:
    return await fetch_page(
        session, select(Rollout), Rollout.created_at, Rollout.id, cursor, limit, descending=True
    )


async def targets_by_rollout(
    session: AsyncSession, rollout_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[RolloutTarget]]:
    rows = await session.scalars(
        select(RolloutTarget)
        .where(RolloutTarget.rollout_id.in_(rollout_ids))
        .order_by(RolloutTarget.position)
    )
    grouped: dict[uuid.UUID, list[RolloutTarget]] = {r: [] for r in rollout_ids}
    for row in rows:
        grouped[row.rollout_id].append(row)
    return grouped


async def list_findings(
    session: AsyncSession,
    *,
    stack_id: uuid.UUID | None,
    tenant_id: uuid.UUID | None,
    status: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[DriftFinding], bool]:
    stmt = where_given(
        select(DriftFinding),
        (DriftFinding.stack_id, stack_id),
        (DriftFinding.tenant_id, tenant_id),
        (DriftFinding.status, status),
    )
    return await fetch_page(
        session, stmt, DriftFinding.created_at, DriftFinding.id, cursor, limit, descending=True
    )
