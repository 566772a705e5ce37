"""Catalog reads other domains may use: a tier or a plan by key (404 when missing)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.errors import NotFound
from paybill_control_plane.models.plan import Plan
from paybill_control_plane.models.tier import Tier


class TierNotFound(NotFound):
    type_slug = "tier-not-found"
    title = "Tier not found"


class PlanNotFound(NotFound):
    type_slug = "plan-not-found"
    title = "Plan not found"


async def get_tier(session: AsyncSession, key: str) -> Tier:
    tier = await session.get(Tier, key)
    if tier is None:
        raise TierNotFound(f"No tier with key '{key}'.")
    return tier


async def get_plan(session: AsyncSession, key: str) -> Plan:
    plan = await session.get(Plan, key)
    if plan is None:
        raise PlanNotFound(f"No plan with key '{key}'.")
    return plan
