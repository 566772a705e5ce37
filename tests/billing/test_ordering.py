"""should_apply: out-of-order, duplicated and same-second snapshot events converge (R7, R8)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import permutations

import pytest

from paybill_control_plane.billing.desired_state import (
    SubscriptionSnapshot,
    should_apply,
    snapshot_from_event,
    snapshot_from_stripe,
)

from . import events

T = 1_772_000_000
SUB = "sub_ordering"


def _event(kind: str, status: str, created: int) -> SubscriptionSnapshot:
    obj = events.subscription(id=SUB, status=status, price_id="price_pro_m")
    return snapshot_from_event(
        events.make_event(f"customer.subscription.{kind}", obj, created=created)
    )


@dataclass
class Applied:
    """What the worker keeps per subscription: the last applied snapshot."""

    snapshot: SubscriptionSnapshot | None = None

    def offer(self, incoming: SubscriptionSnapshot) -> bool:
        current = self.snapshot
        ok = should_apply(
            current.state_time if current else None,
            incoming.state_time,
            incoming.authoritative,
            current_status=current.status if current else None,
            incoming_status=incoming.status,
        )
        if ok:
            self.snapshot = incoming
        return ok

    @property
    def status(self) -> str | None:
        return self.snapshot.status if self.snapshot else None


def test_nothing_applied_yet() -> None:
    assert should_apply(None, datetime.now(UTC), False)


def test_newer_wins_older_loses() -> None:
    t = datetime(2026, 1, 1, tzinfo=UTC)
    assert should_apply(t, t + timedelta(seconds=1), False)
    assert not should_apply(t, t - timedelta(seconds=1), False)


def test_deleted_before_an_older_updated_active_stays_cancelled() -> None:
    applied = Applied()
    assert applied.offer(_event("deleted", "canceled", T + 60))
    assert not applied.offer(_event("updated", "active", T + 30))
    assert applied.status == "canceled"


def test_a_later_active_snapshot_cannot_resurrect_a_cancelled_subscription() -> None:
    applied = Applied()
    applied.offer(_event("deleted", "canceled", T))
    assert not applied.offer(_event("updated", "active", T + 600))
    assert applied.status == "canceled"
    # Stripe itself (a re-read) is believed.
    reread = snapshot_from_stripe(
        events.subscription(id=SUB, status="active"),
        datetime.fromtimestamp(T + 700, UTC),
        authoritative=True,
    )
    assert applied.offer(reread)
    assert applied.status == "active"
    # A terminal update of a terminal subscription (e.g. metadata) is fine.
    applied = Applied()
    applied.offer(_event("deleted", "canceled", T))
    assert applied.offer(_event("updated", "canceled", T + 5))


@pytest.mark.parametrize(
    "order",
    list(
        permutations(
            [
                ("created", "incomplete", T),
                ("updated", "active", T + 2),
                ("updated", "past_due", T + 40),
                ("deleted", "canceled", T + 90),
            ]
        )
    ),
)
def test_every_delivery_order_converges(order: tuple[tuple[str, str, int], ...]) -> None:
    applied = Applied()
    for kind, status, created in order:
        applied.offer(_event(kind, status, created))
    assert applied.status == "canceled"
    assert applied.snapshot is not None
    assert applied.snapshot.state_time == datetime.fromtimestamp(T + 90, UTC)


@pytest.mark.parametrize(
    "order",
    [
        [("created", "incomplete"), ("updated", "active")],
        [("updated", "active"), ("created", "incomplete")],
    ],
)
def test_same_second_ties_follow_the_lifecycle(order: list[tuple[str, str]]) -> None:
    # Checkout creates, pays and activates a subscription within one second.
    applied = Applied()
    for kind, status in order:
        applied.offer(_event(kind, status, T))
    assert applied.status == "active"


def test_duplicate_delivery_is_idempotent() -> None:
    applied = Applied()
    event = _event("updated", "active", T)
    assert applied.offer(event)
    assert applied.offer(event)
    assert applied.status == "active"


def test_tie_without_statuses_takes_the_later_delivery() -> None:
    t = datetime(2026, 1, 1, tzinfo=UTC)
    assert should_apply(t, t, False)


def test_authoritative_rereads_are_ordered_too() -> None:
    t = datetime(2026, 1, 1, tzinfo=UTC)
    assert should_apply(t, t, True)
    assert should_apply(t, t + timedelta(seconds=1), True, current_status="canceled")
    # A slow re-read finishing after a newer state was applied must not roll it back.
    assert not should_apply(t, t - timedelta(seconds=1), True)
