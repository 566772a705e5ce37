"""Catalog rules: tiers and plans, their invariants, and the declarative apply."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal
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
    PlanOut,
    PlanUpdate,
    TierCreate,
    TierFields,
    TierOut,
    TierUpdate,
)
from paybill_control_plane.errors import AlreadyExists, InUse, StaleVersion, Unprocessable
from paybill_control_plane.kit.problems import validation_issues
from paybill_control_plane.models.enums import PlanInterval
from paybill_control_plane.models.plan import Plan
from paybill_control_plane.models.tier import Tier


class PriceAlreadyMapped(AlreadyExists):
    type_slug = "stripe-price-already-mapped"
    title = "Stripe price already mapped to another plan"


def tier_out(tier: Tier) -> TierOut:
    return TierOut.model_validate(tier)


def plan_out(plan: Plan) -> PlanOut:
    return PlanOut(
        key=plan.key,
        name=plan.name,
        tier=plan.tier_key,
        stripe_product_id=plan.stripe_product_id,
        stripe_price_ids=plan.stripe_price_ids,
        interval=PlanInterval(plan.interval),
        active=plan.active,
        entitlements_source=plan.entitlements_source,
        stripe_features=plan.stripe_features,
        version=plan.version,
        created_at=plan.created_at,
        updated_at=plan.updated_at,
    )


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
    session.add(tier)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="tier.created",
        target_type="tier",
        target_id=tier.key,
        after=tier_out(tier).model_dump(mode="json"),
    )
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
    before = tier_out(tier).model_dump(mode="json")
    merged = {k: v for k, v in before.items() if k in TierFields.model_fields}
    merged.update(data.model_dump(mode="json", exclude_unset=True))
    try:
        fields = TierFields.model_validate(merged)
    except ValidationError as exc:
        raise Unprocessable(
            "The tier would not be valid after this change; see `errors`.",
            extra={"errors": validation_issues(exc)},
        ) from exc
    values = _tier_values(fields)
    if all(getattr(tier, name) == value for name, value in values.items()):
        return tier
    for name, value in values.items():
        setattr(tier, name, value)
    tier.version += 1
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="tier.updated",
        target_type="tier",
        target_id=tier.key,
        before=before,
        after=tier_out(tier).model_dump(mode="json"),
    )
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
    before = tier_out(tier).model_dump(mode="json")
    await session.delete(tier)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="tier.deleted",
        target_type="tier",
        target_id=key,
        before=before,
    )


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
    session.add(plan)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="plan.created",
        target_type="plan",
        target_id=plan.key,
        after=plan_out(plan).model_dump(mode="json"),
    )
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
    merged = {k: v for k, v in before.items() if k in PlanCreate.model_fields}
    merged.update(data.model_dump(mode="json", exclude_unset=True))
    try:
        target = PlanCreate.model_validate({**merged, "key": key})
    except ValidationError as exc:
        raise Unprocessable(
            "The plan would not be valid after this change; see `errors`.",
            extra={"errors": validation_issues(exc)},
        ) from exc
    await get_tier(session, target.tier)
    await _check_prices(session, key, target.stripe_price_ids)
    values = _plan_values(target)
    if all(getattr(plan, name) == value for name, value in values.items()):
        return plan
    for name, value in values.items():
        setattr(plan, name, value)
    plan.version += 1
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="plan.updated",
        target_type="plan",
        target_id=key,
        before=before,
        after=plan_out(plan).model_dump(mode="json"),
    )
    return plan


async def delete_plan(
    session: AsyncSession, actor: Principal | str, key: str, expected_version: int | None = None
) -> None:
    """Remove a plan."""
    plan = await get_plan(session, key)
    _check_version(plan.version, expected_version)
    before = plan_out(plan).model_dump(mode="json")
    await session.delete(plan)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="plan.deleted",
        target_type="plan",
        target_id=key,
        before=before,
    )
