"""Tenant migrations: plan, start, roll back, cancel; and the guard lifecycle actions call.

A migration owns its tenant while it is in flight: suspend, resume, deprovision and tier changes
are refused with a 409 naming it (not queued: a queued action would act on a tenant whose
isolation model is about to change under it, and the caller would learn the outcome only later)."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal, actor_name
from paybill_control_plane.catalog import repository as catalog
from paybill_control_plane.config import Settings
from paybill_control_plane.datatier import repository as databases
from paybill_control_plane.datatier.local_server import local_data_server
from paybill_control_plane.datatier.model_copy import data_size
from paybill_control_plane.datatier.snapshot_repository import active_restore
from paybill_control_plane.datatier.snapshots import RestoreInProgress
from paybill_control_plane.datatier.target import DatabaseTarget
from paybill_control_plane.errors import Conflict, Unprocessable
from paybill_control_plane.lifecycle.migrations import phases
from paybill_control_plane.lifecycle.migrations import repository as repo
from paybill_control_plane.lifecycle.migrations._jobs import defer_phase
from paybill_control_plane.lifecycle.migrations.data import NOT_LOCAL
from paybill_control_plane.lifecycle.migrations.schemas import (
    MigrationCreate,
    MigrationPlanOut,
    MigrationSide,
)
from paybill_control_plane.models.enums import (
    DatabaseStatus,
    IsolationModel,
    MigrationPhase,
    MigrationStatus,
    TenantStatus,
)
from paybill_control_plane.models.pool import Pool
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tenant_migration import TenantMigration
from paybill_control_plane.models.tier import Tier
from paybill_control_plane.provisioning import service as provisioning
from paybill_control_plane.provisioning.placement import pool_group
from paybill_control_plane.tenants import repository as tenants_repo
from paybill_control_plane.tenants.rules import (
    check_placement,
    isolation_for_tier,
    resolve_isolation,
)

_LIVE = (DatabaseStatus.available, DatabaseStatus.suspended)
# Each model's pool side: both pooled and bridge tenants live in a pool (of their tier group).
_IN_A_POOL = {"pooled", "bridge"}
DATA_COPY = (
    "pg_dump of the source (schema or database) restored under a staging schema of the target, "
    "swapped in and owned by the target's owner role; per-table row counts and checksums "
    "verified. At cutover the source's logins are blocked and the whole data copied again and "
    "verified (the write freeze)."
)


class TenantMigrating(Conflict):
    type_slug = "tenant-migrating"
    title = "The tenant is being migrated"


class MigrationNotNeeded(Unprocessable):
    type_slug = "migration-not-needed"
    title = "The tenant already has that isolation model"


class MigrationNotSupported(Unprocessable):
    type_slug = "migration-not-supported"
    title = "This move between isolation models is not supported"


class TenantNotMigratable(Conflict):
    type_slug = "tenant-not-migratable"
    title = "Only an active tenant can be migrated"


class MigrationsDisabled(Conflict):
    type_slug = "migrations-disabled"
    title = "Migrations are not enabled"


class MigrationStateConflict(Conflict):
    type_slug = "migration-state-conflict"
    title = "Not possible in the migration's current phase"


def _ref(migration: TenantMigration) -> dict[str, Any]:
    return {
        "migration_id": str(migration.id),
        "migration": f"/v1/migrations/{migration.id}",
        "migration_phase": migration.phase,
    }


async def check_not_migrating(session: AsyncSession, tenant: Tenant, action: str) -> None:
    """409 naming the migration when one owns the tenant."""
    migration = await repo.in_flight(session, tenant.id)
    if migration is not None:
        raise TenantMigrating(
            f"Tenant {tenant.id} is being migrated (migration {migration.id}, phase "
            f"'{migration.phase}'): it cannot {action} until the migration finishes, is "
            "cancelled or is rolled back.",
            extra=_ref(migration),
        )


async def _stacks(session: AsyncSession, tenant: Tenant, isolation: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    kind = provisioning.OWN_STACK_KIND.get(isolation)
    if kind:
        own = await provisioning.own_stack(session, tenant.id, isolation)
        out.append({"kind": kind, "module": f"{tenant.cloud}/{'silo' if kind == 'silo' else 'bridge'}",
                    "exists": own is not None and own.status == "applied"})  # fmt: skip
    return out


async def plan(
    session: AsyncSession, tenant: Tenant, data: MigrationCreate, settings: Settings
) -> tuple[MigrationPlanOut, bool]:
    """What moving `tenant` as `data` asks would do; (plan, whether the target model is the
    tier's default). Raises the 4xx that starting it would."""
    if TenantStatus(tenant.status) is not TenantStatus.active:
        raise TenantNotMigratable(
            f"Tenant {tenant.id} is '{tenant.status}'; only an active tenant can be migrated.",
            extra={"current_status": tenant.status},
        )
    await check_not_migrating(session, tenant, "start another migration")
    tier = await catalog.get_tier(session, data.tier or tenant.tier_key)
    check_placement(tier, tenant.cloud, tenant.region)
    if data.isolation_model is not None:
        isolation, override = resolve_isolation(tier, data.isolation_model.value)
    else:
        isolation, override = isolation_for_tier(tenant, tier)
    if isolation == tenant.isolation_model:
        raise MigrationNotNeeded(
            f"The tenant is '{isolation}' already; a change within one model is a PATCH.",
            extra={"isolation_model": isolation},
        )
    if {isolation, tenant.isolation_model} == _IN_A_POOL:
        await _check_same_pool(session, tenant, tier, isolation)
    target_stacks = await _stacks(session, tenant, isolation)
    if isolation in _IN_A_POOL:
        target_stacks.insert(0, {"kind": "pool", "module": f"{tenant.cloud}/pooled",
                                 "placement": f"a pool of tier group '{tier.tier_group or tier.key}'"})  # fmt: skip
    source_stacks = await _stacks(session, tenant, tenant.isolation_model)
    if tenant.pool_id is not None:
        source_stacks.insert(0, {"kind": "pool", "pool_id": str(tenant.pool_id),
                                 "removal": "the tenant leaves the pool's member list"})  # fmt: skip
    out = MigrationPlanOut(
        tenant_id=tenant.id,
        source=MigrationSide(tier=tenant.tier_key, isolation_model=IsolationModel(tenant.isolation_model),
                             pool_id=tenant.pool_id),
        target=MigrationSide(tier=tier.key, isolation_model=IsolationModel(isolation)),
        phases=list(phases.FORWARD),
        target_stacks=target_stacks,
        source_stacks=source_stacks,
        hold_hours=settings.migration_hold_hours,
        data={"estimated_bytes": await _estimated_bytes(session, tenant, settings),
              "copy": DATA_COPY if tenant.cloud == "local" else NOT_LOCAL},
    )  # fmt: skip
    return out, override


async def _check_same_pool(
    session: AsyncSession, tenant: Tenant, tier: Tier, isolation: str
) -> None:
    """pooled <-> bridge is a direct hop inside the tenant's pool (the pooled schema and the
    bridge database both live on the pool's server; the pool's compute serves both). A tenant is
    a member of one pool only, so a hop that would also change pools is refused."""
    pool = await session.get(Pool, tenant.pool_id) if tenant.pool_id is not None else None
    if pool is None or pool.tier_group != pool_group(tier):
        raise MigrationNotSupported(
            f"pooled <-> bridge moves within the tenant's pool; tier '{tier.key}' belongs to "
            f"another pool group ('{pool_group(tier)}'), and a tenant is a member of one pool at "
            "a time. Change the model first (same tier), then the tier, or go through silo.",
            extra={"source_isolation": tenant.isolation_model, "target_isolation": isolation},
        )


async def _estimated_bytes(session: AsyncSession, tenant: Tenant, settings: Settings) -> int | None:
    """`pg_total_relation_size` summed over the tenant's tables (None: no local data tier)."""
    row = await databases.get_for_tenant(session, tenant.id)
    if tenant.cloud != "local" or row is None or row.status not in _LIVE:
        return None
    bind = session.bind
    assert isinstance(bind, AsyncEngine), "a request session is bound to the engine"
    server = local_data_server(settings, bind.url.render_as_string(hide_password=False))
    try:
        where = DatabaseTarget(server.admin_dsn, row.database, row.schema)
        return await data_size(where, lock_timeout_ms=1000)  # a locked table: no estimate
    except psycopg.Error:
        return None


async def start(
    session: AsyncSession,
    actor: Principal,
    tenant_id: uuid.UUID,
    data: MigrationCreate,
    settings: Settings,
) -> TenantMigration:
    """Start the workflow: the row and its first phase's job, in this transaction."""
    tenant = await tenants_repo.get(session, actor, tenant_id, for_update=True)
    planned, override = await plan(session, tenant, data, settings)
    check_enabled(settings)
    restoring = await active_restore(session, tenant.id)
    if restoring is not None:
        raise RestoreInProgress(
            f"A restore of tenant {tenant.id}'s data is running ({restoring.id}); a migration "
            "would copy data that is being replaced. Wait until it completes or fails.",
            extra={"restore_id": str(restoring.id)},
        )
    return await _create(session, actor, tenant, planned, override)


def check_enabled(settings: Settings) -> None:
    """409 unless PAYBILL_MIGRATIONS_ENABLED: the data phases are not built yet."""
    if not settings.migrations_enabled:
        raise MigrationsDisabled(
            "Migrations move the infrastructure only; copying the tenant's data is not built "
            "yet, so they are off (PAYBILL_MIGRATIONS_ENABLED=false). `?dry_run=true` shows "
            "the plan."
        )


async def _create(
    session: AsyncSession,
    actor: Principal | str,
    tenant: Tenant,
    planned: MigrationPlanOut,
    override: bool,
) -> TenantMigration:
    migration = TenantMigration(
        id=uuid.uuid4(), tenant_id=tenant.id, status=MigrationStatus.running,
        phase=MigrationPhase.plan, source_tier=tenant.tier_key, target_tier=planned.target.tier,
        source_isolation=tenant.isolation_model, target_isolation=planned.target.isolation_model.value,
        source_isolation_override=tenant.isolation_override, target_isolation_override=override,
        source_pool_id=tenant.pool_id, target_pool_id=None, plan=planned.model_dump(mode="json"),
        phases=[phases.entry(MigrationPhase.plan)], run_ids=[], endpoint=None,
        requested_by=actor_name(actor),
    )  # fmt: skip
    try:
        async with session.begin_nested():
            session.add(migration)
            await session.flush()
    except IntegrityError:  # another migration started concurrently (the unique index)
        await check_not_migrating(session, tenant, "start another migration")
        raise
    await audit.record(
        session, actor=actor, action="migration.started", target_type="migration",
        target_id=migration.id, tenant_id=tenant.id, after=migration.plan,
    )  # fmt: skip
    await defer_phase(session, migration.id, tenant.id, MigrationPhase.plan)
    return migration


async def start_for_tier(
    session: AsyncSession, actor: Principal | str, tenant: Tenant, tier_key: str, settings: Settings
) -> TenantMigration:
    """Billing's tier change to another model: the migration instead of an in-place change."""
    planned, override = await plan(session, tenant, MigrationCreate(tier=tier_key), settings)
    check_enabled(settings)
    return await _create(session, actor, tenant, planned, override)


async def _stop(
    session: AsyncSession, actor: Principal, migration_id: uuid.UUID, requested: str
) -> TenantMigration:
    migration = await repo.get(session, actor, migration_id, for_update=True)
    phase = MigrationPhase(migration.phase)
    allowed = (
        phases.CANCELLABLE
        if requested == "cancel"
        else (*phases.CANCELLABLE, *phases.AFTER_CUTOVER)
    )
    stoppable = migration.status in (MigrationStatus.running, MigrationStatus.holding) or (
        migration.status == MigrationStatus.failed and phase is not MigrationPhase.rollback
    )
    if not stoppable or phase not in allowed:
        hint = (
            "after cutover, roll it back instead"
            if requested == "cancel" and phase in phases.AFTER_CUTOVER
            else "the source is decommissioned or the migration has ended"
        )
        raise MigrationStateConflict(
            f"Migration {migration.id} is '{migration.status}' in phase '{migration.phase}': it "
            f"cannot be {'cancelled' if requested == 'cancel' else 'rolled back'} ({hint}).",
            extra={"migration_status": migration.status, "migration_phase": migration.phase},
        )
    await phases.begin_rollback(session, migration, actor, requested)
    return migration


async def rollback(
    session: AsyncSession, actor: Principal, migration_id: uuid.UUID, settings: Settings
) -> TenantMigration:
    """Flip back to the source and remove the target (any phase before decommission); after
    decommission, start the reverse migration and answer it."""
    migration = await repo.get(session, actor, migration_id, for_update=True)
    if migration.status == MigrationStatus.completed:
        return await _reverse(session, actor, migration, settings)
    return await _stop(session, actor, migration_id, "rollback")


async def _reverse(
    session: AsyncSession, actor: Principal, done: TenantMigration, settings: Settings
) -> TenantMigration:
    """A completed migration's source is gone (its final snapshot is kept): rolling it back is
    a new migration to the source's tier and model. It copies the tenant's current data, so
    the writes made since cutover come back too (a restore of the final snapshot would lose
    them), verified like any migration."""
    tenant = await tenants_repo.get(session, actor, done.tenant_id, for_update=True)
    latest = await repo.latest(session, tenant.id)
    where = (tenant.tier_key, tenant.isolation_model)
    if (latest is not None and latest.id != done.id) or where != (
        done.target_tier,
        done.target_isolation,
    ):
        raise MigrationStateConflict(
            f"Migration {done.id} completed, and tenant {tenant.id} has changed since (it is "
            f"'{tenant.isolation_model}' on tier '{tenant.tier_key}'): only the tenant's latest "
            "migration can be rolled back. Start a new migration instead.",
            extra={"migration_status": done.status, "migration_phase": done.phase},
        )
    wanted = MigrationCreate(
        tier=done.source_tier, isolation_model=IsolationModel(done.source_isolation)
    )
    planned, override = await plan(session, tenant, wanted, settings)
    check_enabled(settings)
    planned.rollback_of = done.id
    reverse = await _create(session, actor, tenant, planned, override)
    await audit.record(
        session, actor=actor, action="migration.rollback_requested", target_type="migration",
        target_id=done.id, tenant_id=tenant.id, after={"reverse_migration_id": str(reverse.id)},
    )  # fmt: skip
    return reverse


async def cancel(
    session: AsyncSession, actor: Principal, migration_id: uuid.UUID
) -> TenantMigration:
    """Stop a migration before its cutover and remove what it provisioned."""
    return await _stop(session, actor, migration_id, "cancel")
