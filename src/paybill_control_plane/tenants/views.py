"""How a tenant is shown: the API model and the audit snapshot."""

from __future__ import annotations

from typing import Any

from paybill_control_plane.models.enums import Cloud, IsolationModel, TenantStatus
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.tenants import lifecycle
from paybill_control_plane.tenants.schemas import BillingRefs, TenantOut


def tenant_out(tenant: Tenant) -> TenantOut:
    status = TenantStatus(tenant.status)
    return TenantOut(
        id=tenant.id,
        slug=tenant.slug,
        name=tenant.name,
        status=status,
        desired_state=tenant.desired_state,
        tier=tenant.tier_key,
        isolation_model=IsolationModel(tenant.isolation_model),
        cloud=Cloud(tenant.cloud),
        region=tenant.region,
        pool_id=tenant.pool_id,
        cloud_target_id=tenant.cloud_target_id,
        labels=tenant.labels,
        contacts=tenant.contacts,
        entitlement_overrides=tenant.entitlement_overrides,
        billing=BillingRefs(
            provider=tenant.billing_provider,
            stripe_customer_id=tenant.stripe_customer_id,
            stripe_subscription_id=tenant.stripe_subscription_id,
        ),
        suspended_by=tenant.suspended_by,
        allowed_actions=lifecycle.allowed_actions(status),
        version=tenant.version,
        status_changed_at=tenant.status_changed_at,
        created_at=tenant.created_at,
        updated_at=tenant.updated_at,
    )


def snapshot(tenant: Tenant) -> dict[str, Any]:
    return tenant_out(tenant).model_dump(mode="json", exclude={"allowed_actions"})
