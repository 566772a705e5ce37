"""All cloud target SQL."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.errors import NotFound
from paybill_control_plane.kit.lookup import get_or_404
from paybill_control_plane.kit.pagination import fetch_page
from paybill_control_plane.models.cloud_target import CloudTarget
from paybill_control_plane.models.pool import Pool
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.models.tenant import Tenant


class CloudTargetNotFound(NotFound):
    type_slug = "cloud-target-not-found"
    title = "Cloud target not found"


async def get(
    session: AsyncSession, target_id: uuid.UUID, *, for_update: bool = False
) -> CloudTarget:
    detail = f"No cloud target with id '{target_id}'."
    return await get_or_404(
        session, CloudTarget, target_id, CloudTargetNotFound, detail, lock=for_update
    )


async def of_cloud(session: AsyncSession, cloud: str) -> Sequence[CloudTarget]:
    """Every target of a cloud, oldest first."""
    rows = await session.scalars(
        select(CloudTarget)
        .where(CloudTarget.cloud == cloud)
        .order_by(CloudTarget.created_at, CloudTarget.id)
    )
    return rows.all()


async def list_page(
    session: AsyncSession, *, limit: int, cursor: str | None, cloud: str | None = None
) -> tuple[list[CloudTarget], bool]:
    stmt = select(CloudTarget)
    if cloud:
        stmt = stmt.where(CloudTarget.cloud == cloud)
    return await fetch_page(session, stmt, CloudTarget.created_at, CloudTarget.id, cursor, limit)


async def tenant_counts(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Tenants bound to each target (any status but purged: their infrastructure may remain)."""
    if not ids:
        return {}
    rows = await session.execute(
        select(Tenant.cloud_target_id, func.count())
        .where(Tenant.cloud_target_id.in_(ids), Tenant.status != "purged")
        .group_by(Tenant.cloud_target_id)
    )
    counts = {target_id: int(count) for target_id, count in rows.all() if target_id}
    return {target_id: counts.get(target_id, 0) for target_id in ids}


async def usage(session: AsyncSession, target_id: uuid.UUID) -> tuple[int, int]:
    """(tenants not purged, pools with members or infrastructure) still using the target."""
    tenants = await session.scalar(
        select(func.count())
        .select_from(Tenant)
        .where(Tenant.cloud_target_id == target_id, Tenant.status != "purged")
    )
    live_pool = or_(
        exists().where(Tenant.pool_id == Pool.id, Tenant.status != "purged"),
        exists().where(Stack.pool_id == Pool.id, Stack.applied_variables.is_not(None)),
    )
    pools = await session.scalar(
        select(func.count()).select_from(Pool).where(Pool.cloud_target_id == target_id, live_pool)
    )
    return int(tenants or 0), int(pools or 0)


async def detach(session: AsyncSession, target_id: uuid.UUID) -> None:
    """Forget the target on purged tenants and empty, destroyed pools (before deleting it)."""
    await session.execute(
        update(Tenant).where(Tenant.cloud_target_id == target_id).values(cloud_target_id=None)
    )
    await session.execute(
        update(Pool).where(Pool.cloud_target_id == target_id).values(cloud_target_id=None)
    )
