"""Billing schemas: the webhook acknowledgement, stored events, subscriptions."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from paybill_control_plane.kit.schemas import OutputModel


class BillingEventStatus(StrEnum):
    received = "received"
    processed = "processed"
    ignored = "ignored"
    failed = "failed"


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


class BillingEventDetail(BillingEventOut):
    payload: dict[str, Any] = Field(description="The verified event as Stripe sent it.")


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
