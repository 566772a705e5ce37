"""/v1/tenants/{tenant_id}/checkout-sessions, /v1/checkout-sessions (sign-up) and
/v1/tenants/{tenant_id}/billing-portal-sessions: Stripe sessions created server-side."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, status

from paybill_control_plane.auth.dependencies import BillingWriter, CheckoutCreator
from paybill_control_plane.billing import checkout
from paybill_control_plane.billing.schemas import (
    CheckoutSessionOut,
    PortalSessionCreate,
    PortalSessionOut,
    SignupCheckoutCreate,
    TenantCheckoutCreate,
)
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.http_controls import ControlledRoute
from paybill_control_plane.kit.app_state import SettingsDep
from paybill_control_plane.kit.problems import AUTHED, PROBLEM_MEDIA_TYPE, problem_responses
from paybill_control_plane.models.checkout_session import CheckoutSession
from paybill_control_plane.tenants import repository as tenants_repo

router = APIRouter(tags=["billing"], route_class=ControlledRoute)

_PROBLEM = {"$ref": "#/components/schemas/Problem"}
_STRIPE_RESPONSES: dict[int | str, dict[str, Any]] = {
    502: {
        "description": "Stripe refused the request or could not be reached (`stripe-error`)",
        "content": {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM}},
    },
    503: {
        "description": "PAYBILL_STRIPE_API_KEY is not set (`stripe-not-configured`)",
        "content": {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM}},
    },
}


def checkout_out(row: CheckoutSession) -> CheckoutSessionOut:
    return CheckoutSessionOut(
        id=row.stripe_session_id,
        url=row.url,
        kind=row.kind,
        tenant_id=row.tenant_id,
        plan=row.plan_key,
        status=row.status,
        expires_at=row.expires_at,
        created_at=row.created_at,
    )


@router.post(
    "/v1/tenants/{tenant_id}/checkout-sessions",
    summary="Start a Stripe Checkout for an existing tenant (start paying, change plan)",
    status_code=status.HTTP_201_CREATED,
    responses={**problem_responses(*AUTHED, 404, 409), **_STRIPE_RESPONSES},
)
async def billing_checkout_sessions_create_for_tenant(
    tenant_id: uuid.UUID,
    body: TenantCheckoutCreate,
    session: SessionDep,
    principal: CheckoutCreator,
    settings: SettingsDep,
) -> CheckoutSessionOut:
    """Create the session at Stripe and record that completing it binds this tenant.

    Admin and billing keys, or a tenant key for its own tenant. The plan must exist (404), be
    active with a Stripe price and fit the tenant's cloud and region (422).
    """
    tenant = await tenants_repo.get(session, principal, tenant_id)
    row = await checkout.create_tenant_checkout(session, principal, tenant, body, settings)
    return checkout_out(row)


@router.post(
    "/v1/checkout-sessions",
    summary="Start a Stripe Checkout that signs up a new tenant",
    status_code=status.HTTP_201_CREATED,
    responses={**problem_responses(*AUTHED, 404, 409), **_STRIPE_RESPONSES},
)
async def billing_checkout_sessions_create_signup(
    body: SignupCheckoutCreate,
    session: SessionDep,
    principal: BillingWriter,
    settings: SettingsDep,
) -> CheckoutSessionOut:
    """Validate the new tenant now (plan 404/422, placement 422, slug free 409), create the
    session at Stripe, and record the sign-up; the tenant is created once the checkout completes.
    """
    row = await checkout.create_signup_checkout(session, principal, body, settings)
    return checkout_out(row)


@router.post(
    "/v1/tenants/{tenant_id}/billing-portal-sessions",
    summary="A Stripe customer-portal URL for the tenant",
    status_code=status.HTTP_201_CREATED,
    responses={**problem_responses(*AUTHED, 404, 409), **_STRIPE_RESPONSES},
)
async def billing_portal_sessions_create(
    tenant_id: uuid.UUID,
    body: PortalSessionCreate,
    session: SessionDep,
    principal: CheckoutCreator,
    settings: SettingsDep,
) -> PortalSessionOut:
    """409 `no-stripe-customer` when the tenant has no Stripe customer yet."""
    tenant = await tenants_repo.get(session, principal, tenant_id)
    url = await checkout.create_portal_session(session, principal, tenant, body, settings)
    return PortalSessionOut(url=url)
