"""Catalog rules: tiers and plans, their invariants, and the declarative apply."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.catalog import _audited
from paybill_control_plane.catalog import repository as repo
from paybill_control_plane.catalog.repository import (
    PlanNotFound as PlanNotFound,
)
from paybill_control_plane.catalog.repository import (
    TierNotFound as TierNotFound,
)
from paybill_control_plane.catalog.repository import (
    get_plan as get_plan,
)
from paybill_control_plane.catalog.repository import (
    get_tier as get_tier,
)
from paybill_control_plane.catalog.repository import (
    list_tiers as list_tiers,
)
from paybill_control_plane.catalog.schemas import (
    PlanCreate,
    PlanUpdate,
    TierCreate,
    TierFields,
    TierUpdate,
)
from paybill_control_plane.catalog.views import plan_out, tier_out
from paybill_control_plane.errors import AlreadyExists, InUse, StaleVersion, Unprocessable
from paybill_control_plane.models.plan import Plan
from paybill_control_plane.models.tier import Tier


class PriceAlreadyMapped(AlreadyExists):
    type_slug = "stripe-price-already-mapped"
    title = "Stripe price already mapped to another plan"


def _tier_values(fields: TierFields) -> dict[str, Any]:
    data = fields.model_dump(mode="json")
    data.pop("key", None)
    return data


def _check_version(current: int, expected: int | None) -> None:
    if expected is not None and expected != current:
        raise StaleVersion(
            f"Version {expected} is stale; the current version is {current}.",
            extra={"current_version": current},
        )


async def create_tier(session: AsyncSession, actor: Principal | str, data: TierCreate) -> Tier:
    """Add a tier; its key must be new."""
    if await repo.find_tier(session, data.key) is not None:
        raise AlreadyExists(f"A tier with key '{data.key}' already exists.")
    tier = Tier(key=data.key, version=1, **_tier_values(data))
    await _audited.add(session, actor, "tier", tier.key, tier, tier_out)
    return tier


async def update_tier(
    session: AsyncSession,
    actor: Principal | str,
    key: str,
    data: TierUpdate,
    expected_version: int | None = None,
) -> Tier:
    """Change a tier; the merged result must still satisfy every tier invariant."""
    tier = await get_tier(session, key)
    _check_version(tier.version, expected_version)
    fields = _audited.patched(TierFields, "tier", tier_out(tier).model_dump(mode="json"), data)
    await _audited.change(session, actor, "tier", tier.key, tier, _tier_values(fields), tier_out)
    return tier


async def delete_tier(
    session: AsyncSession, actor: Principal | str, key: str, expected_version: int | None = None
) -> None:
    """Remove a tier that no plan and no tenant uses."""
    tier = await get_tier(session, key)
    _check_version(tier.version, expected_version)
    plans, tenants = await repo.tier_users(session, key)
    if plans or tenants:
        raise InUse(
            f"Tier '{key}' is used by {plans} plan(s) and {tenants} tenant(s).",
            extra={"plans": plans, "tenants": tenants},
        )
    await _audited.remove(session, actor, "tier", key, tier, tier_out)


async def _check_prices(session: AsyncSession, plan_key: str, price_ids: list[str]) -> None:
    if len(set(price_ids)) != len(price_ids):
        raise Unprocessable("stripe_price_ids lists a price twice.")
    for price_id in price_ids:
        owner = await repo.plan_for_price(session, price_id)
        if owner is not None and owner.key != plan_key:
            raise PriceAlreadyMapped(
                f"Stripe price '{price_id}' already maps to plan '{owner.key}'."
            )


def _plan_values(data: PlanCreate) -> dict[str, Any]:
    values = data.model_dump(mode="json", exclude={"key", "tier"})
    values["tier_key"] = data.tier
    return values


async def create_plan(session: AsyncSession, actor: Principal | str, data: PlanCreate) -> Plan:
    """Add a plan for an existing tier; its Stripe prices must not map to another plan."""
    if await repo.find_plan(session, data.key) is not None:
        raise AlreadyExists(f"A plan with key '{data.key}' already exists.")
    await get_tier(session, data.tier)
    await _check_prices(session, data.key, data.stripe_price_ids)
    plan = Plan(key=data.key, version=1, **_plan_values(data))
    await _audited.add(session, actor, "plan", plan.key, plan, plan_out)
    return plan


async def update_plan(
    session: AsyncSession,
    actor: Principal | str,
    key: str,
    data: PlanUpdate,
    expected_version: int | None = None,
) -> Plan:
    """Change a plan (its tier, prices, name or interval)."""
    plan = await get_plan(session, key)
    _check_version(plan.version, expected_version)
    before = plan_out(plan).model_dump(mode="json")
    target = _audited.patched(PlanCreate, "plan", before, data, key=key)
    await get_tier(session, target.tier)
    await _check_prices(session, key, target.stripe_price_ids)
    await _audited.change(session, actor, "plan", key, plan, _plan_values(target), plan_out)
    return plan


async def delete_plan(
    session: AsyncSession, actor: Principal | str, key: str, expected_version: int | None = None
) -> None:
    """Remove a plan."""
    plan = await get_plan(session, key)
    _check_version(plan.version, expected_version)
    await _audited.remove(session, actor, "plan", key, plan, plan_out)
