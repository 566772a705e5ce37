"""Billing schemas: the webhook acknowledgement, stored events, subscriptions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import AnyHttpUrl, Field, UrlConstraints

from paybill_control_plane.kit.schemas import InputModel, Key, Name, OutputModel, Slug
from paybill_control_plane.models.enums import BillingEventStatus, Cloud
from paybill_control_plane.provisioning.schemas import RunStatus

RedirectUrl = Annotated[
    AnyHttpUrl,
    UrlConstraints(max_length=2048, allowed_schemes=["https", "http"]),
    Field(description="Where Stripe sends the customer back (http or https)."),
]


class WebhookAck(OutputModel):
    received: bool = Field(description="Always true: the event is stored (or was already).")
    event_id: str = Field(description="Stripe's event id.")
    type: str
    duplicate: bool = Field(description="True when this event id had been received before.")


class BillingEventOut(OutputModel):
    id: str = Field(description="Stripe's event id (`evt_…`).")
    type: str
    livemode: bool
    status: BillingEventStatus = Field(
        description="received (queued or being retried), processed, ignored or failed."
    )
    attempts: int = Field(description="Processing attempts so far.")
    error: str | None = Field(description="Why the last attempt did not succeed.")
    outcome: str | None = Field(description="What processing did.")
    tenant_id: uuid.UUID | None
    subscription_id: str | None = Field(description="The Stripe subscription it concerns.")
    customer_id: str | None = Field(description="The Stripe customer it concerns.")
    created: datetime = Field(description="When Stripe created the event.")
    received_at: datetime
    processed_at: datetime | None


class EventRun(OutputModel):
    id: uuid.UUID
    kind: str
    status: RunStatus = Field(description="e.g. awaiting_approval while a policy holds it.")


class BillingEventDetail(BillingEventOut):
    payload: dict[str, Any] = Field(description="The verified event as Stripe sent it.")
    runs: list[EventRun] = Field(
        default_factory=list,
        description="The provisioning runs this event started (trigger `stripe:<event id>`).",
    )


class SubscriptionOut(OutputModel):
    provider: str = Field(description="stripe")
    id: str = Field(description="The provider's subscription id (`sub_…`).")
    tenant_id: uuid.UUID | None
    customer_id: str | None
    status: str = Field(description="Stripe's status: trialing, active, past_due, unpaid…")
    plan: str | None = Field(description="The catalog plan its price maps to.")
    tier: str | None
    price_ids: list[str]
    seats: int | None
    current_period_end: datetime | None
    trial_end: datetime | None
    cancel_at_period_end: bool
    canceled_at: datetime | None
    ended_at: datetime | None
    past_due_since: datetime | None
    desired_state: str = Field(
        description="provisioned, not_provisioned, grace, suspended or cancelled."
    )
    reason: str | None
    suspend_at: datetime | None = Field(description="past_due: when the grace period ends.")
    deprovision_at: datetime | None = Field(description="canceled: when retention ends.")
    state_time: datetime = Field(description="When the applied state was true at Stripe.")
    last_event_id: str | None
    updated_at: datetime


class BillingHealth(OutputModel):
    counts: dict[BillingEventStatus, int] = Field(
        description="Stored events by status (every status present, zero included)."
    )
    oldest_unprocessed_age_seconds: float | None = Field(
        description="Age of the oldest event still `received` (queued or being retried); null: "
        "none. Alert when it grows: events are not being applied."
    )
    oldest_unprocessed_event_id: str | None
    healthy: bool = Field(description="No failed events and nothing older than 5 minutes waiting.")


# -- checkout and portal sessions


class TenantCheckoutCreate(InputModel):
    plan: Key = Field(description="The catalog plan to subscribe to (it must have a Stripe price).")
    success_url: RedirectUrl
    cancel_url: RedirectUrl

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "plan": "pro-monthly",
                    "success_url": "https://app.example.com/billing/done",
                    "cancel_url": "https://app.example.com/billing",
                }
            ]
        }
    }


class SignupCheckoutCreate(InputModel):
    slug: Slug = Field(description="The new tenant's slug (must be free).")
    name: Name
    cloud: Cloud
    region: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")
    plan: Key = Field(description="The catalog plan to subscribe to (it must have a Stripe price).")
    success_url: RedirectUrl
    cancel_url: RedirectUrl

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "slug": "acme",
                    "name": "Acme Corp",
                    "cloud": "local",
                    "region": "local-1",
                    "plan": "pro-monthly",
                    "success_url": "https://acme.example.com/welcome",
                    "cancel_url": "https://example.com/pricing",
                }
            ]
        }
    }


class CheckoutSessionOut(OutputModel):
    id: str = Field(description="Stripe's Checkout Session id (`cs_…`).")
    url: str | None = Field(description="Send the customer here to pay.")
    kind: str = Field(description="tenant (an existing tenant pays) or signup (a new tenant).")
    tenant_id: uuid.UUID | None
    plan: str
    status: str = Field(description="open, or completed once Stripe reported it.")
    expires_at: datetime | None
    created_at: datetime


class PortalSessionCreate(InputModel):
    return_url: RedirectUrl | None = None


class PortalSessionOut(OutputModel):
    url: str = Field(
        description="Stripe's customer portal for the tenant's customer (short-lived)."
    )
