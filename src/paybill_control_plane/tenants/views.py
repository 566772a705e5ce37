"""How a tenant is shown: the API model, its JSON for the hot reads, and the audit snapshot."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter
from pydantic_core import to_json

from paybill_control_plane.catalog.schemas import Feature
from paybill_control_plane.models.enums import Cloud, IsolationModel, TenantStatus
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.tenants import lifecycle
from paybill_control_plane.tenants.schemas import BillingRefs, Contact, TenantOut


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


# -- JSON straight from a row (GET /v1/tenants/{id}, GET /v1/tenants) ---------------------------
#
# A page of 50 `TenantOut` models cost more CPU than the rest of the request (validating every
# column of every row, building 100 models, then serialising them): the bare app only dumps
# the row. These reads present rows the database already constrains, so the fields are put in
# `TenantOut`'s order and shape as plain values and pydantic-core writes the JSON once. Only the
# stored JSON lists whose model adds defaults or a key order (`contacts`,
# `entitlement_overrides`) go through their models, and only when not empty. The bytes are
# those `TenantOut` gives (tests/tenants/test_tenant_json.py compares them field by field).

_CONTACTS: TypeAdapter[list[Contact]] = TypeAdapter(list[Contact])
_FEATURES: TypeAdapter[list[Feature]] = TypeAdapter(list[Feature])
_ACTIONS_BY_STATUS = {s.value: lifecycle.allowed_actions(s) for s in TenantStatus}


def _presented(row: Any) -> dict[str, Any]:
    """`row`'s fields as `TenantOut` presents them (same keys, same order)."""
    contacts = row.contacts
    features = row.entitlement_overrides
    return {
        "id": row.id,
        "slug": row.slug,
        "name": row.name,
        "status": row.status,
        "desired_state": row.desired_state,
        "tier": row.tier_key,
        "isolation_model": row.isolation_model,
        "cloud": row.cloud,
        "region": row.region,
        "pool_id": row.pool_id,
        "cloud_target_id": row.cloud_target_id,
        "labels": row.labels,
        "contacts": _CONTACTS.validate_python(contacts) if contacts else contacts,
        "entitlement_overrides": _FEATURES.validate_python(features) if features else features,
        "billing": {
            "provider": row.billing_provider,
            "stripe_customer_id": row.stripe_customer_id,
            "stripe_subscription_id": row.stripe_subscription_id,
        },
        "suspended_by": row.suspended_by,
        "allowed_actions": _ACTIONS_BY_STATUS[row.status],
        "version": row.version,
        "status_changed_at": row.status_changed_at,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def tenant_json(row: Any) -> bytes:
    """The JSON of `tenant_out(row)`, for a stored row (ORM object or plain row)."""
    return to_json(_presented(row))


def tenant_page_json(rows: list[Any], next_cursor: str | None) -> bytes:
    """The JSON of a `Page[TenantOut]` of stored rows."""
    return to_json({"items": [_presented(row) for row in rows], "next_cursor": next_cursor})


def snapshot(tenant: Tenant) -> dict[str, Any]:
    return tenant_out(tenant).model_dump(mode="json", exclude={"allowed_actions"})
