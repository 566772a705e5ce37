"""The data side of a migration on `local`: the source's and target's Postgres objects, the bulk
copy, the write freeze at cutover and the copy back at rollback (datatier/model_copy.py copies).

Each step is idempotent: the copy replaces the target's schema whole, blocking and allowing logins
are re-assertable, and switching the tenant's `tenant_databases` row goes through the data tier's
own `ensure_tenant_database` (which flips the row to the named objects and allows the login).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

from paybill_control_plane.datatier import postgres_admin as pg
from paybill_control_plane.datatier.model_copy import copy_tenant_data, data_size
from paybill_control_plane.datatier.names import TenantNames
from paybill_control_plane.datatier.provision import DataTierContext, ensure_tenant_database
from paybill_control_plane.datatier.target import DatabaseTarget
from paybill_control_plane.models.enums import IsolationModel
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tenant_migration import TenantMigration

ACTOR = "worker"
NOT_LOCAL = "not done: the data phases copy `local` tenants' data only (a cloud's database moves with its module)"


def has_local_data(tenant: Tenant) -> bool:
    """Whether the tenant keeps its data on the `local` data server."""
    return tenant.cloud == "local"


@dataclass(frozen=True, slots=True)
class Side:
    model: IsolationModel
    pool_id: uuid.UUID | None
    names: TenantNames
    target: DatabaseTarget


def _side(ctx: DataTierContext, m: TenantMigration, which: str) -> Side:
    model = IsolationModel(getattr(m, f"{which}_isolation"))
    pool = getattr(m, f"{which}_pool_id") if model is IsolationModel.pooled else None
    names = ctx.server.names(model, m.tenant_id, pool)
    bridge_pool = getattr(m, f"{which}_pool_id") if model is IsolationModel.bridge else pool
    return Side(model, bridge_pool, names, ctx.server.target(names))


def source(ctx: DataTierContext, m: TenantMigration) -> Side:
    return _side(ctx, m, "source")


def target(ctx: DataTierContext, m: TenantMigration) -> Side:
    return _side(ctx, m, "target")


def _limit(ctx: DataTierContext, side: Side) -> int | None:
    return ctx.settings.silo_connection_limit if side.model is IsolationModel.silo else None


async def _copy(
    ctx: DataTierContext, m: TenantMigration, src: Side, dst: Side, label: str
) -> dict[str, Any]:
    await pg.ensure_tenant_objects(
        ctx.server.admin_dsn, dst.names, connection_limit=_limit(ctx, dst)
    )
    work = ctx.settings.data_dir / "migrations" / str(m.id) / label
    result = await copy_tenant_data(src.target, dst.target, dst.names.owner, work)
    return result.to_json()


async def bulk_copy(ctx: DataTierContext, m: TenantMigration) -> dict[str, Any]:
    """The copy phase: the target's logins stay blocked (no one writes there before cutover),
    then the source's data is copied over it and verified. The source keeps serving."""
    dst = target(ctx, m)
    await pg.ensure_tenant_objects(
        ctx.server.admin_dsn, dst.names, connection_limit=_limit(ctx, dst)
    )
    await pg.block_logins(ctx.server.admin_dsn, dst.names)
    return await _copy(ctx, m, source(ctx, m), dst, "copy")


async def freeze_and_switch(
    ctx: DataTierContext, m: TenantMigration, src: Side, dst: Side, label: str
) -> dict[str, Any]:
    """The write freeze: the source's logins are blocked and their sessions ended, the whole data
    is copied again and verified (the changes since the bulk copy are in it), and the tenant's
    connection details become the target's, whose login is allowed. Returns the measured freeze."""
    started = time.perf_counter()
    ended = await pg.block_logins(ctx.server.admin_dsn, src.names)
    copied = await _copy(ctx, m, src, dst, label)
    row = await ensure_tenant_database(
        ctx, m.tenant_id, dst.model, dst.pool_id, suspended=False, actor=ACTOR
    )
    freeze_ms = int((time.perf_counter() - started) * 1000)
    return {
        "write_freeze_ms": freeze_ms,
        "sessions_ended": ended,
        "delta": "whole data copied again during the freeze, then verified",
        "copy": copied,
        "database": row.database,
        "schema": row.schema,
        "username": row.username,
    }


async def cutover(ctx: DataTierContext, m: TenantMigration) -> dict[str, Any]:
    return await freeze_and_switch(ctx, m, source(ctx, m), target(ctx, m), "cutover")


async def copy_back(ctx: DataTierContext, m: TenantMigration) -> dict[str, Any]:
    """Rollback after cutover: the writes made on the target come back to the source."""
    return await freeze_and_switch(ctx, m, target(ctx, m), source(ctx, m), "rollback")


async def estimated_bytes(ctx: DataTierContext, m_source: DatabaseTarget) -> int:
    return await data_size(m_source)
