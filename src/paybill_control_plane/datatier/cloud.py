"""The five clouds' data tiers: their modules create the managed database server.

A module that hands its server over (outputs `database_admin_username` and
`database_admin_secret`, see terraform-modules/README.md, "Data tier") gets the same tenant
objects as `local` — roles, schema or database, rotation, suspension — made on that server by
`provision` (datatier/managed.py resolves the admin connection). A module that does not is only
recorded from its outputs with status `unmanaged`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from paybill_control_plane.audit import service as audit
from paybill_control_plane.datatier import repository
from paybill_control_plane.datatier.final_snapshot import take_final_snapshot
from paybill_control_plane.datatier.local_server import LocalDataServer
from paybill_control_plane.datatier.managed import (
    ManagedOutputs,
    cloud_access,
    data_server,
    in_boundary,
)
from paybill_control_plane.datatier.provision import (
    DataTierContext,
    describe,
    drop_tenant_database,
    ensure_tenant_database,
)
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.models.enums import DatabaseStatus, IsolationModel
from paybill_control_plane.models.pool import Pool
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tenant_database import TenantDatabase

DEFAULT_PORT = 5432


def _port(outputs: dict[str, Any]) -> int:
    try:
        return int(outputs.get("database_port") or DEFAULT_PORT)
    except (TypeError, ValueError):
        return DEFAULT_PORT


def connection_from_outputs(
    outputs: dict[str, Any], tenant_id: uuid.UUID
) -> tuple[str | None, int, str | None]:
    """(host, port, database) from a stack's non-sensitive outputs."""
    per_tenant = outputs.get("tenant_databases")
    database = outputs.get("database_name")
    if isinstance(per_tenant, dict) and str(tenant_id) in per_tenant:
        database = per_tenant[str(tenant_id)]
    host = outputs.get("database_host")
    return (str(host) if host else None), _port(outputs), (str(database) if database else None)


@dataclass(frozen=True)
class CloudDatabase:
    """One tenant's database behind a cloud module: whose, how isolated (and in which pool), on
    which cloud, and the module's outputs. `boundary`: the tenant stack's (an AWS member
    account is reached through its role)."""

    tenant_id: uuid.UUID
    model: IsolationModel
    pool_id: uuid.UUID | None
    cloud: str
    outputs: dict[str, Any]
    boundary: dict[str, Any] | None = None


async def managed_server(ctx: DataTierContext, db: CloudDatabase) -> LocalDataServer | None:
    """The module's server as a data server, or None when the module does not hand it over."""
    parsed = ManagedOutputs.parse(db.outputs)
    if parsed is None:
        return None
    async with ctx.sessionmaker() as session:
        owner: Tenant | Pool | None
        if db.model is IsolationModel.pooled and db.pool_id is not None:
            owner = await session.get(Pool, db.pool_id)
        else:
            owner = await session.get(Tenant, db.tenant_id)
        target_id = owner.cloud_target_id if owner is not None else None
        access = await cloud_access(session, ctx.settings, db.cloud, target_id)
    access = await in_boundary(access, db.boundary)
    return await data_server(ctx.settings, ctx.control_plane_url, access, parsed)


async def converge_cloud_database(
    ctx: DataTierContext, db: CloudDatabase, *, suspended: bool, actor: str
) -> str:
    """After an apply: the tenant's objects on the managed server, or the `unmanaged` record."""
    server = await managed_server(ctx, db)
    if server is None:
        return await record_cloud_database(ctx, db, actor=actor)
    row = await ensure_tenant_database(
        ctx, db.tenant_id, db.model, db.pool_id, suspended=suspended, actor=actor, server=server
    )
    return f"{db.cloud} {row.database} {row.status}"


async def drop_cloud_database(ctx: DataTierContext, db: CloudDatabase, *, actor: str) -> str:
    """Before a destroy (or when a tenant leaves a pool): final snapshot, then the tenant's
    objects dropped from the managed server. An `unmanaged` database goes with the module."""
    server = await managed_server(ctx, db)
    if server is None:
        return "database removed with the cloud's module"
    await take_final_snapshot(ctx, db.tenant_id, db.model, db.pool_id, actor=actor)
    await drop_tenant_database(ctx, db.tenant_id, db.model, db.pool_id, actor=actor, server=server)
    return f"{db.model.value} database dropped from the {db.cloud} server"


async def record_cloud_database(ctx: DataTierContext, db: CloudDatabase, *, actor: str) -> str:
    """The tenant's row names the managed database the module created (`unmanaged` roles)."""
    tenant_id, model, pool_id, cloud = db.tenant_id, db.model, db.pool_id, db.cloud
    host, port, database = connection_from_outputs(db.outputs, tenant_id)
    if database is None:
        return "no database_name output: nothing recorded"
    async with transaction(ctx.sessionmaker) as session:
        row: TenantDatabase = await repository.claim_for_tenant(
            session,
            tenant_id,
            {"isolation_model": model.value, "cloud": cloud, "engine": "postgres",
             "database": database},
        )  # fmt: skip
        before = describe(row)
        changed = (row.host, row.port, row.database, row.status) != (
            host, port, database, DatabaseStatus.unmanaged.value,
        )  # fmt: skip
        row.pool_id, row.isolation_model, row.cloud = pool_id, model.value, cloud
        row.host, row.port, row.database, row.schema = host, port, database, None
        row.owner_role, row.username, row.connection_limit = None, None, None
        row.status = DatabaseStatus.unmanaged
        if changed:
            await audit.record(
                session, actor=actor, action="database.recorded", target_type="tenant_database",
                target_id=row.id, tenant_id=tenant_id, before=before, after=describe(row),
            )  # fmt: skip
    return f"{cloud} database {database} recorded"
