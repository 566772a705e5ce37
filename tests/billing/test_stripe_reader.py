"""StripeSubscriptionReader through the real StripeClient against the local fake Stripe API."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import stripe

from paybill_control_plane.billing.desired_state import DesiredState, decide
from paybill_control_plane.billing.stripe_reader import (
    StripeSubscriptionReader,
    SubscriptionNotFoundError,
)

from . import events
from .stripe_fakes import FakeStripeAPI


@pytest.fixture
def fake() -> Iterator[FakeStripeAPI]:
    with FakeStripeAPI() as api:
        yield api


def _reader(fake: FakeStripeAPI, key: str | None = None) -> StripeSubscriptionReader:
    return StripeSubscriptionReader(key or fake.api_key, fake.base_url, max_network_retries=0)


def test_retrieve_is_authoritative_and_stamped_now(fake: FakeStripeAPI) -> None:
    fake.add_subscription(events.subscription(id="sub_r1", status="trialing", price_id="price_p"))
    before = datetime.now(UTC).replace(microsecond=0)
    snap = _reader(fake).retrieve_subscription("sub_r1")
    after = datetime.now(UTC)
    assert snap.id == "sub_r1"
    assert snap.status == "trialing"
    assert snap.price_ids == ("price_p",)
    assert snap.authoritative
    assert before - timedelta(seconds=1) <= snap.state_time <= after
    assert decide(snap, {"price_p": "pro"}, now=after).state is DesiredState.provisioned

    [request] = fake.requests
    assert (request.method, request.path) == ("GET", "/v1/subscriptions/sub_r1")
    assert request.authorization == f"Bearer {fake.api_key}"
    fake.assert_all_authorized()


def test_clock_is_the_fallback_without_a_usable_date(fake: FakeStripeAPI) -> None:
    fake.add_subscription(events.subscription(id="sub_r2"))
    far = datetime(2031, 1, 1, tzinfo=UTC)  # the fake's Date header is 5 years off: not trusted
    reader = StripeSubscriptionReader(
        fake.api_key, fake.base_url, max_network_retries=0, clock=lambda: far
    )
    assert reader.retrieve_subscription("sub_r2").state_time == far


def test_missing_subscription(fake: FakeStripeAPI) -> None:
    with pytest.raises(SubscriptionNotFoundError) as info:
        _reader(fake).retrieve_subscription("sub_nope")
    assert info.value.subscription_id == "sub_nope"


def test_the_api_key_is_sent(fake: FakeStripeAPI) -> None:
    fake.add_subscription(events.subscription(id="sub_r3"))
    with pytest.raises(stripe.AuthenticationError):
        _reader(fake, key="sk_test_wrong").retrieve_subscription("sub_r3")
    assert len(fake.unauthorized) == 1
    with pytest.raises(AssertionError):
        fake.assert_all_authorized()
    with pytest.raises(ValueError):
        StripeSubscriptionReader("  ")


def test_list_pages_through_everything(fake: FakeStripeAPI) -> None:
    statuses = ["active", "canceled", "past_due", "trialing", "canceled", "unpaid", "active"]
    for i, status in enumerate(statuses):
        fake.add_subscription(events.subscription(id=f"sub_l{i}", status=status))
    snaps = list(_reader(fake).list_subscriptions(page_size=3))
    assert [s.id for s in snaps] == [f"sub_l{i}" for i in range(7)]
    assert [s.status for s in snaps] == statuses
    assert all(s.authoritative for s in snaps)

    assert len(fake.requests) == 3
    assert all(r.path == "/v1/subscriptions" for r in fake.requests)
    assert all(r.query["status"] == ["all"] for r in fake.requests)
    assert [r.query.get("starting_after") for r in fake.requests] == [
        None,
        ["sub_l2"],
        ["sub_l5"],
    ]
    fake.assert_all_authorized()


def test_list_filters(fake: FakeStripeAPI) -> None:
    fake.add_subscription(events.subscription(id="sub_a", status="active", customer="cus_1"))
    fake.add_subscription(events.subscription(id="sub_b", status="active", customer="cus_2"))
    fake.add_subscription(events.subscription(id="sub_c", status="canceled", customer="cus_1"))
    reader = _reader(fake)
    assert [s.id for s in reader.list_subscriptions("canceled")] == ["sub_c"]
    assert [s.id for s in reader.list_subscriptions(customer="cus_1")] == ["sub_a", "sub_c"]
    assert list(reader.list_subscriptions("paused")) == []
