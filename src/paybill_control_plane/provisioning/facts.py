"""Reading the facts the planner needs from the database, and asking the planner for a stack."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.catalog import repository as catalog_repo
from paybill_control_plane.config import Settings
from paybill_control_plane.models.enums import TenantDesiredState
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tenant_migration import TenantMigration
from paybill_control_plane.models.tier import Tier
from paybill_control_plane.provisioning import planner
from paybill_control_plane.provisioning import repository as repo
from paybill_control_plane.provisioning.cloud_runtime import stack_target_inputs
from paybill_control_plane.provisioning.planner import PoolFacts, StackSpec, TenantFacts


def tenant_facts(tenant: Tenant) -> TenantFacts:
    return TenantFacts(
        id=str(tenant.id),
        slug=tenant.slug,
        tier=tenant.tier_key,
        cloud=tenant.cloud,
        region=tenant.region,
        isolation_model=tenant.isolation_model,
        labels=dict(tenant.labels),
        suspended=tenant.desired_state == TenantDesiredState.suspended,
    )


def side_facts(tenant: Tenant, migration: TenantMigration | None, model: str) -> TenantFacts:
    """The tenant's facts as the stack of isolation `model` sees them: during a migration each
    side keeps its own tier and model, so cutover (which switches the tenant row) re-plans
    neither side."""
    facts = tenant_facts(tenant)
    if migration is None:
        return facts
    if model == migration.target_isolation:
        return dataclasses.replace(
            facts, tier=migration.target_tier, isolation_model=migration.target_isolation
        )
    if model == migration.source_isolation:
        return dataclasses.replace(
            facts, tier=migration.source_tier, isolation_model=migration.source_isolation
        )
    return facts


def pool_side_facts(
    tenant: Tenant, migration: TenantMigration | None, pool_id: uuid.UUID
) -> TenantFacts:
    """A pool member's facts: the side of its migration that lives in this pool."""
    if migration is None:
        return tenant_facts(tenant)
    if migration.target_pool_id == pool_id:
        return side_facts(tenant, migration, migration.target_isolation)
    return side_facts(tenant, migration, migration.source_isolation)


def extra_inputs(cloud: str, settings: Settings) -> dict[str, Any]:
    if cloud == "local" and settings.local_apply_delay_seconds:
        return {"simulate_apply_seconds": settings.local_apply_delay_seconds}
    return {}


async def pinned_release_id(
    session: AsyncSession, tier: Tier | None, module: str
) -> uuid.UUID | None:
    """The release a new stack of `module` starts on: the tier's pinned version, if any."""
    version = (tier.module_versions or {}).get(module) if tier is not None else None
    if version is None:
        return None
    return await repo.release_id(session, module, version)


async def module_files_for(session: AsyncSession, stack: Stack) -> dict[str, bytes] | None:
    """The files of the module release the stack runs; None: the module on disk."""
    if stack.release_id is None:
        return None
    release = await repo.find_release(session, stack.release_id)
    assert release is not None  # a foreign key
    return {name: text.encode() for name, text in release.files.items()}


@dataclass(frozen=True)
class Desired:
    """A stack's desired state: a spec to apply, None to destroy, or a reason to wait."""

    spec: StackSpec | None
    waiting_for: str | None = None


async def desired_for(session: AsyncSession, stack: Stack, settings: Settings) -> Desired:
    """What `stack` should be right now, from the current tenant, tier and pool rows."""
    extra = extra_inputs(stack.cloud, settings)
    files = await module_files_for(session, stack)
    if stack.kind == "pool":
        assert stack.pool_id is not None
        pool = await repo.find_pool(session, stack.pool_id)
        assert pool is not None
        members = await repo.pool_members(session, pool.id)
        if not members:
            return Desired(None)
        migrating = await repo.migrations_of(session, [m.id for m in members])
        member_facts = [pool_side_facts(m, migrating.get(m.id), pool.id) for m in members]
        member_tiers = {f.tier for f in member_facts}
        tiers = {t.key: t for t in await catalog_repo.tiers_by_keys(session, member_tiers)}
        sizing = planner.pool_sizing([(t.rank, t.key, t.sizing) for t in tiers.values()])
        facts = PoolFacts(str(pool.id), pool.cloud, pool.region, pool.tier_group)
        target = await stack_target_inputs(session, pool.cloud, "pooled", pool, stack)
        return Desired(
            planner.plan_pool(
                facts, member_facts, sizing, target=target, extra=extra, module_files=files
            )
        )
    assert stack.tenant_id is not None
    tenant = await repo.find_tenant(session, stack.tenant_id)
    assert tenant is not None
    wanted_model = "silo" if stack.kind == "silo" else "bridge"
    migration = (await repo.migrations_of(session, [tenant.id])).get(tenant.id)
    kept = {tenant.isolation_model}
    if migration is not None:
        kept |= {migration.source_isolation, migration.target_isolation}
    if tenant.desired_state not in repo.PRESENT or wanted_model not in kept:
        return Desired(None)
    own = side_facts(tenant, migration, wanted_model)
    tier = await catalog_repo.find_tier(session, own.tier)
    assert tier is not None
    target = await stack_target_inputs(session, tenant.cloud, wanted_model, tenant, stack)
    if stack.kind == "silo":
        return Desired(
            planner.plan_silo(own, tier.sizing, target=target, extra=extra, module_files=files)
        )
    pool_stack = await repo.stack_of_pool(session, tenant.pool_id)
    network = (pool_stack.outputs or {}).get("network_id") if pool_stack else None
    applied_members: list[dict[str, Any]] = (
        (pool_stack.applied_variables or {}).get("tenants", []) if pool_stack else []
    )
    if not network or not any(m["tenant_id"] == str(tenant.id) for m in applied_members):
        return Desired(None, waiting_for=f"pool {tenant.pool_id} to include the tenant")
    return Desired(
        planner.plan_bridge_data(
            own,
            tier.sizing,
            str(tenant.pool_id),
            str(network),
            target=target,
            extra=extra,
            module_files=files,
        )
    )
