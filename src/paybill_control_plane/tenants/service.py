"""Tenant records: creation against the tier's constraints, field updates, entitlements.

Status and desired state are not changed here: `lifecycle/` owns them and the runs that follow."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal, actor_name
from paybill_control_plane.catalog import repository as catalog
from paybill_control_plane.catalog.schemas import NumericFeature, TierOut
from paybill_control_plane.cloud_targets import access as cloud_target_access
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.db.conflicts import add_unique
from paybill_control_plane.errors import AlreadyExists
from paybill_control_plane.models.enums import TenantDesiredState, TenantStatus
from paybill_control_plane.models.plan import Plan
from paybill_control_plane.models.stripe_entitlements import StripeEntitlements
from paybill_control_plane.models.subscription import Subscription
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tier import Tier
from paybill_control_plane.tenants import repository as repo
from paybill_control_plane.tenants.rules import (
    TierConstraintViolation as TierConstraintViolation,
)
from paybill_control_plane.tenants.rules import (
    check_placement as check_placement,
)
from paybill_control_plane.tenants.rules import (
    check_version as check_version,
)
from paybill_control_plane.tenants.rules import (
    isolation_for_tier as isolation_for_tier,
)
from paybill_control_plane.tenants.rules import (
    resolve_isolation as resolve_isolation,
)
from paybill_control_plane.tenants.schemas import EntitlementsOut, TenantCreate, TenantUpdate
from paybill_control_plane.tenants.views import snapshot


async def create_tenant(
    session: AsyncSession,
    actor: Principal | str,
    data: TenantCreate,
    *,
    billing_provider: str = "manual",
) -> Tenant:
    """Create a tenant in `pending`; placement and isolation must fit its tier."""
    tier = await catalog.get_tier(session, data.tier)
    check_placement(tier, data.cloud.value, data.region)
    isolation, override = resolve_isolation(
        tier, data.isolation_model.value if data.isolation_model else None
    )
    cloud_target_id = await cloud_target_access.choose_for_tenant(
        session, data.cloud.value, data.cloud_target_id
    )
    tenant = Tenant(
        id=uuid.uuid4(),
        slug=data.slug,
        name=data.name,
        status=TenantStatus.pending.value,
        desired_state=TenantDesiredState.active,
        tier_key=tier.key,
        isolation_model=isolation,
        isolation_override=override,
        cloud=data.cloud.value,
        region=data.region,
        cloud_target_id=cloud_target_id,
        labels=dict(data.labels),
        contacts=[c.model_dump(mode="json") for c in data.contacts],
        entitlement_overrides=[],
        billing_provider=billing_provider,
        status_changed_at=utcnow(),
        version=1,
        created_by=actor_name(actor),
    )
    taken = f"A tenant with slug '{data.slug}' already exists."
    await add_unique(session, tenant, lambda: AlreadyExists(taken))
    await audit.record(
        session,
        actor=actor,
        action="tenant.created",
        target_type="tenant",
        target_id=tenant.id,
        tenant_id=tenant.id,
        after=snapshot(tenant),
    )
    return tenant


async def apply_update(
    session: AsyncSession,
    actor: Principal | str,
    tenant: Tenant,
    data: TenantUpdate,
    tier: Tier | None,
    *,
    context: Mapping[str, Any] | None = None,
) -> bool:
    """Write the given fields (and `tier`, already checked by the caller) to a locked tenant;
    audited as `tenant.updated`. Returns whether anything changed. Runs are the caller's."""
    before = snapshot(tenant)
    changes = data.model_dump(mode="json", exclude_unset=True)
    if tier is not None and tier.key != tenant.tier_key:
        tenant.isolation_model, tenant.isolation_override = isolation_for_tier(tenant, tier)
        tenant.tier_key = tier.key
    for field in ("name", "labels", "contacts", "entitlement_overrides"):
        if field in changes and changes[field] is not None:
            setattr(tenant, field, changes[field])
    if snapshot(tenant) == before:
        return False
    tenant.version += 1
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="tenant.updated",
        target_type="tenant",
        target_id=tenant.id,
        tenant_id=tenant.id,
        before=before,
        after={**snapshot(tenant), **(context or {})},
    )
    return True


async def _stripe_grants(
    session: AsyncSession, tenant: Tenant
) -> tuple[dict[str, str], set[str]] | None:
    """(lookup key -> feature key, the customer's active lookup keys) when the tenant's plan
    takes its features from Stripe; None otherwise."""
    if tenant.billing_provider != "stripe" or not tenant.stripe_subscription_id:
        return None
    plan = await session.scalar(
        select(Plan)
        .join(Subscription, Subscription.plan_key == Plan.key)
        .where(Subscription.provider == "stripe")
        .where(Subscription.external_id == tenant.stripe_subscription_id)
    )
    if plan is None or plan.entitlements_source != "stripe":
        return None
    held = None
    if tenant.stripe_customer_id:
        held = await session.get(StripeEntitlements, tenant.stripe_customer_id)
    return dict(plan.stripe_features), set(held.lookup_keys if held else ())


def apply_stripe_grants(
    features: list[dict[str, Any]], mapping: Mapping[str, str], held: set[str]
) -> list[dict[str, Any]]:
    """The tier's features with those Stripe controls granted or withdrawn.

    A granted feature keeps the tier's definition (a boolean is enabled; one the tier does not
    define becomes an enabled boolean); a withdrawn one is off: disabled, 0, or no values.
    """
    granted = {feature for lookup, feature in mapping.items() if lookup in held}
    by_key = {f["key"]: f for f in features}
    for key in set(mapping.values()):
        current = by_key.get(key)
        kind = current["type"] if current else "boolean"
        name = current.get("name") if current else None
        if kind == "boolean":
            by_key[key] = {"key": key, "type": "boolean", "name": name, "enabled": key in granted}
        elif key not in granted and kind == "numeric":
            by_key[key] = {**by_key[key], "value": 0, "unlimited": False}
        elif key not in granted:
            by_key[key] = {**by_key[key], "values": []}
    return [by_key[key] for key in sorted(by_key)]


def merge_features(
    tier_features: list[dict[str, Any]], overrides: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    by_key = {f["key"]: f for f in tier_features}
    for override in overrides:
        by_key[override["key"]] = override
    return [by_key[key] for key in sorted(by_key)]


async def entitlements(
    session: AsyncSession, principal: Principal, tenant_id: uuid.UUID
) -> EntitlementsOut:
    """The effective features of a tenant: its tier's, with its overrides applied."""
    tenant = await repo.get(session, principal, tenant_id)
    tier = await catalog.get_tier(session, tenant.tier_key)
    features = [f.model_dump(mode="json") for f in TierOut.model_validate(tier).features]
    source = "catalog"
    if grants := await _stripe_grants(session, tenant):
        features, source = apply_stripe_grants(features, *grants), "stripe"
    merged = merge_features(features, tenant.entitlement_overrides)
    out = EntitlementsOut(
        tenant_id=tenant.id, tier=tier.key, source=source, features=merged, limits={}, flags={}
    )
    for feature in out.features:
        if isinstance(feature, NumericFeature):
            out.limits[feature.key] = None if feature.unlimited else feature.value
        elif feature.type == "boolean":
            out.flags[feature.key] = feature.enabled
    return out
