"""The Stripe calls the control plane makes on its own: Checkout and portal sessions, entitlements.

Synchronous (`stripe.StripeClient`); callers run them in a thread. Every POST carries an
`Idempotency-Key` derived from our own record's id (BILLING_AND_RELIABILITY.md R12), so a retried
request cannot create a second session.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import stripe
from stripe.params.billing_portal import SessionCreateParams as PortalSessionCreateParams
from stripe.params.checkout import SessionCreateParams

from paybill_control_plane.billing._stripe_values import timestamp
from paybill_control_plane.config import Settings
from paybill_control_plane.errors import ControlPlaneError

__all__ = ["CreatedSession", "StripeBillingClient", "StripeNotConfigured", "StripeUnavailable"]


class StripeNotConfigured(ControlPlaneError):
    status = 503
    type_slug = "stripe-not-configured"
    title = "Stripe is not configured"


class StripeUnavailable(ControlPlaneError):
    status = 502
    type_slug = "stripe-error"
    title = "Stripe refused or could not be reached"


@dataclass(frozen=True)
class CreatedSession:
    id: str
    url: str | None
    expires_at: datetime | None


class StripeBillingClient:
    def __init__(self, api_key: str, api_base: str | None = None, *, retries: int = 2) -> None:
        self._client = stripe.StripeClient(
            api_key,
            base_addresses={"api": api_base} if api_base else {},
            max_network_retries=retries,
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> StripeBillingClient:
        """The client, or a 503 problem when `PAYBILL_STRIPE_API_KEY` is not set."""
        key = settings.stripe_api_key.get_secret_value() if settings.stripe_api_key else ""
        if not key:
            raise StripeNotConfigured(
                "PAYBILL_STRIPE_API_KEY is not set: the control plane cannot create Stripe sessions."
            )
        return cls(key, settings.stripe_api_base)

    def create_checkout_session(
        self, params: SessionCreateParams, idempotency_key: str
    ) -> CreatedSession:
        obj = _call(
            lambda: self._client.v1.checkout.sessions.create(
                params, {"idempotency_key": idempotency_key}
            )
        )
        return CreatedSession(id=obj.id, url=obj.url, expires_at=timestamp(obj.expires_at))

    def create_portal_session(self, customer: str, return_url: str | None, key: str) -> str:
        params: PortalSessionCreateParams = {"customer": customer}
        if return_url:
            params["return_url"] = return_url
        obj = _call(
            lambda: self._client.v1.billing_portal.sessions.create(params, {"idempotency_key": key})
        )
        return str(obj.url)

    def active_entitlement_keys(self, customer: str, page_size: int = 100) -> list[str]:
        """Every active entitlement's feature lookup key, through all pages."""
        page = _call(
            lambda: self._client.v1.entitlements.active_entitlements.list(
                {"customer": customer, "limit": page_size}
            )
        )
        keys: list[str] = []
        while True:
            keys.extend(lookup_key(e.to_dict()) or "" for e in page.data)
            if not page.has_more or not page.data:
                return sorted({k for k in keys if k})
            page = _call(page.next_page)


def lookup_key(entitlement: Mapping[str, Any]) -> str | None:
    """An active entitlement's feature lookup key (top-level, or on the expanded feature)."""
    key = entitlement.get("lookup_key")
    if isinstance(key, str) and key:
        return key
    feature = entitlement.get("feature")
    if isinstance(feature, Mapping):
        inner = feature.get("lookup_key")
        return inner if isinstance(inner, str) and inner else None
    return None


def _call(fn: Any) -> Any:
    try:
        return fn()
    except stripe.StripeError as exc:
        # Stripe's message only (never the request, which carries the key).
        raise StripeUnavailable(
            f"Stripe answered {exc.http_status or 'nothing'}: {exc.user_message or type(exc).__name__}",
        ) from exc
