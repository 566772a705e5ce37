"""All catalog SQL: tiers, plans and policies (other domains may read them), and the tenants that
stand on a tier."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.errors import NotFound
from paybill_control_plane.kit.lookup import get_or_404
from paybill_control_plane.kit.pagination import fetch_page
from paybill_control_plane.models.plan import Plan
from paybill_control_plane.models.policy import Policy
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tier import Tier


class TierNotFound(NotFound):
    type_slug = "tier-not-found"
    title = "Tier not found"


class PlanNotFound(NotFound):
    type_slug = "plan-not-found"
    title = "Plan not found"


class PolicyNotFound(NotFound):
    type_slug = "policy-not-found"
    title = "Policy not found"


async def find_tier(session: AsyncSession, key: str) -> Tier | None:
    return await session.get(Tier, key)


async def get_tier(session: AsyncSession, key: str) -> Tier:
    return await get_or_404(session, Tier, key, TierNotFound, f"No tier with key '{key}'.")


async def list_tiers(session: AsyncSession) -> list[Tier]:
    """Every tier, by rank."""
    return list(await session.scalars(select(Tier).order_by(Tier.rank, Tier.key)))


async def tiers_page(
    session: AsyncSession, *, limit: int, cursor: str | None
) -> tuple[list[Tier], bool]:
    """One page of tiers, oldest first, and whether more follow."""
    return await fetch_page(
        session, select(Tier), Tier.created_at, Tier.key, cursor, limit, id_is_uuid=False
    )


async def tiers_by_keys(session: AsyncSession, keys: Iterable[str]) -> list[Tier]:
    """These tiers, in no particular order."""
    return list(await session.scalars(select(Tier).where(Tier.key.in_(keys))))


async def tier_users(session: AsyncSession, key: str) -> tuple[int, int]:
    """How many (plans, tenants) use the tier."""
    plans = await session.scalar(select(func.count()).select_from(Plan).where(Plan.tier_key == key))
    tenants = await session.scalar(
        select(func.count()).select_from(Tenant).where(Tenant.tier_key == key)
    )
    return int(plans or 0), int(tenants or 0)


async def tenants_on_tier(session: AsyncSession, tier_key: str) -> list[Tenant]:
    """The tenants on a tier, by slug."""
    stmt = select(Tenant).where(Tenant.tier_key == tier_key).order_by(Tenant.slug)
    return list(await session.scalars(stmt))


async def find_plan(session: AsyncSession, key: str) -> Plan | None:
    return await session.get(Plan, key)


async def get_plan(session: AsyncSession, key: str) -> Plan:
    return await get_or_404(session, Plan, key, PlanNotFound, f"No plan with key '{key}'.")


async def list_plans(session: AsyncSession) -> list[Plan]:
    """Every plan, by tier and key."""
    return list(await session.scalars(select(Plan).order_by(Plan.tier_key, Plan.key)))


async def plans_page(
    session: AsyncSession, *, limit: int, cursor: str | None
) -> tuple[list[Plan], bool]:
    """One page of plans, oldest first, and whether more follow."""
    return await fetch_page(
        session, select(Plan), Plan.created_at, Plan.key, cursor, limit, id_is_uuid=False
    )


async def plan_for_price(session: AsyncSession, price_id: str) -> Plan | None:
    """The plan that carries a Stripe price id, if any."""
    return await session.scalar(
        select(Plan).where(Plan.stripe_price_ids.contains([price_id])).limit(1)
    )


async def find_policy(
    session: AsyncSession, name: str, *, for_update: bool = False
) -> Policy | None:
    return await session.get(Policy, name, with_for_update=for_update or None)


async def get_policy(session: AsyncSession, name: str) -> Policy:
    return await get_or_404(session, Policy, name, PolicyNotFound, f"No policy named '{name}'.")


async def list_policies(session: AsyncSession) -> list[Policy]:
    """Every policy, by name."""
    return list(await session.scalars(select(Policy).order_by(Policy.name)))


async def policies_page(
    session: AsyncSession, *, limit: int, cursor: str | None
) -> tuple[list[Policy], bool]:
    """One page of policies, oldest first, and whether more follow."""
    return await fetch_page(
        session, select(Policy), Policy.created_at, Policy.name, cursor, limit, id_is_uuid=False
    )
