"""Re-read subscriptions from Stripe: the authoritative source every event only points at (R10).

A re-read is stamped with the response's `Date` header, i.e. Stripe's clock (whole seconds), which
is the clock that stamps event `created` too; our own clock is the fallback. That keeps the
ordering of re-reads against snapshot events (`should_apply`) free of local clock skew.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, Final, Literal

import stripe
from stripe.params import SubscriptionListParams

from paybill_control_plane.billing.desired_state import SubscriptionSnapshot, snapshot_from_stripe

__all__ = ["StripeSubscriptionReader", "SubscriptionNotFoundError"]

ListStatus = Literal[
    "all",
    "active",
    "canceled",
    "ended",
    "incomplete",
    "incomplete_expired",
    "past_due",
    "paused",
    "trialing",
    "unpaid",
]

# A Date header further than this from our clock is not trusted (a proxy's cache, a broken fake).
_MAX_SERVER_SKEW: Final = timedelta(minutes=10)


class SubscriptionNotFoundError(LookupError):
    """Stripe has no subscription with this id (wrong id, account or mode)."""

    def __init__(self, subscription_id: str) -> None:
        super().__init__(f"Stripe has no subscription {subscription_id!r}")
        self.subscription_id = subscription_id


class StripeSubscriptionReader:
    """Reads subscriptions through `stripe.StripeClient` and returns authoritative snapshots."""

    def __init__(
        self,
        api_key: str,
        api_base: str | None = None,
        *,
        max_network_retries: int = 2,
        clock: Callable[[], datetime] | None = None,
        client: stripe.StripeClient | None = None,
    ) -> None:
        if not api_key or not api_key.strip():
            raise ValueError("a Stripe API key is required")
        self._clock = clock or _utcnow
        self._client = client or stripe.StripeClient(
            api_key,
            base_addresses={"api": api_base} if api_base else {},
            max_network_retries=max_network_retries,
        )

    def retrieve_subscription(self, sub_id: str) -> SubscriptionSnapshot:
        """The subscription as Stripe holds it now (authoritative)."""
        if not sub_id:
            raise ValueError("a subscription id is required")
        try:
            # Subscription items always embed the full `price`; nothing needs expanding.
            obj = self._client.v1.subscriptions.retrieve(sub_id)
        except stripe.InvalidRequestError as exc:
            if exc.http_status == 404:
                raise SubscriptionNotFoundError(sub_id) from None
            raise
        return snapshot_from_stripe(
            obj.to_dict(), self._observed_at(obj.last_response), authoritative=True
        )

    def list_subscriptions(
        self, status: ListStatus = "all", *, customer: str | None = None, page_size: int = 100
    ) -> Iterator[SubscriptionSnapshot]:
        """Every subscription with `status` (default all, canceled included), page by page."""
        params: SubscriptionListParams = {"status": status, "limit": page_size}
        if customer:
            params["customer"] = customer
        page = self._client.v1.subscriptions.list(params)
        # Paged by hand with the library's own `next_page` (what `auto_paging_iter` does) so each
        # page's items are stamped with that page's response time: every page is its own read.
        while True:
            observed_at = self._observed_at(page.last_response)
            for obj in page.data:
                yield snapshot_from_stripe(obj.to_dict(), observed_at, authoritative=True)
            if not page.has_more or not page.data:
                return
            page = page.next_page()

    def _observed_at(self, response: Any) -> datetime:
        local = self._clock()
        server = _date_header(getattr(response, "headers", None))
        if server is not None and abs(server - local) <= _MAX_SERVER_SKEW:
            return server
        return local


def _date_header(headers: Mapping[str, str] | None) -> datetime | None:
    if not headers:
        return None
    raw = headers.get("date") or headers.get("Date")
    if not raw:
        return None
    try:
        value = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if value.tzinfo is None:
        return None
    return value.astimezone(UTC)


def _utcnow() -> datetime:
    return datetime.now(UTC)
