"""How the catalog is shown: tiers, plans and policies as the API (and the audit log) present them."""

from __future__ import annotations

from paybill_control_plane.catalog.policy_schemas import PolicyOut
from paybill_control_plane.catalog.schemas import PlanOut, TierOut
from paybill_control_plane.models.enums import PlanInterval
from paybill_control_plane.models.plan import Plan
from paybill_control_plane.models.policy import Policy
from paybill_control_plane.models.tier import Tier


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


def policy_out(policy: Policy) -> PolicyOut:
    return PolicyOut.model_validate(policy)
