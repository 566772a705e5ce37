"""API key SQL."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.kit.pagination import fetch_page
from paybill_control_plane.models.api_key import ApiKey


async def by_hash(session: AsyncSession, secret_hash: str) -> ApiKey | None:
    return await session.scalar(select(ApiKey).where(ApiKey.secret_hash == secret_hash))


# id, name, role, tenant_id, secret_hash, revoked_at, last_used_at
AuthRow = Row[uuid.UUID, str, str, uuid.UUID | None, str, datetime | None, datetime | None]


async def auth_row(session: AsyncSession, secret_hash: str) -> AuthRow | None:
    """The columns authentication needs, without building an ORM object."""
    stmt = select(
        ApiKey.id,
        ApiKey.name,
        ApiKey.role,
        ApiKey.tenant_id,
        ApiKey.secret_hash,
        ApiKey.revoked_at,
        ApiKey.last_used_at,
    ).where(ApiKey.secret_hash == secret_hash)
    return (await session.execute(stmt)).first()


async def touch(session: AsyncSession, key_id: uuid.UUID, now: datetime) -> None:
    await session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=now))


async def get(session: AsyncSession, key_id: uuid.UUID) -> ApiKey | None:
    return await session.get(ApiKey, key_id)


async def list_page(
    session: AsyncSession, *, limit: int, cursor: str | None, include_revoked: bool
) -> tuple[list[ApiKey], bool]:
    stmt: Any = select(ApiKey)
    if not include_revoked:
        stmt = stmt.where(ApiKey.revoked_at.is_(None))
    return await fetch_page(session, stmt, ApiKey.created_at, ApiKey.id, cursor, limit)
