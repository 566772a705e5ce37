"""All SQL of the data tier's control-plane rows (`tenant_databases`)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.models.enums import DatabaseStatus
from paybill_control_plane.models.tenant_database import TenantDatabase


async def get_for_tenant(
    session: AsyncSession, tenant_id: uuid.UUID, *, lock: bool = False
) -> TenantDatabase | None:
    query = select(TenantDatabase).where(TenantDatabase.tenant_id == tenant_id)
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


async def claim_for_tenant(
    session: AsyncSession, tenant_id: uuid.UUID, defaults: dict[str, object]
) -> TenantDatabase:
    """The tenant's row, locked; inserted (status `creating`) when it has none yet."""
    await session.execute(
        insert(TenantDatabase)
        .values(
            id=uuid.uuid4(), tenant_id=tenant_id, status=DatabaseStatus.creating.value, **defaults
        )
        .on_conflict_do_nothing(index_elements=[TenantDatabase.tenant_id])
    )
    row = await get_for_tenant(session, tenant_id, lock=True)
    assert row is not None
    await session.refresh(row)
    return row


async def pooled_in_pool(session: AsyncSession, pool_id: uuid.UUID) -> list[TenantDatabase]:
    """Rows of a pool's pooled tenants that still have objects (not dropped)."""
    rows = await session.scalars(
        select(TenantDatabase)
        .where(
            TenantDatabase.pool_id == pool_id,
            TenantDatabase.isolation_model == "pooled",
            TenantDatabase.status != DatabaseStatus.dropped.value,
        )
        .order_by(TenantDatabase.tenant_id)
    )
    return list(rows)
