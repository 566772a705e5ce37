"""Seeding a simulated fleet: tenants, pools and stacks recorded as applied on a release.

Only rows: the stacks' first real Terraform apply is the rollout's upgrade (a new workspace),
which keeps 300 stacks cheap while every upgrade still goes through the real executor.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass

from paybill_control_plane.cli._runtime import unit_of_work
from paybill_control_plane.models.enums import StackStatus, TenantStatus
from paybill_control_plane.models.pool import Pool
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.models.tenant import Tenant


@dataclass(frozen=True)
class Fleet:
    silo_stacks: list[uuid.UUID]  # in rollout order (stack id)
    pool_stacks: list[uuid.UUID]
    bad_positions: set[int]  # positions (in silo_stacks) whose tenant trips the new validation
    tenant_ids: list[uuid.UUID]  # every seeded tenant (silo owners, then pool members)


def _tenant(tier: str, slug: str, model: str, pool_id: uuid.UUID | None) -> Tenant:
    return Tenant(
        id=uuid.uuid4(), slug=slug, name=slug, status=TenantStatus.active, tier_key=tier,
        isolation_model=model, cloud="local", region="local-1", pool_id=pool_id, labels={},
    )  # fmt: skip


def seed(
    database_url: str,
    tier: str,
    release_id: uuid.UUID,
    *,
    silos: int,
    pools: int,
    members: int,
    bad: set[int],
) -> Fleet:
    async def run() -> Fleet:
        tag = uuid.uuid4().hex[:6]
        silo_ids = sorted(uuid.uuid4() for _ in range(silos))
        pool_stack_ids = []
        tenant_ids: list[uuid.UUID] = []
        async with unit_of_work(database_url) as session:
            for position, stack_id in enumerate(silo_ids):
                prefix = "legacy" if position in bad else "f"
                tenant = _tenant(tier, f"{prefix}-{tag}-{position:04d}", "silo", None)
                session.add(tenant)
                tenant_ids.append(tenant.id)
                await session.flush()
                session.add(
                    Stack(
                        id=stack_id, kind="silo", tenant_id=tenant.id, cloud="local",
                        module="local/silo", workspace=f"silo-{tenant.id}",
                        status=StackStatus.applied, variables={}, outputs={},
                        applied_revision="seeded", release_id=release_id,
                    )
                )  # fmt: skip
            for number in range(pools):
                pool = Pool(
                    id=uuid.uuid4(), cloud="local", region="local-1", tier_group=tier,
                    ordinal=number + 1, capacity=members,
                )  # fmt: skip
                session.add(pool)
                await session.flush()
                for member in range(members):
                    slug = f"p-{tag}-{number:03d}-{member:02d}"
                    member_row = _tenant(tier, slug, "pooled", pool.id)
                    tenant_ids.append(member_row.id)
                    session.add(member_row)
                stack = Stack(
                    id=uuid.uuid4(), kind="pool", pool_id=pool.id, cloud="local",
                    module="local/pooled", workspace=f"pool-{pool.id}",
                    status=StackStatus.applied, variables={}, outputs={},
                    applied_revision="seeded",
                )  # fmt: skip
                session.add(stack)
                pool_stack_ids.append(stack.id)
        return Fleet(silo_ids, pool_stack_ids, bad, tenant_ids)

    return asyncio.run(run())
