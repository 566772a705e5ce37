"""All tenant SQL; tenant-scoped principals are confined here, in one place."""

from __future__ import annotations

import re
import uuid
from typing import Any

import psycopg
from psycopg.rows import namedtuple_row
from sqlalchemy import Select, bindparam, select
from sqlalchemy.dialects.postgresql.psycopg import dialect as psycopg_dialect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.errors import BadRequest, NotFound
from paybill_control_plane.kit.pagination import apply_keyset, split_page
from paybill_control_plane.models.tenant import Tenant

# Slug characters only, so the prefix needs no LIKE escaping.
SLUG_PREFIX = re.compile(r"[a-z0-9-]{1,40}")


class TenantNotFound(NotFound):
    type_slug = "tenant-not-found"
    title = "Tenant not found"


def scope(stmt: Select[Any], principal: Principal) -> Select[Any]:
    """Restrict a tenant query to what the principal may see."""
    if principal.is_tenant_scoped:
        return stmt.where(Tenant.id == principal.tenant_id)
    return stmt


def visible_tenant_id(principal: Principal, tenant_id: uuid.UUID) -> bool:
    return not principal.is_tenant_scoped or principal.tenant_id == tenant_id


# Built once: constructing and cache-keying a new statement per request showed in profiles.
_BY_ID = select(Tenant).where(Tenant.id == bindparam("tenant_id"))
_BY_ID_FOR_UPDATE = _BY_ID.with_for_update()
_ROW_BY_ID = select(*Tenant.__table__.c).where(Tenant.__table__.c.id == bindparam("tenant_id"))


async def get(
    session: AsyncSession, principal: Principal, tenant_id: uuid.UUID, *, for_update: bool = False
) -> Tenant:
    """The tenant, or 404 — also when it exists but belongs to someone the principal cannot see."""
    tenant: Tenant | None = None
    if visible_tenant_id(principal, tenant_id):
        stmt = _BY_ID_FOR_UPDATE if for_update else _BY_ID
        tenant = await session.scalar(stmt, {"tenant_id": tenant_id})
    if tenant is None:
        raise TenantNotFound(f"No tenant with id '{tenant_id}'.")
    return tenant


# The same statement as SQL text for the driver itself (see `read_row`).
_ROW_BY_ID_SQL = str(_ROW_BY_ID.compile(dialect=psycopg_dialect()))  # type: ignore[no-untyped-call]


async def read_row(engine: AsyncEngine, principal: Principal, tenant_id: uuid.UUID) -> Any:
    """The tenant's columns as a plain row (attribute access like a `Tenant`), 404 as `get`.

    For reads that only present the row: one autocommitted SELECT run by psycopg itself on a
    pooled connection. Profiled under 16 clients, the ORM session around it (creation,
    greenlet switches, result processing, close) cost about as much CPU as the whole
    statement; the columns are plain types, so the driver's rows are the same values.
    """
    row = None
    if visible_tenant_id(principal, tenant_id):
        async with engine.connect() as conn:
            raw = await conn.get_raw_connection()
            driver: psycopg.AsyncConnection[Any] = raw.driver_connection  # type: ignore[assignment]
            async with driver.cursor(row_factory=namedtuple_row) as cursor:
                await cursor.execute(_ROW_BY_ID_SQL, {"tenant_id": tenant_id})
                row = await cursor.fetchone()
    if row is None:
        raise TenantNotFound(f"No tenant with id '{tenant_id}'.")
    return row


async def get_by_slug(session: AsyncSession, slug: str) -> Tenant | None:
    return await session.scalar(select(Tenant).where(Tenant.slug == slug))


def list_statement(
    principal: Principal,
    *,
    limit: int,
    cursor: str | None,
    status: str | None = None,
    tier: str | None = None,
    cloud: str | None = None,
    slug_prefix: str | None = None,
) -> Select[Any]:
    """One page of tenants; each filter combination has its (filters…, created_at, id) index.

    Plain columns, not `Tenant` objects: a page is only presented (see `read_row`). A
    `slug_prefix` is a range of the `text_pattern_ops` slug index."""
    stmt = scope(select(*Tenant.__table__.c), principal)
    if slug_prefix:
        if not SLUG_PREFIX.fullmatch(slug_prefix):
            raise BadRequest(
                "A slug prefix holds only lowercase letters, digits and hyphens.",
                extra={"slug_prefix": slug_prefix[:40]},
            )
        stmt = stmt.where(Tenant.slug.like(f"{slug_prefix}%"))
    if status:
        stmt = stmt.where(Tenant.status == status)
    if tier:
        stmt = stmt.where(Tenant.tier_key == tier)
    if cloud:
        stmt = stmt.where(Tenant.cloud == cloud)
    return apply_keyset(stmt, Tenant.created_at, Tenant.id, cursor, limit)


async def list_page(
    session: AsyncSession,
    principal: Principal,
    *,
    limit: int,
    cursor: str | None,
    status: str | None = None,
    tier: str | None = None,
    cloud: str | None = None,
    slug_prefix: str | None = None,
) -> tuple[list[Any], bool]:
    """A page of tenant rows (attribute access like a `Tenant`) and whether more follow."""
    stmt = list_statement(
        principal,
        limit=limit,
        cursor=cursor,
        status=status,
        tier=tier,
        cloud=cloud,
        slug_prefix=slug_prefix,
    )
    rows: list[Any] = list((await session.execute(stmt)).all())
    return split_page(rows, limit)
