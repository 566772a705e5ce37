"""All tenant SQL; tenant-scoped principals are confined here, in one place."""

from __future__ import annotations

import functools
import re
import uuid
from typing import Any, NotRequired, TypedDict, Unpack

from sqlalchemy import Select, bindparam, select, tuple_
from sqlalchemy.dialects.postgresql.psycopg import dialect as psycopg_dialect
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.db.read_pool import ReadPool
from paybill_control_plane.errors import BadRequest, NotFound
from paybill_control_plane.kit.pagination import cursor_position, split_page
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


def _sql_text(stmt: Select[Any]) -> str:
    """`stmt` as SQL text with `%(name)s` parameters, for psycopg itself."""
    return str(stmt.compile(dialect=psycopg_dialect()))  # type: ignore[no-untyped-call]


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
_ROW_BY_ID_SQL = _sql_text(_ROW_BY_ID)


async def read_row(pool: ReadPool, principal: Principal, tenant_id: uuid.UUID) -> Any:
    """The tenant's columns as a plain row (attribute access like a `Tenant`), 404 as `get`.

    For reads that only present the row: one autocommitted SELECT on the read pool (no ORM
    session, no SQLAlchemy connection; see `db/read_pool.py`)."""
    row = None
    if visible_tenant_id(principal, tenant_id):
        row = await pool.fetch_one(_ROW_BY_ID_SQL, {"tenant_id": tenant_id})
    if row is None:
        raise TenantNotFound(f"No tenant with id '{tenant_id}'.")
    return row


async def get_by_slug(session: AsyncSession, slug: str) -> Tenant | None:
    return await session.scalar(select(Tenant).where(Tenant.slug == slug))


_AFTER_CREATED = bindparam("after_created", type_=Tenant.__table__.c.created_at.type)
_AFTER_ID = bindparam("after_id", type_=Tenant.__table__.c.id.type)


@functools.cache
def _list_shape(
    scoped: bool, slug: bool, status: bool, tier: bool, cloud: bool, after: bool
) -> Select[Any]:
    """The page query for one combination of filters, with named parameters.

    Plain columns, not `Tenant` objects: a page is only presented (see `read_row`). Each
    filter combination has its (filters…, created_at, id) index; the keyset condition is a row
    comparison, which Postgres uses as the start of that index's range (see
    `kit.pagination.apply_keyset`). A `slug_prefix` is a range of the `text_pattern_ops` slug
    index."""
    c = Tenant.__table__.c
    stmt = select(*c)
    if scoped:
        stmt = stmt.where(c.id == bindparam("principal_tenant_id"))
    if slug:
        stmt = stmt.where(c.slug.like(bindparam("slug_like")))
    if status:
        stmt = stmt.where(c.status == bindparam("status"))
    if tier:
        stmt = stmt.where(c.tier_key == bindparam("tier"))
    if cloud:
        stmt = stmt.where(c.cloud == bindparam("cloud"))
    if after:
        stmt = stmt.where(tuple_(c.created_at, c.id) > tuple_(_AFTER_CREATED, _AFTER_ID))
    return stmt.order_by(c.created_at, c.id).limit(bindparam("limit_plus_one"))


@functools.cache
def _list_sql(shape: tuple[bool, ...]) -> str:
    return _sql_text(_list_shape(*shape))


def _list_query(
    principal: Principal,
    *,
    limit: int,
    cursor: str | None,
    status: str | None = None,
    tier: str | None = None,
    cloud: str | None = None,
    slug_prefix: str | None = None,
) -> tuple[tuple[bool, ...], dict[str, Any]]:
    """Which query shape a page request needs, and its parameters."""
    params: dict[str, Any] = {"limit_plus_one": limit + 1}
    scoped = principal.is_tenant_scoped
    if scoped:
        params["principal_tenant_id"] = principal.tenant_id
    if slug_prefix:
        if not SLUG_PREFIX.fullmatch(slug_prefix):
            raise BadRequest(
                "A slug prefix holds only lowercase letters, digits and hyphens.",
                extra={"slug_prefix": slug_prefix[:40]},
            )
        params["slug_like"] = f"{slug_prefix}%"
    for name, value in (("status", status), ("tier", tier), ("cloud", cloud)):
        if value:
            params[name] = value
    if cursor:
        params["after_created"], params["after_id"] = cursor_position(cursor)
    shape = (scoped, bool(slug_prefix), bool(status), bool(tier), bool(cloud), bool(cursor))
    return shape, params


class TenantListQuery(TypedDict):
    """A page request of the tenant list: the page, and the filters (None or absent: any)."""

    limit: int
    cursor: str | None
    status: NotRequired[str | None]
    tier: NotRequired[str | None]
    cloud: NotRequired[str | None]
    slug_prefix: NotRequired[str | None]


def list_statement(
    principal: Principal,
    **query: Unpack[TenantListQuery],
) -> Select[Any]:
    """One page of tenants as a statement with its values bound (the plan tests EXPLAIN it)."""
    shape, params = _list_query(principal, **query)
    return _list_shape(*shape).params(params)


async def read_page(
    pool: ReadPool,
    principal: Principal,
    **query: Unpack[TenantListQuery],
) -> tuple[list[Any], bool]:
    """A page of tenant rows for the API, on the read pool (see `read_row`)."""
    shape, params = _list_query(principal, **query)
    return split_page(await pool.fetch_all(_list_sql(shape), params), query["limit"])


async def list_page(
    session: AsyncSession,
    principal: Principal,
    **query: Unpack[TenantListQuery],
) -> tuple[list[Any], bool]:
    """A page of tenant rows (attribute access like a `Tenant`) and whether more follow."""
    stmt = list_statement(principal, **query)
    rows: list[Any] = list((await session.execute(stmt)).all())
    return split_page(rows, query["limit"])
