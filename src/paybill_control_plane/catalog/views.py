"""How the catalog is shown: tiers, plans and policies as the API (and the audit log) present them."""

from __future__ import annotations

from paybill_control_plane.catalog.policy_schemas import PolicyOut
from paybill_control_plane.catalog.schemas import PlanOut, TierOut
from paybill_control_plane.models.plan import Plan
from paybill_control_plane.models.policy import Policy
from paybill_control_plane.models.tier import Tier


def tier_out(tier: Tier) -> TierOut:
    return TierOut.model_validate(tier)


def plan_out(plan: Plan) -> PlanOut:
    return PlanOut.from_row(plan, tier=plan.tier_key)


def policy_out(policy: Policy) -> PolicyOut:
    return PolicyOut.model_validate(policy)
