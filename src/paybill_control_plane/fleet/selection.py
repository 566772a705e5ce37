"""Which stacks a rollout moves, in what order, and in which wave."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.fleet import versions
from paybill_control_plane.fleet.schemas import RolloutSelector
from paybill_control_plane.models.enums import StackStatus, TenantDesiredState
from paybill_control_plane.models.fleet import ModuleRelease
from paybill_control_plane.models.pool import Pool
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.models.tenant import Tenant

# A stack a rollout may move: it exists in the cloud (or tried to).
MOVABLE = (StackStatus.applied, StackStatus.failed)


@dataclass(frozen=True)
class Candidate:
    stack: Stack
    tenant_id: uuid.UUID | None  # the owner; None for a pool
    eligible: bool  # False: its release does not meet `upgradeable_from`


def _tenant_matches(tenant: Tenant, selector: RolloutSelector) -> bool:
    if tenant.desired_state == TenantDesiredState.deprovisioned:
        return False
    if selector.tier is not None and tenant.tier_key != selector.tier:
        return False
    if selector.model is not None and tenant.isolation_model != selector.model:
        return False
    if selector.tenant_ids is not None and tenant.id not in selector.tenant_ids:
        return False
    return all(tenant.labels.get(k) == v for k, v in selector.labels.items())


async def candidates(
    session: AsyncSession, release: ModuleRelease, selector: RolloutSelector
) -> list[Candidate]:
    """The stacks of the release's module that the selector picks, not already on the release,
    in a stable order (stack id)."""
    stacks = list(
        await session.scalars(
            select(Stack)
            .where(
                Stack.module == release.module,
                Stack.status.in_(MOVABLE),
                Stack.release_id.is_distinct_from(release.id),
            )
            .order_by(Stack.id)
        )
    )
    owner_ids = {s.tenant_id for s in stacks if s.tenant_id is not None}
    pool_ids = {s.pool_id for s in stacks if s.pool_id is not None and s.kind == "pool"}
    tenants = list(
        await session.scalars(
            select(Tenant).where((Tenant.id.in_(owner_ids)) | (Tenant.pool_id.in_(pool_ids)))
        )
    )
    by_id = {t.id: t for t in tenants}
    members: dict[uuid.UUID, list[Tenant]] = {}
    for tenant in tenants:
        if tenant.pool_id is not None:
            members.setdefault(tenant.pool_id, []).append(tenant)
    pools = {p.id: p for p in await session.scalars(select(Pool).where(Pool.id.in_(pool_ids)))}
    rows = await session.execute(select(ModuleRelease.id, ModuleRelease.version))
    release_versions: dict[uuid.UUID, str] = {row[0]: row[1] for row in rows}
    picked: list[Candidate] = []
    for stack in stacks:
        if stack.kind == "pool":
            assert stack.pool_id is not None
            pool = pools[stack.pool_id]
            if (selector.cloud and pool.cloud != selector.cloud) or (
                selector.region and pool.region != selector.region
            ):
                continue
            if not any(_tenant_matches(t, selector) for t in members.get(pool.id, [])):
                continue
            owner = None
        else:
            assert stack.tenant_id is not None
            tenant = by_id[stack.tenant_id]
            if (selector.cloud and tenant.cloud != selector.cloud) or (
                selector.region and tenant.region != selector.region
            ):
                continue
            if not _tenant_matches(tenant, selector):
                continue
            owner = tenant.id
        current = release_versions.get(stack.release_id) if stack.release_id else None
        eligible = versions.satisfies(current, release.upgradeable_from)
        picked.append(Candidate(stack, owner, eligible))
    return picked


def waves(count: int, canary: int, growth: int) -> list[int]:
    """The wave of each of `count` targets in order: `canary`, then `growth` times the last."""
    assigned: list[int] = []
    wave, size = 0, canary
    while len(assigned) < count:
        assigned.extend([wave] * min(size, count - len(assigned)))
        wave += 1
        size *= growth
    return assigned


def budget(max_failures: int | str, targets: Sequence[object]) -> int:
    """A count stays a count; '5%' is that share of the targets, rounded down."""
    if isinstance(max_failures, int):
        return max_failures
    if max_failures.endswith("%"):
        return len(targets) * int(max_failures[:-1]) // 100
    return int(max_failures)
