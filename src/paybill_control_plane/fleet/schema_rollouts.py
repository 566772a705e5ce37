"""Schema rollouts: released migrations applied to every selected tenant database, in waves,
within an error budget, by the same workflow steps as module rollouts (`_tick.py`)."""

from __future__ import annotations

import uuid

import psycopg
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal, actor_name
from paybill_control_plane.datatier.provision import DataTierContext
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.errors import Unprocessable
from paybill_control_plane.fleet import selection
from paybill_control_plane.fleet._jobs import defer_rollout_tick
from paybill_control_plane.fleet.schema_apply import (
    SchemaMigrationRefused,
    apply_to,
    released,
    target_of,
)
from paybill_control_plane.fleet.schemas import SchemaRolloutCreate
from paybill_control_plane.models.enums import (
    DatabaseStatus,
    RolloutStatus,
    RolloutTargetStatus,
    TenantDesiredState,
)
from paybill_control_plane.models.fleet import Rollout, RolloutTarget, SchemaMigration
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tenant_database import TenantDatabase

T = RolloutTargetStatus
ACTOR = "schema-rollout"
MIGRATABLE = (DatabaseStatus.available, DatabaseStatus.suspended)


class NoSuchSchemaVersion(Unprocessable):
    type_slug = "schema-version-not-released"
    title = "No released schema migration has this version"


class NoDatabaseToMigrate(Unprocessable):
    type_slug = "schema-rollout-selects-nothing"
    title = "The selector picks no tenant database below the version"


def _picks(tenant: Tenant, data: SchemaRolloutCreate) -> bool:
    sel = data.selector
    if tenant.desired_state == TenantDesiredState.deprovisioned:
        return False
    checks = (
        (sel.cloud, tenant.cloud),
        (sel.region, tenant.region),
        (sel.tier, tenant.tier_key),
        (sel.model, tenant.isolation_model),
    )
    if any(want is not None and want != have for want, have in checks):
        return False
    if sel.tenant_ids is not None and tenant.id not in sel.tenant_ids:
        return False
    return all(tenant.labels.get(k) == v for k, v in sel.labels.items())


async def create_schema_rollout(
    session: AsyncSession, actor: Principal | str, data: SchemaRolloutCreate
) -> Rollout:
    """Every selected `local` tenant database below the version, in waves, oldest tenant first."""
    latest = await session.scalar(select(func.max(SchemaMigration.version)))
    version = data.schema_version or latest
    if version is None or await session.get(SchemaMigration, version) is None:
        raise NoSuchSchemaVersion(f"Schema version {version} is not released.")
    rows = await session.execute(
        select(TenantDatabase, Tenant)
        .join(Tenant, Tenant.id == TenantDatabase.tenant_id)
        .where(
            TenantDatabase.cloud == "local",
            TenantDatabase.status.in_(MIGRATABLE),
            TenantDatabase.schema_version < version,
        )
        .order_by(TenantDatabase.tenant_id)
    )
    picked = [(row[0], row[1]) for row in rows if _picks(row[1], data)]
    if not picked:
        raise NoDatabaseToMigrate(f"No selected tenant database is below version {version}.")
    strategy = data.strategy
    waves = selection.waves(len(picked), strategy.canary, strategy.growth)
    rollout = Rollout(
        id=uuid.uuid4(), kind="schema", schema_version=version, status=RolloutStatus.running,
        selector=data.selector.model_dump(mode="json"),
        strategy=strategy.model_dump(mode="json") | {"max_failures": data.max_failures},
        max_failures=selection.budget(data.max_failures, picked), current_wave=0,
        created_by=actor_name(actor),
    )  # fmt: skip
    session.add(rollout)
    await session.flush()
    for position, ((db, tenant), wave) in enumerate(zip(picked, waves, strict=True)):
        session.add(
            RolloutTarget(
                id=uuid.uuid4(),
                rollout_id=rollout.id,
                tenant_database_id=db.id,
                tenant_id=tenant.id,
                position=position,
                wave=wave,
                status=T.pending,
            )
        )
    await session.flush()
    await defer_rollout_tick(session, rollout.id)
    await audit.record(
        session, actor=actor, action="rollout.created", target_type="rollout",
        target_id=rollout.id,
        after={"schema_version": version, "targets": len(picked),
               "max_failures": rollout.max_failures},
    )  # fmt: skip
    return rollout


async def migrate_target(ctx: DataTierContext, target_id: uuid.UUID) -> None:
    """The job of one target: its tenant's pending migrations, then the outcome on the target."""
    async with transaction(ctx.sessionmaker) as session:
        target = await session.get(RolloutTarget, target_id)
        if target is None or target.status != T.running:
            return
        rollout = await session.get(Rollout, target.rollout_id)
        row = await session.get(TenantDatabase, target.tenant_database_id)
        assert rollout is not None and row is not None
        migrations = await released(session, rollout.schema_version)
        db_target, owner, rollout_id = target_of(ctx, row), row.owner_role, rollout.id
    error: str | None = None
    version: int | None = None
    try:
        version = await apply_to(db_target, owner, migrations)
    except (SchemaMigrationRefused, psycopg.Error) as exc:
        # The tenant's transaction rolled back: it stays at its previous version.
        error = str(exc).strip()[:2000] or type(exc).__name__
    async with transaction(ctx.sessionmaker) as session:
        target = await session.get(RolloutTarget, target_id, with_for_update=True)
        if target is None or target.status != T.running:
            return
        target.status = T.failed if error else T.succeeded
        target.error = error
        target.finished_at = utcnow()
        if version is not None:
            row = await session.get(TenantDatabase, target.tenant_database_id, with_for_update=True)
            assert row is not None
            row.schema_version = version
        await defer_rollout_tick(session, rollout_id)  # settle and start the next at once
