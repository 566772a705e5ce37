"""The five clouds' data tiers: their modules create the managed database; the control plane
records where it is from the stack's outputs (see terraform-modules/README.md, "Data tier").
Roles and schemas on those servers are not managed yet (status `unmanaged`)."""

from __future__ import annotations

import uuid
from typing import Any

from paybill_control_plane.audit import service as audit
from paybill_control_plane.datatier import repository
from paybill_control_plane.datatier.provision import DataTierContext, describe
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.models.enums import DatabaseStatus, IsolationModel
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


async def record_cloud_database(
    ctx: DataTierContext,
    tenant_id: uuid.UUID,
    model: IsolationModel,
    pool_id: uuid.UUID | None,
    cloud: str,
    outputs: dict[str, Any],
    *,
    actor: str,
) -> str:
    """The tenant's row names the managed database the module created (`unmanaged` roles)."""
    host, port, database = connection_from_outputs(outputs, tenant_id)
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
