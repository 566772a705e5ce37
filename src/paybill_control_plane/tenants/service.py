"""Tenant rules: creation against the tier's constraints, updates, lifecycle actions."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.catalog import service as catalog
from paybill_control_plane.catalog.schemas import NumericFeature, TierOut
from paybill_control_plane.cloud_targets import service as cloud_targets
from paybill_control_plane.config import Settings
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.errors import AlreadyExists, StaleVersion, Unprocessable
from paybill_control_plane.models.enums import TenantDesiredState, TenantStatus
from paybill_control_plane.models.plan import Plan
from paybill_control_plane.models.stripe_entitlements import StripeEntitlements
from paybill_control_plane.models.subscription import Subscription
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tier import Tier
from paybill_control_plane.provisioning import service as provisioning
from paybill_control_plane.tenants import lifecycle
from paybill_control_plane.tenants import repository as repo
from paybill_control_plane.tenants.schemas import EntitlementsOut, TenantCreate, TenantUpdate
from paybill_control_plane.tenants.transitions import change_state
from paybill_control_plane.tenants.views import snapshot


class TierConstraintViolation(Unprocessable):
    type_slug = "tier-constraint-violation"
    title = "Not allowed by the tenant's tier"


def check_placement(tier: Tier, cloud: str, region: str) -> None:
    """The tier must allow the cloud and, where it lists regions, the region."""
    if cloud not in tier.allowed_clouds:
        raise TierConstraintViolation(
            f"Tier '{tier.key}' does not allow cloud '{cloud}'.",
            extra={"allowed_clouds": tier.allowed_clouds},
        )
    regions = tier.allowed_regions.get(cloud)
    if regions and region not in regions:
        raise TierConstraintViolation(
            f"Tier '{tier.key}' does not allow region '{region}' on '{cloud}'.",
            extra={"allowed_regions": regions},
        )


def resolve_isolation(tier: Tier, requested: str | None) -> tuple[str, bool]:
    """(isolation model, whether it overrides the tier default)."""
    if requested is None or requested == tier.default_isolation:
        return tier.default_isolation, False
    if requested not in tier.allowed_isolation:
        raise TierConstraintViolation(
            f"Tier '{tier.key}' does not allow the isolation model '{requested}'.",
            extra={"allowed_isolation": tier.allowed_isolation},
        )
    return requested, True


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
    cloud_target_id = await cloud_targets.choose_for_tenant(
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
        created_by=actor.actor if isinstance(actor, Principal) else actor,
    )
    try:
        async with session.begin_nested():
            session.add(tenant)
            await session.flush()
    except IntegrityError as exc:
        raise AlreadyExists(f"A tenant with slug '{data.slug}' already exists.") from exc
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


def check_version(tenant: Tenant, expected: int) -> None:
    if tenant.version != expected:
        raise StaleVersion(
            f"Version {expected} is stale; the tenant is at version {tenant.version}.",
            extra={"current_version": tenant.version},
        )


async def update_tenant(
    session: AsyncSession,
    actor: Principal,
    tenant_id: uuid.UUID,
    data: TenantUpdate,
    expected_version: int | None,
    settings: Settings,
    *,
    trigger: str = "api",
    context: Mapping[str, Any] | None = None,
) -> tuple[Tenant, bool]:
    """Apply a partial update; returns (tenant, whether the tier changed)."""
    tenant = await repo.get(session, actor, tenant_id, for_update=True)
    if expected_version is not None:
        check_version(tenant, expected_version)
    before = snapshot(tenant)
    changes = data.model_dump(mode="json", exclude_unset=True)
    tier_changed = False
    previous_pool = tenant.pool_id
    if "tier" in changes and changes["tier"] != tenant.tier_key:
        if TenantStatus(tenant.status) in {
            TenantStatus.deprovisioning,
            TenantStatus.deprovisioned,
            TenantStatus.purged,
        }:
            lifecycle.check_transition(TenantStatus(tenant.status), TenantStatus.updating)
        tier = await catalog.get_tier(session, changes["tier"])
        check_placement(tier, tenant.cloud, tenant.region)
        requested = tenant.isolation_model if tenant.isolation_override else None
        if requested is not None and requested not in tier.allowed_isolation:
            requested = None
        tenant.isolation_model, tenant.isolation_override = resolve_isolation(tier, requested)
        tenant.tier_key = tier.key
        tier_changed = True
    for field in ("name", "labels", "contacts", "entitlement_overrides"):
        if field in changes and changes[field] is not None:
            setattr(tenant, field, changes[field])
    after = snapshot(tenant)
    if after == before:
        return tenant, False
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
    if (
        tier_changed
        and tenant.desired_state != TenantDesiredState.deprovisioned
        and tenant.status != TenantStatus.pending
    ):
        status = lifecycle.running_status_for(TenantStatus(tenant.status), tenant.desired_state)
        if TenantStatus(tenant.status) != TenantStatus.failed:
            await change_state(
                session, actor, tenant, status=status, action="tenant.change_tier", context=context
            )
        await provisioning.reconcile_tenant(
            session, tenant, kind="change-tier", trigger=trigger, actor=actor, settings=settings,
            previous_pool_id=previous_pool,
        )  # fmt: skip
    return tenant, tier_changed


async def perform_action(
    session: AsyncSession,
    actor: Principal,
    tenant_id: uuid.UUID,
    action: str,
    settings: Settings,
    *,
    trigger: str = "api",
) -> Tenant:
    """suspend / resume / deprovision: set the desired state and queue the runs that reach it."""
    tenant = await repo.get(session, actor, tenant_id, for_update=True)
    current = TenantStatus(tenant.status)
    if action == "suspend" and current is TenantStatus.suspended:
        if tenant.suspended_by == "operator":
            lifecycle.check_action(current, action)  # 409: already suspended by an operator
        # Suspended by billing: the operator takes the suspension over, so that no Stripe
        # event lifts it (abuse, investigation).
        await change_state(session, actor, tenant, action="tenant.suspend", suspended_by="operator")
        return tenant
    definition = lifecycle.check_action(current, action)
    desired = definition.desired_state or tenant.desired_state
    status = lifecycle.running_status_for(current, desired)
    by = {"suspend": "operator", "resume": None}.get(action, tenant.suspended_by)
    await change_state(
        session, actor, tenant, status=status, desired_state=desired, action=f"tenant.{action}",
        suspended_by=by,
    )  # fmt: skip
    await provisioning.reconcile_tenant(
        session, tenant, kind=action, trigger=trigger, actor=actor, settings=settings
    )
    return tenant


async def start_provisioning(
    session: AsyncSession,
    actor: Principal | str,
    tenant: Tenant,
    settings: Settings,
    *,
    trigger: str = "api",
    context: Mapping[str, Any] | None = None,
) -> None:
    """Move a pending tenant to provisioning and queue its first runs."""
    await change_state(
        session, actor, tenant, status=TenantStatus.provisioning, desired_state=TenantDesiredState.active,
        action="tenant.provision", context=context,
    )  # fmt: skip
    await provisioning.reconcile_tenant(
        session, tenant, kind="provision", trigger=trigger, actor=actor, settings=settings
    )


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
