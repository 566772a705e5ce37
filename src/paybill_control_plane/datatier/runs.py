"""The data phase of a run: after a stack's apply (or before its destroy) its tenants' databases
follow what the stack holds. `provisioning.executor` calls `converge_stack` in one place."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select

from paybill_control_plane.datatier import postgres_admin as pg
from paybill_control_plane.datatier import repository
from paybill_control_plane.datatier.cloud import (
    CloudDatabase,
    converge_cloud_database,
    drop_cloud_database,
)
from paybill_control_plane.datatier.final_snapshot import take_final_snapshot
from paybill_control_plane.datatier.local_server import LocalDataServer
from paybill_control_plane.datatier.pooled_batch import ensure_pooled_databases
from paybill_control_plane.datatier.provision import (
    DataTierContext,
    drop_pool_database,
    drop_tenant_database,
    ensure_tenant_database,
)
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.fleet.schema_apply import bring_all_up_to_date, bring_up_to_date
from paybill_control_plane.models.enums import (
    DatabaseStatus,
    IsolationModel,
    MigrationPhase,
    MigrationStatus,
)
from paybill_control_plane.models.fleet import SchemaMigration
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tenant_migration import TenantMigration

# A migration owns its tenant's source and target data until it decommissions the source: a
# pool apply (another member's change) must neither drop a migrating member's schema (rollback
# copies back into it) nor turn its frozen logins back on.
_MIGRATING = (MigrationStatus.running, MigrationStatus.holding, MigrationStatus.rolling_back)

OWN_MODEL = {"silo": IsolationModel.silo, "bridge-data": IsolationModel.bridge}


async def converge_stack(
    ctx: DataTierContext,
    stack_id: uuid.UUID,
    operation: str,
    outputs: dict[str, Any] | None = None,
    *,
    actor: str,
) -> str:
    """Make the stack's tenants' databases match it; returns the run step's detail."""
    async with transaction(ctx.sessionmaker) as session:
        stack = await session.get(Stack, stack_id)
        assert stack is not None
        own = stack.kind in OWN_MODEL
        if own:
            assert stack.tenant_id is not None
            tenant = await session.get(Tenant, stack.tenant_id)
            tenant_pool = tenant.pool_id if tenant is not None else None
            suspended = bool((stack.variables or {}).get("suspended", False))
            session.expunge(stack)
    if own:
        return await _own_stack(
            ctx, stack, tenant_pool, suspended, operation, outputs or {}, actor=actor
        )
    async with transaction(ctx.sessionmaker) as session:
        stack = await session.get(Stack, stack_id)
        assert stack is not None and stack.pool_id is not None
        pool_id, cloud = stack.pool_id, stack.cloud
        recorded_outputs = dict(stack.outputs or {})
        wanted: dict[uuid.UUID, bool] = {}
        if operation == "apply":
            members = {
                uuid.UUID(m["tenant_id"]): bool(m.get("suspended"))
                for m in (stack.variables or {}).get("tenants", [])
            }
            pooled = set(
                await session.scalars(
                    select(Tenant.id).where(
                        Tenant.id.in_(list(members)),
                        Tenant.isolation_model == IsolationModel.pooled.value,
                    )
                )
            )
            wanted = {t: s for t, s in members.items() if t in pooled}
        # Before _succeed, applied_variables still lists the members of the previous apply.
        previous = {
            uuid.UUID(m["tenant_id"]) for m in (stack.applied_variables or {}).get("tenants", [])
        }
        rows = await repository.pooled_in_pool(session, pool_id)
        recorded = {r.tenant_id for r in rows}
        latest = await session.scalar(select(func.max(SchemaMigration.version)))
        migrating = set(
            await session.scalars(
                select(TenantMigration.tenant_id).where(
                    TenantMigration.tenant_id.in_(list(previous | recorded | set(wanted))),
                    TenantMigration.status.in_([s.value for s in _MIGRATING]),
                    TenantMigration.phase != MigrationPhase.decommission.value,
                )
            )
        )
        wanted = {t: s for t, s in wanted.items() if t not in migrating}
    gone = sorted((previous | recorded) - set(wanted) - migrating)
    if cloud != "local":
        # Before a destroy there are no new outputs: the last apply's are the server's.
        current = outputs if operation == "apply" and outputs else recorded_outputs
        for tenant_id in sorted(set(gone) & recorded):
            db = CloudDatabase(tenant_id, IsolationModel.pooled, pool_id, cloud, current)
            await drop_cloud_database(ctx, db, actor=actor)
        for tenant_id, is_suspended in sorted(wanted.items()):
            db = CloudDatabase(tenant_id, IsolationModel.pooled, pool_id, cloud, current)
            await converge_cloud_database(ctx, db, suspended=is_suspended, actor=actor)
        return f"{len(wanted)} pooled databases on the {cloud} module's server"
    server = ctx.server
    owners = {t: server.names(IsolationModel.pooled, t, pool_id).owner for t in gone}
    existing = await pg.existing_roles(server.admin_dsn, list(owners.values()))
    # Previous members with no pooled objects here (bridge tenants share the pool's compute)
    # need no drop; a recorded row is always dropped (its objects may be half made).
    gone = [t for t in gone if t in recorded or owners[t] in existing]
    for tenant_id in gone:
        await take_final_snapshot(ctx, tenant_id, IsolationModel.pooled, pool_id, actor=actor)
        await drop_tenant_database(ctx, tenant_id, IsolationModel.pooled, pool_id, actor=actor)
    # Members whose objects are made, in the wanted login state and at the released schema
    # version were converged by an earlier run: a pool apply makes only what changed (each
    # `ensure` is ~10 admin sessions; re-ensuring every member made N pool applies O(N²)).
    settled = {
        r.tenant_id: r.username
        for r in rows
        if r.tenant_id in wanted
        and r.username is not None
        and r.status
        == (DatabaseStatus.suspended if wanted[r.tenant_id] else DatabaseStatus.available)
        and (r.database, r.schema) == _pooled_names(server, r.tenant_id, pool_id)
        and r.schema_version >= (latest or 0)
    }
    if settled:  # what an ensure would still do for them, in one admin session for all
        others = [
            server.names(IsolationModel.pooled, t, pool_id).other_login(login)
            for t, login in settled.items()
            if login is not None
        ]
        await pg.disable_expired_logins(server.admin_dsn, others)
    # New members are made in one batch: one catalog-lock hold and one admin session for all
    # (datatier/pooled_batch.py), then every released schema migration.
    pending = {t: s for t, s in sorted(wanted.items()) if t not in settled}
    await ensure_pooled_databases(ctx, pool_id, pending, actor=actor)
    await bring_all_up_to_date(ctx, sorted(pending))
    if operation == "destroy":
        await drop_pool_database(ctx, pool_id)
    return (
        f"{len(wanted) - len(settled)} pooled schemas ensured, {len(settled)} already in place, "
        f"{len(gone)} dropped"
    )


def _pooled_names(
    server: LocalDataServer, tenant_id: uuid.UUID, pool_id: uuid.UUID
) -> tuple[str, str | None]:
    names = server.names(IsolationModel.pooled, tenant_id, pool_id)
    return names.database, names.schema


async def _own_stack(
    ctx: DataTierContext,
    stack: Stack,
    pool_id: uuid.UUID | None,
    suspended: bool,
    operation: str,
    outputs: dict[str, Any],
    *,
    actor: str,
) -> str:
    assert stack.tenant_id is not None
    model = OWN_MODEL[stack.kind]
    pool = pool_id if model is IsolationModel.bridge else None
    if stack.cloud != "local":
        if operation != "apply":
            recorded = dict(stack.outputs or {})
            db = CloudDatabase(stack.tenant_id, model, pool, stack.cloud, recorded, stack.boundary)
            return await drop_cloud_database(ctx, db, actor=actor)
        db = CloudDatabase(stack.tenant_id, model, pool, stack.cloud, outputs, stack.boundary)
        return await converge_cloud_database(ctx, db, suspended=suspended, actor=actor)
    if operation == "destroy":
        await take_final_snapshot(ctx, stack.tenant_id, model, pool, actor=actor)
        await drop_tenant_database(ctx, stack.tenant_id, model, pool, actor=actor)
        return f"{model.value} database dropped"
    row = await ensure_tenant_database(
        ctx, stack.tenant_id, model, pool, suspended=suspended, actor=actor
    )
    await bring_up_to_date(ctx, stack.tenant_id)  # fleet: every released schema migration
    return f"{row.database} {row.status}"
