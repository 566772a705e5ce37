"""What billing processing carries around: the clock, the settings, Stripe, and the cause."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from paybill_control_plane.billing.desired_state import SubscriptionSnapshot
from paybill_control_plane.billing.stripe_reader import (
    StripeSubscriptionReader,
    SubscriptionNotFoundError,
)
from paybill_control_plane.config import Settings


class EventFailed(Exception):
    """The event cannot be applied, and trying again will not help (an operator must act)."""


class BindingPending(Exception):
    """Not yet: what the event needs (its tenant, its plan) may arrive with a later event."""


@dataclass(frozen=True)
class Cause:
    """Why billing changes something: a Stripe event, a scheduled review, or a reconcile."""

    event_id: str | None
    source: str = "webhook"  # webhook | review | reconcile

    @property
    def trigger(self) -> str:
        """The run trigger: `stripe:evt_…` for events, `stripe:review`, `stripe:reconcile`."""
        if self.source == "webhook" and self.event_id:
            return f"stripe:{self.event_id}"
        return f"stripe:{self.source}"

    def audit(self, **extra: Any) -> dict[str, Any]:
        """Added to the audited `after` of every change billing makes."""
        return {"stripe_event_id": self.event_id, "billing_source": self.source, **extra}


def make_reader(settings: Settings) -> StripeSubscriptionReader | None:
    """A Stripe reader when `PAYBILL_STRIPE_API_KEY` is set; else events are trusted as sent."""
    if settings.stripe_api_key is None or not settings.stripe_api_key.get_secret_value():
        return None
    return StripeSubscriptionReader(
        settings.stripe_api_key.get_secret_value(), settings.stripe_api_base
    )


@dataclass(frozen=True)
class BillingContext:
    settings: Settings
    now: datetime
    reader: StripeSubscriptionReader | None = None

    @property
    def grace_period(self) -> timedelta:
        return timedelta(days=self.settings.billing_grace_period_days)

    @property
    def retention(self) -> timedelta:
        return timedelta(days=self.settings.billing_retention_days)

    async def reread(self, subscription_id: str) -> SubscriptionSnapshot | None:
        """The subscription as Stripe holds it now (None without an API key)."""
        if self.reader is None:
            return None
        try:
            # The Stripe client is synchronous; the worker may share the API's event loop.
            return await asyncio.to_thread(self.reader.retrieve_subscription, subscription_id)
        except SubscriptionNotFoundError as exc:
            raise EventFailed(f"{exc} (wrong account or mode?)") from exc
