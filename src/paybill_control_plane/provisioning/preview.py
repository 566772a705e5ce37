"""What a tenant's stacks would be rendered with now, for review before anything is applied.

Reads rows only (no credential is decrypted, no cloud is called), so it works for any cloud
before its credentials exist. Inputs that only exist later are filled with placeholders and
named: a pool not created yet, the pool network of a bridge tenant, the boundary's keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.catalog import repository as catalog_repo
from paybill_control_plane.cloud_targets import repository as targets_repo
from paybill_control_plane.config import Settings
from paybill_control_plane.models.cloud_target import CloudTarget
from paybill_control_plane.models.pool import Pool
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tier import Tier
from paybill_control_plane.provisioning import cloud_runtime, planner
from paybill_control_plane.provisioning import repository as repo
from paybill_control_plane.provisioning.facts import extra_inputs, tenant_facts
from paybill_control_plane.provisioning.placement import pool_group
from paybill_control_plane.provisioning.planner import PoolFacts, StackSpec

PLACEHOLDER_POOL_ID = "00000000-0000-0000-0000-000000000000"
PLACEHOLDER_NETWORK = "(the pool's network_id, known once the pool is applied)"


@dataclass
class PlannedStack:
    spec: StackSpec
    stack: Stack | None
    placeholders: list[str] = field(default_factory=list)
    boundary_inputs: list[str] = field(default_factory=list)


@dataclass
class TenantPlan:
    tenant: Tenant
    target: CloudTarget | None
    stacks: list[PlannedStack]
    notes: list[str]


async def _pool_for(session: AsyncSession, tenant: Tenant, tier: Tier) -> Pool | None:
    """The tenant's pool, or the pool placement would pick now (None: a new one)."""
    if tenant.pool_id is not None:
        return await repo.find_pool(session, tenant.pool_id)
    pools = await repo.pools_of_group(session, tenant.cloud, tenant.region, pool_group(tier))
    for pool in (p for p in pools if p.cloud_target_id == tenant.cloud_target_id):
        if len(await repo.pool_members(session, pool.id)) < pool.capacity:
            return pool
    return None


async def tenant_plan(session: AsyncSession, tenant: Tenant, settings: Settings) -> TenantPlan:
    """The stacks the tenant's desired state renders to now (see the module docstring)."""
    notes: list[str] = []
    target = await cloud_runtime.effective_target(session, tenant.cloud, tenant.cloud_target_id)
    if target is None and tenant.cloud != "local":
        count = len(await targets_repo.of_cloud(session, tenant.cloud))
        notes.append(cloud_runtime.no_target_message(tenant.cloud, count))
    elif target is not None and tenant.cloud_target_id is None:
        notes.append(f"cloud target '{target.name}' is the {tenant.cloud} default")
    if tenant.desired_state not in repo.PRESENT:
        notes.append(f"desired state is {tenant.desired_state}: no stack is wanted")
        return TenantPlan(tenant, target, [], notes)
    tier = await catalog_repo.find_tier(session, tenant.tier_key)
    assert tier is not None
    facts = tenant_facts(tenant)
    extra = extra_inputs(tenant.cloud, settings)
    stacks: list[PlannedStack] = []
    own_kind = {"silo": "silo", "bridge": "bridge-data"}.get(tenant.isolation_model)
    own = None
    if own_kind:
        own = await repo.tenant_stack(session, tenant.id, own_kind)
    model = {"silo": "silo", "pooled": "pooled", "bridge": "bridge"}[tenant.isolation_model]
    pending = [
        f"target.{key}"
        for key in cloud_runtime.boundary_keys(tenant.cloud, model)
        if not (own and own.boundary)
    ]
    own_target = cloud_runtime.target_inputs(
        tenant.cloud, model, target, own.boundary if own else None
    )
    if tenant.isolation_model == "silo":
        spec = planner.plan_silo(facts, tier.sizing, target=own_target, extra=extra)
        stacks.append(PlannedStack(spec, own, boundary_inputs=pending))
        return TenantPlan(tenant, target, stacks, notes)

    pool = await _pool_for(session, tenant, tier)
    pool_stack = None
    members: list[Tenant] = []
    if pool is not None:
        pool_stack = await repo.stack_of_pool(session, pool.id)
        members = [m for m in await repo.pool_members(session, pool.id) if m.id != tenant.id]
    pool_facts = PoolFacts(
        str(pool.id) if pool else PLACEHOLDER_POOL_ID,
        tenant.cloud,
        tenant.region,
        pool.tier_group if pool else pool_group(tier),
    )
    member_tiers = {m.tier_key for m in members} | {tenant.tier_key}
    tiers = await catalog_repo.tiers_by_keys(session, member_tiers)
    sizing = planner.pool_sizing([(t.rank, t.key, t.sizing) for t in tiers])
    pool_target = cloud_runtime.target_inputs(tenant.cloud, "pooled", target)
    everyone = [tenant_facts(m) for m in members] + [facts]
    pool_spec = planner.plan_pool(pool_facts, everyone, sizing, target=pool_target, extra=extra)
    stacks.append(PlannedStack(pool_spec, pool_stack, [] if pool else ["pool_id"]))
    if tenant.isolation_model == "bridge":
        network = (pool_stack.outputs or {}).get("network_id") if pool_stack else None
        placeholders = ([] if pool else ["pool_id"]) + ([] if network else ["pool_network_id"])
        spec = planner.plan_bridge_data(
            facts,
            tier.sizing,
            pool_facts.id,
            str(network) if network else PLACEHOLDER_NETWORK,
            target=own_target,
            extra=extra,
        )
        stacks.append(PlannedStack(spec, own, placeholders, pending))
    return TenantPlan(tenant, target, stacks, notes)
