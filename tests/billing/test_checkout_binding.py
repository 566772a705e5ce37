"""checkout_binding: which tenant a Checkout Session pays for, or which one to create."""

from __future__ import annotations

import pytest
import stripe

from paybill_control_plane.billing.event_refs import (
    CheckoutBindingError,
    NewTenantRequest,
    checkout_binding,
)

from . import events


def test_client_reference_id_names_the_tenant() -> None:
    b = checkout_binding(events.checkout_session(client_reference_id="ten_123"))
    assert b.tenant_id == "ten_123"
    assert b.new_tenant is None
    assert b.session_id.startswith("cs_test_")
    assert b.customer == "cus_QXg1o8vcGmoR32"
    assert b.subscription == "sub_1Pgc6rB7WZ01zgkWNy0Cn5nw"
    assert b.mode == "subscription"
    assert b.payment_status == "paid"
    assert b.is_paid


def test_metadata_tenant_id_names_the_tenant() -> None:
    b = checkout_binding(events.checkout_session(metadata={"tenant_id": "ten_456"}))
    assert b.tenant_id == "ten_456"
    assert b.metadata == {"tenant_id": "ten_456"}
    same = events.checkout_session(client_reference_id="ten_456", metadata={"tenant_id": "ten_456"})
    assert checkout_binding(same).tenant_id == "ten_456"


def test_two_different_tenants_are_refused() -> None:
    session = events.checkout_session(client_reference_id="ten_a", metadata={"tenant_id": "ten_b"})
    with pytest.raises(CheckoutBindingError):
        checkout_binding(session)


def test_new_tenant_request_from_metadata() -> None:
    meta = {"slug": "acme", "name": "Acme Inc.", "cloud": "aws", "region": "eu-west-1"}
    b = checkout_binding(events.checkout_session(metadata=meta))
    assert b.tenant_id is None
    assert b.new_tenant == NewTenantRequest("acme", "Acme Inc.", "aws", "eu-west-1")


def test_absent_fields_are_none() -> None:
    b = checkout_binding(events.checkout_session(client_reference_id="  ", metadata={"slug": "x"}))
    assert b.tenant_id is None
    assert b.new_tenant == NewTenantRequest(slug="x", name=None, cloud=None, region=None)
    raw = events.resource("checkout.session")  # the fixture as is: payment mode, unpaid
    b = checkout_binding(raw)
    assert b.new_tenant == NewTenantRequest(None, None, None, None)
    assert b.subscription is None
    assert b.customer is None
    assert b.payment_status == "unpaid"
    assert not b.is_paid


@pytest.mark.parametrize(
    ("payment_status", "paid"),
    [("paid", True), ("no_payment_required", True), ("unpaid", False)],
)
def test_payment_status(payment_status: str, paid: bool) -> None:
    session = events.checkout_session(client_reference_id="t", payment_status=payment_status)
    assert checkout_binding(session).is_paid is paid


def test_expanded_refs_and_stripe_objects() -> None:
    raw = events.checkout_session(client_reference_id="ten_1")
    raw["customer"] = {"id": "cus_x", "object": "customer"}
    raw["subscription"] = {"id": "sub_x", "object": "subscription"}
    b = checkout_binding(stripe.StripeObject.construct_from(raw, "sk_test_x"))
    assert (b.customer, b.subscription) == ("cus_x", "sub_x")


def test_not_a_checkout_session() -> None:
    with pytest.raises(CheckoutBindingError):
        checkout_binding(events.subscription())
    with pytest.raises(CheckoutBindingError):
        checkout_binding({"object": "checkout.session"})
