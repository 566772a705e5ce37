"""Which subscription / customer each handled event concerns, from fixtures3 objects."""

from __future__ import annotations

from typing import Any

import pytest

from paybill_control_plane.billing.event_refs import (
    CUSTOMER_NOTICE_EVENT_TYPES,
    HANDLED_EVENT_TYPES,
    NOTIFY_ONLY_EVENT_TYPES,
    event_customer_ref,
    event_subscription_ref,
)

from . import events

SUB = "sub_refs_0001"
CUS = "cus_refs_0001"


def _sub() -> dict[str, Any]:
    return events.subscription(id=SUB, customer=CUS)


def _inv() -> dict[str, Any]:
    return events.invoice(customer=CUS, subscription=SUB)


def _session() -> dict[str, Any]:
    return events.checkout_session(customer=CUS, subscription=SUB)


def _summary() -> dict[str, Any]:
    obj = events.resource("entitlements.active_entitlement_summary")
    obj["customer"] = CUS
    return obj


CASES: dict[str, tuple[Any, str | None]] = {
    "checkout.session.completed": (_session, SUB),
    "checkout.session.async_payment_succeeded": (_session, SUB),
    "checkout.session.async_payment_failed": (_session, SUB),
    "customer.subscription.created": (_sub, SUB),
    "customer.subscription.updated": (_sub, SUB),
    "customer.subscription.deleted": (_sub, SUB),
    "customer.subscription.paused": (_sub, SUB),
    "customer.subscription.resumed": (_sub, SUB),
    "customer.subscription.trial_will_end": (_sub, SUB),
    "invoice.paid": (_inv, SUB),
    "invoice.payment_failed": (_inv, SUB),
    "invoice.payment_action_required": (_inv, SUB),
    "entitlements.active_entitlement_summary.updated": (_summary, None),
}


def test_every_handled_type_is_covered() -> None:
    assert set(CASES) == set(HANDLED_EVENT_TYPES)


@pytest.mark.parametrize("event_type", sorted(CASES))
def test_refs_for_each_handled_type(event_type: str) -> None:
    build, subscription = CASES[event_type]
    event = events.make_event(event_type, build(), created=1_772_000_000)
    assert event_subscription_ref(event) == subscription
    assert event_customer_ref(event) == CUS


def test_notify_only() -> None:
    assert {"customer.subscription.trial_will_end"} == NOTIFY_ONLY_EVENT_TYPES
    assert NOTIFY_ONLY_EVENT_TYPES <= HANDLED_EVENT_TYPES
    assert CUSTOMER_NOTICE_EVENT_TYPES <= HANDLED_EVENT_TYPES
    # Not subscribed to: Stripe delays invoice finalisation for failing invoice.created hooks.
    assert "invoice.created" not in HANDLED_EVENT_TYPES


@pytest.mark.parametrize("shape", ["parent", "legacy", "lines"])
def test_invoice_subscription_in_every_api_shape(shape: str) -> None:
    event = events.make_event(
        "invoice.paid", events.invoice(subscription=SUB, shape=shape), created=1
    )
    assert event_subscription_ref(event) == SUB


def test_invoice_without_subscription_and_expanded_refs() -> None:
    one_off = events.make_event("invoice.paid", events.invoice(subscription=None), created=1)
    assert event_subscription_ref(one_off) is None
    inv = events.invoice(shape="legacy")
    inv["subscription"] = {"id": SUB, "object": "subscription"}
    inv["customer"] = {"id": CUS, "object": "customer"}
    event = events.make_event("invoice.payment_failed", inv, created=1)
    assert event_subscription_ref(event) == SUB
    assert event_customer_ref(event) == CUS


def test_raw_fixture_invoice_uses_parent_subscription_details() -> None:
    # fixtures3's invoice carries the newer shape (and no legacy value).
    raw = events.resource("invoice")
    assert raw["subscription"] is None
    event = events.make_event("invoice.paid", raw, created=1)
    assert event_subscription_ref(event) == raw["parent"]["subscription_details"]["subscription"]


def test_checkout_in_payment_mode_has_no_subscription() -> None:
    session = events.checkout_session(subscription=None, mode="payment")
    event = events.make_event("checkout.session.completed", session, created=1)
    assert event_subscription_ref(event) is None
    assert event_customer_ref(event) == "cus_QXg1o8vcGmoR32"


def test_unhandled_and_broken_events() -> None:
    other = events.make_event("customer.created", events.resource("customer"), created=1)
    assert event_subscription_ref(other) is None
    assert event_customer_ref(other) is None
    assert event_subscription_ref({"type": "invoice.paid"}) is None
    assert event_customer_ref({"type": "invoice.paid", "data": {"object": "nope"}}) is None
