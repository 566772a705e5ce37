"""API key SQL."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.kit.pagination import apply_keyset, split_page
from paybill_control_plane.models.api_key import ApiKey


async def by_hash(session: AsyncSession, secret_hash: str) -> ApiKey | None:
    return await session.scalar(select(ApiKey).where(ApiKey.secret_hash == secret_hash))


async def get(session: AsyncSession, key_id: uuid.UUID) -> ApiKey | None:
    return await session.get(ApiKey, key_id)


async def list_page(
    session: AsyncSession, *, limit: int, cursor: str | None, include_revoked: bool
) -> tuple[list[ApiKey], bool]:
    stmt: Any = select(ApiKey)
    if not include_revoked:
        stmt = stmt.where(ApiKey.revoked_at.is_(None))
    stmt = apply_keyset(stmt, ApiKey.created_at, ApiKey.id, cursor, limit)
    return split_page(list(await session.scalars(stmt)), limit)
