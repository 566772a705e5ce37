"""Stripe subscription state -> the tenant's desired state. Pure: no database, no network, no clock.

Every Stripe event is treated as a signal to converge on the subscription's *current* state
(BILLING_AND_RELIABILITY.md R7, R8, R10): a `SubscriptionSnapshot` is either the object embedded
in a snapshot event (ordered by the event's `created`) or a re-read from the API (authoritative,
ordered by the time of the read). `should_apply` decides whether a snapshot may replace the one
already applied, and `decide` maps the applied snapshot to a `Decision`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from paybill_control_plane.billing._stripe_values import SnapshotError, aware_datetime
from paybill_control_plane.billing.snapshots import (
    SUBSCRIPTION_STATUSES,
    TERMINAL_STATUSES,
    SubscriptionItemSnapshot,
    SubscriptionSnapshot,
    event_created_at,
    snapshot_from_event,
    snapshot_from_stripe,
    sum_quantities,
)
from paybill_control_plane.models.enums import SubscriptionDesiredState as DesiredState

__all__ = [
    "DEFAULT_GRACE_PERIOD",
    "DEFAULT_RETENTION",
    "SUBSCRIPTION_STATUSES",
    "TERMINAL_STATUSES",
    "AmbiguousTierError",
    "Decision",
    "DesiredState",
    "PriceMappingError",
    "SnapshotError",
    "SubscriptionItemSnapshot",
    "SubscriptionSnapshot",
    "UnknownPriceError",
    "UnknownStatusError",
    "decide",
    "event_created_at",
    "past_due_since_for",
    "should_apply",
    "snapshot_from_event",
    "snapshot_from_stripe",
]

DEFAULT_GRACE_PERIOD: Final = timedelta(days=3)
DEFAULT_RETENTION: Final = timedelta(days=30)


# Only used to break ties between two snapshots stamped with the same second: Stripe's lifecycle
# moves forward (incomplete -> trialing -> active -> past_due -> unpaid/paused -> canceled)
# far more often than back within one second.
_STATUS_RANK: Final[Mapping[str, int]] = {
    "incomplete": 0,
    "trialing": 1,
    "active": 2,
    "past_due": 3,
    "unpaid": 4,
    "paused": 4,
    "incomplete_expired": 5,
    "canceled": 5,
}


class UnknownStatusError(ValueError):
    """A subscription status this code does not know; refuse rather than guess."""


class PriceMappingError(ValueError):
    """The subscription's prices do not map to exactly one tier."""

    def __init__(self, message: str, subscription_id: str, price_ids: tuple[str, ...]) -> None:
        super().__init__(message)
        self.subscription_id = subscription_id
        self.price_ids = price_ids


class UnknownPriceError(PriceMappingError):
    """None of the subscription's prices is mapped to a tier (a plan missing from the catalog)."""


class AmbiguousTierError(PriceMappingError):
    """The subscription's prices map to more than one tier."""


@dataclass(frozen=True)
class Decision:
    """What the tenant behind one subscription should look like, and when to look again."""

    subscription_id: str
    customer: str | None
    status: str
    state: DesiredState
    tier_key: str | None
    seats: int | None
    state_time: datetime
    reason: str
    suspend_at: datetime | None = None
    deprovision_at: datetime | None = None
    past_due_since: datetime | None = None
    # Unmapped prices next to a mapped one (add-ons); reported, not fatal.
    unmapped_price_ids: tuple[str, ...] = ()
    # The next moment this decision changes by the passage of time alone (schedule a re-check).
    review_at: datetime | None = None

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL_STATUSES


# --------------------------------------------------------------------------- ordering


def should_apply(
    current_state_time: datetime | None,
    incoming_state_time: datetime,
    authoritative: bool,
    *,
    current_status: str | None = None,
    incoming_status: str | None = None,
) -> bool:
    """May a snapshot stamped `incoming_state_time` replace the applied one?

    * Nothing applied yet: yes.
    * An authoritative re-read wins unless the applied state is strictly newer than the read
      (a slow re-read that finishes after a newer one must not roll the state back).
    * A snapshot event never resurrects a terminal subscription (canceled, incomplete_expired).
    * Otherwise the newer time wins; on a tie (Stripe stamps whole seconds) the status that lies
      further along Stripe's lifecycle wins, and with unknown statuses the later delivery wins.
    """
    if current_state_time is None:
        return True
    if authoritative:
        return incoming_state_time >= current_state_time
    if (
        current_status in TERMINAL_STATUSES
        and incoming_status is not None
        and incoming_status not in TERMINAL_STATUSES
    ):
        return False
    if incoming_state_time != current_state_time:
        return incoming_state_time > current_state_time
    if current_status is None or incoming_status is None:
        return True
    return _STATUS_RANK.get(incoming_status, -1) >= _STATUS_RANK.get(current_status, -1)


def past_due_since_for(
    snapshot: SubscriptionSnapshot,
    previous_status: str | None,
    previous_past_due_since: datetime | None,
) -> datetime | None:
    """When the current past_due spell began: kept while past_due lasts, reset when it ends.

    Persist this next to the applied snapshot: a re-read is stamped "now", so deriving the start
    from the snapshot alone would restart the grace period on every re-read.
    """
    if snapshot.status != "past_due":
        return None
    if previous_status == "past_due" and previous_past_due_since is not None:
        return previous_past_due_since
    return snapshot.state_time


# --------------------------------------------------------------------------- decisions


def decide(
    snapshot: SubscriptionSnapshot,
    price_to_tier: Mapping[str, str],
    *,
    now: datetime,
    grace_period: timedelta = DEFAULT_GRACE_PERIOD,
    retention: timedelta = DEFAULT_RETENTION,
    past_due_since: datetime | None = None,
) -> Decision:
    """Map a subscription to the tenant's desired state (the status table of the billing doc)."""
    now = aware_datetime(now)
    if grace_period < timedelta(0) or retention < timedelta(0):
        raise ValueError("grace_period and retention must not be negative")
    status = snapshot.status
    if status not in SUBSCRIPTION_STATUSES:
        raise UnknownStatusError(f"subscription {snapshot.id} has unknown status {status!r}")

    # Cleanup paths never fail on the catalog: a missing price must not block deprovisioning.
    needs_tier = status not in {"incomplete", "incomplete_expired", "canceled"}
    tier_key, seats, unmapped = _resolve_tier(snapshot, price_to_tier, required=needs_tier)

    def make(state: DesiredState, reason: str, **extra: Any) -> Decision:
        return Decision(
            subscription_id=snapshot.id,
            customer=snapshot.customer,
            status=status,
            state=state,
            tier_key=tier_key,
            seats=seats,
            state_time=snapshot.state_time,
            reason=reason,
            unmapped_price_ids=unmapped,
            **extra,
        )

    if status in {"trialing", "active"}:
        return make(DesiredState.provisioned, f"subscription is {status}")
    if status in {"incomplete", "incomplete_expired"}:
        return make(DesiredState.not_provisioned, f"subscription is {status}: nothing is paid")
    if status == "past_due":
        since = (
            aware_datetime(past_due_since) if past_due_since is not None else snapshot.state_time
        )
        deadline = since + grace_period
        if now < deadline:
            return make(
                DesiredState.grace,
                f"past_due since {since.isoformat()}, grace until {deadline.isoformat()}",
                suspend_at=deadline,
                past_due_since=since,
                review_at=deadline,
            )
        return make(
            DesiredState.suspended,
            f"past_due since {since.isoformat()}, grace ended {deadline.isoformat()}",
            suspend_at=deadline,
            past_due_since=since,
        )
    if status in {"unpaid", "paused"}:
        return make(DesiredState.suspended, f"subscription is {status}: access off, data kept")

    # canceled. The base is a property of the subscription (not `now`), so deciding again later
    # yields the same deprovision_at instead of pushing it forward on every re-check.
    base = snapshot.ended_at or snapshot.canceled_at or snapshot.state_time
    deprovision_at = base + retention
    return make(
        DesiredState.cancelled,
        f"subscription ended {base.isoformat()}; deprovision at {deprovision_at.isoformat()}",
        deprovision_at=deprovision_at,
        review_at=deprovision_at if deprovision_at > now else None,
    )


def _resolve_tier(
    snapshot: SubscriptionSnapshot, price_to_tier: Mapping[str, str], *, required: bool
) -> tuple[str | None, int | None, tuple[str, ...]]:
    mapped = [item for item in snapshot.items if item.price_id in price_to_tier]
    unmapped = tuple(item.price_id for item in snapshot.items if item.price_id not in price_to_tier)
    tiers = sorted({price_to_tier[item.price_id] for item in mapped})
    if len(tiers) == 1:
        return tiers[0], sum_quantities(mapped), unmapped
    if not required:
        return None, snapshot.quantity, unmapped
    if not tiers:
        shown = ", ".join(snapshot.price_ids) or "none"
        raise UnknownPriceError(
            f"subscription {snapshot.id}: no price maps to a tier (prices: {shown}); "
            "add the price to a plan in the catalog",
            snapshot.id,
            snapshot.price_ids,
        )
    raise AmbiguousTierError(
        f"subscription {snapshot.id}: prices map to several tiers ({', '.join(tiers)})",
        snapshot.id,
        snapshot.price_ids,
    )
