"""Snapshots from Stripe objects and the status -> desired-state table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import stripe

from paybill_control_plane.billing.desired_state import (
    AmbiguousTierError,
    DesiredState,
    SnapshotError,
    SubscriptionSnapshot,
    UnknownPriceError,
    UnknownStatusError,
    decide,
    past_due_since_for,
    snapshot_from_event,
    snapshot_from_stripe,
)

from . import events

PRICES = {"price_basic_m": "basic", "price_pro_m": "pro", "price_pro_y": "pro"}
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def snap(status: str = "active", *, observed: datetime = T0, **kw: Any) -> SubscriptionSnapshot:
    kw.setdefault("price_id", "price_pro_m")
    return snapshot_from_stripe(events.subscription(status=status, **kw), observed)


# --------------------------------------------------------------------------- snapshots


def test_snapshot_from_the_fixture_subscription() -> None:
    raw = events.resource("subscription")
    s = snapshot_from_stripe(raw, 1_700_000_000)
    assert s.id == "sub_1Pgc6rB7WZ01zgkWNy0Cn5nw"
    assert s.customer == "cus_QXg1o8vcGmoR32"
    assert s.status == "active"
    assert s.price_ids == ("price_1PgafmB7WZ01zgkW6dKueIc5",)
    assert s.quantity == 1
    # API >= 2025-03-31: the period lives on the items only.
    assert "current_period_end" not in raw
    assert s.current_period_end == datetime.fromtimestamp(976287773, UTC)
    assert s.trial_end == datetime.fromtimestamp(1234567890, UTC)
    assert s.cancel_at_period_end is True
    assert s.canceled_at == s.ended_at == datetime.fromtimestamp(1234567890, UTC)
    assert s.metadata == {}
    assert s.state_time == datetime.fromtimestamp(1_700_000_000, UTC)
    assert s.authoritative is False


def test_snapshot_from_a_stripe_object_equals_the_dict_one() -> None:
    raw = events.subscription(price_id=["price_pro_m", "price_addon"], quantity=3)
    obj = stripe.StripeObject.construct_from(raw, "sk_test_x")
    assert not isinstance(obj, dict)
    assert snapshot_from_stripe(obj, T0, authoritative=True) == snapshot_from_stripe(
        raw, T0, authoritative=True
    )
    assert snapshot_from_stripe(obj, T0).quantity == 6


def test_snapshot_legacy_fields_and_expanded_customer() -> None:
    raw = events.subscription(
        customer=None,
        current_period_end=1_800_000_000,
        metadata={"tenant_id": "t_1", "n": 5},  # type: ignore[dict-item]
    )
    raw["customer"] = {"id": "cus_expanded", "object": "customer"}
    raw["items"]["data"][0]["price"] = "price_as_id"
    s = snapshot_from_stripe(raw, T0)
    assert s.customer == "cus_expanded"
    assert s.current_period_end == datetime.fromtimestamp(1_800_000_000, UTC)
    assert s.price_ids == ("price_as_id",)
    assert s.metadata == {"tenant_id": "t_1", "n": "5"}


def test_snapshot_from_event_uses_the_event_created_time() -> None:
    obj = events.subscription(status="past_due", price_id="price_basic_m")
    event = events.make_event("customer.subscription.updated", obj, created=1_772_000_000)
    s = snapshot_from_event(event)
    assert s.status == "past_due"
    assert s.state_time == datetime.fromtimestamp(1_772_000_000, UTC)
    assert not s.authoritative
    with pytest.raises(SnapshotError):
        snapshot_from_event(events.make_event("invoice.paid", events.invoice(), created=1))


@pytest.mark.parametrize(
    "mutate",
    [
        lambda o: o.pop("id"),
        lambda o: o.update(status=None),
        lambda o: o.update(object="invoice"),
    ],
)
def test_snapshot_rejects_non_subscriptions(mutate: Any) -> None:
    raw = events.subscription()
    mutate(raw)
    with pytest.raises(SnapshotError):
        snapshot_from_stripe(raw, T0)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        snapshot_from_stripe(events.subscription(), datetime(2026, 1, 1))
    with pytest.raises(ValueError):
        decide(snap(), PRICES, now=datetime(2026, 1, 1))


# --------------------------------------------------------------------------- decide()


@pytest.mark.parametrize(
    ("status", "state", "tier"),
    [
        ("trialing", DesiredState.provisioned, "pro"),
        ("active", DesiredState.provisioned, "pro"),
        ("incomplete", DesiredState.not_provisioned, "pro"),
        ("incomplete_expired", DesiredState.not_provisioned, "pro"),
        ("past_due", DesiredState.grace, "pro"),
        ("unpaid", DesiredState.suspended, "pro"),
        ("paused", DesiredState.suspended, "pro"),
        ("canceled", DesiredState.cancelled, "pro"),
    ],
)
def test_status_table(status: str, state: DesiredState, tier: str) -> None:
    d = decide(snap(status, quantity=7), PRICES, now=T0, past_due_since=T0)
    assert d.state is state
    assert d.tier_key == tier
    assert d.seats == 7
    assert d.status == status
    assert d.subscription_id == snap(status).id
    assert d.reason
    assert d.terminal == (status in {"canceled", "incomplete_expired"})
    assert (d.suspend_at is not None) == (status == "past_due")
    assert (d.deprovision_at is not None) == (status == "canceled")


@pytest.mark.parametrize(
    ("elapsed", "state"),
    [
        (timedelta(0), DesiredState.grace),
        (3 * DAY - timedelta(seconds=1), DesiredState.grace),
        (3 * DAY, DesiredState.suspended),
        (30 * DAY, DesiredState.suspended),
    ],
)
def test_grace_boundary(elapsed: timedelta, state: DesiredState) -> None:
    since = T0 - 2 * DAY
    d = decide(snap("past_due"), PRICES, now=since + elapsed, past_due_since=since)
    assert d.state is state
    assert d.suspend_at == since + 3 * DAY
    assert d.past_due_since == since
    assert d.review_at == (since + 3 * DAY if state is DesiredState.grace else None)
    assert d.tier_key == "pro"  # the tenant keeps its tier while in grace or suspended


def test_grace_zero_suspends_at_once_and_custom_grace() -> None:
    s = snap("past_due")
    assert decide(s, PRICES, now=T0, grace_period=timedelta(0), past_due_since=T0).state is (
        DesiredState.suspended
    )
    d = decide(s, PRICES, now=T0 + 6 * DAY, grace_period=7 * DAY, past_due_since=T0)
    assert d.state is DesiredState.grace


def test_past_due_without_a_recorded_start_counts_from_the_snapshot() -> None:
    s = snap("past_due", observed=T0)
    assert decide(s, PRICES, now=T0 + 2 * DAY).state is DesiredState.grace
    assert decide(s, PRICES, now=T0 + 3 * DAY).state is DesiredState.suspended


def test_past_due_since_is_kept_across_rereads() -> None:
    first = snap("past_due", observed=T0)
    since = past_due_since_for(first, "active", None)
    assert since == T0
    reread = snap("past_due", observed=T0 + 4 * DAY)
    since = past_due_since_for(reread, "past_due", since)
    assert since == T0
    assert decide(reread, PRICES, now=T0 + 4 * DAY, past_due_since=since).state is (
        DesiredState.suspended
    )
    assert past_due_since_for(snap("active"), "past_due", since) is None


def test_canceled_retention() -> None:
    ended = int((T0 - 5 * DAY).timestamp())
    s = snap("canceled", ended_at=ended, canceled_at=ended - 100)
    d = decide(s, PRICES, now=T0)
    assert d.deprovision_at == T0 - 5 * DAY + 30 * DAY
    assert d.review_at == d.deprovision_at
    zero = decide(s, PRICES, now=T0, retention=timedelta(0))
    assert zero.deprovision_at == T0 - 5 * DAY
    assert zero.deprovision_at <= T0
    assert zero.review_at is None


def test_canceled_base_falls_back_to_canceled_at_then_state_time() -> None:
    canceled = int((T0 - DAY).timestamp())
    d = decide(snap("canceled", ended_at=None, canceled_at=canceled), PRICES, now=T0)
    assert d.deprovision_at == T0 - DAY + 30 * DAY
    s = snap("canceled", ended_at=None, canceled_at=None, observed=T0 - 2 * DAY)
    first = decide(s, PRICES, now=T0)
    later = decide(s, PRICES, now=T0 + 10 * DAY)
    # Deciding again later must not push deprovisioning forward.
    assert first.deprovision_at == later.deprovision_at == T0 - 2 * DAY + 30 * DAY


def test_cancel_at_period_end_stays_provisioned() -> None:
    s = snap("active", cancel_at_period_end=True, cancel_at=int((T0 + 9 * DAY).timestamp()))
    assert decide(s, PRICES, now=T0).state is DesiredState.provisioned


@pytest.mark.parametrize("status", ["trialing", "active", "past_due", "unpaid", "paused"])
def test_unknown_price_is_a_clear_error(status: str) -> None:
    s = snap(status, price_id="price_not_in_catalog")
    with pytest.raises(UnknownPriceError) as info:
        decide(s, PRICES, now=T0, past_due_since=T0)
    assert "price_not_in_catalog" in str(info.value)
    assert info.value.subscription_id == s.id
    assert info.value.price_ids == ("price_not_in_catalog",)


@pytest.mark.parametrize("status", ["incomplete", "incomplete_expired", "canceled"])
def test_unknown_price_never_blocks_cleanup(status: str) -> None:
    d = decide(snap(status, price_id="price_gone"), PRICES, now=T0)
    assert d.tier_key is None
    assert d.unmapped_price_ids == ("price_gone",)


def test_add_on_prices_and_seats() -> None:
    s = snap("active", price_id=["price_pro_m", "price_storage_addon"], quantity=4)
    d = decide(s, PRICES, now=T0)
    assert d.tier_key == "pro"
    assert d.seats == 4  # only the tier's item counts
    assert d.unmapped_price_ids == ("price_storage_addon",)
    two_pro_items = snap("active", price_id=["price_pro_m", "price_pro_y"], quantity=2)
    assert decide(two_pro_items, PRICES, now=T0).seats == 4


def test_prices_of_two_tiers_are_ambiguous() -> None:
    with pytest.raises(AmbiguousTierError):
        decide(snap("active", price_id=["price_basic_m", "price_pro_m"]), PRICES, now=T0)


def test_metered_item_has_no_seats() -> None:
    assert decide(snap("active", quantity=None), PRICES, now=T0).seats is None


def test_unknown_status_and_negative_durations() -> None:
    raw = events.subscription(price_id="price_pro_m")
    raw["status"] = "frozen"
    with pytest.raises(UnknownStatusError):
        decide(snapshot_from_stripe(raw, T0), PRICES, now=T0)
    with pytest.raises(ValueError):
        decide(snap(), PRICES, now=T0, grace_period=-DAY)
    with pytest.raises(ValueError):
        decide(snap(), PRICES, now=T0, retention=-DAY)
