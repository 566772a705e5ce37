"""Driving the live server the way Stripe does: signed events over real HTTP, then polling."""

from __future__ import annotations

import time
from typing import Any

import httpx

from tests.billing import events
from tests.conftest import unique
from tests.factories import make_plan, make_tier
from tests.live import Api
from tests.provisioning.stack_env import wait_for

SECRET = "whsec_test_current_secret"
OLD_SECRET = "whsec_test_previous_secret"


def post(
    api: Api,
    body: bytes,
    *,
    secret: str | list[str] = SECRET,
    timestamp: int | None = None,
    signature: str | None = None,
) -> httpx.Response:
    header = signature if signature is not None else events.sign(body, secret, timestamp)
    return api.post(
        "/v1/webhooks/stripe",
        content=body,
        headers={"Stripe-Signature": header, "Content-Type": "application/json"},
    )


def send(api: Api, type: str, obj: dict[str, Any], *, created: int | None = None) -> str:
    """Sign and deliver one event; returns its id."""
    event = events.make_event(type, obj, created=created or int(time.time()))
    response = post(api, events.encode(event))
    assert response.status_code == 200, response.text
    assert response.json()["duplicate"] is False
    return str(event["id"])


def stored(api: Api, event_id: str) -> httpx.Response:
    return api.get(f"/v1/billing/events/{event_id}")


def wait_event(api: Api, event_id: str, status: str, timeout: float = 30) -> dict[str, Any]:
    def check() -> dict[str, Any] | None:
        event = api.ok("GET", f"/v1/billing/events/{event_id}")
        assert event["status"] in ("received", status), event
        return event if event["status"] == status else None

    return wait_for(check, timeout)  # type: ignore[no-any-return]


def catalog(api: Api) -> tuple[dict[str, Any], dict[str, Any]]:
    """A silo tier on the local cloud and a plan with one Stripe price for it."""
    tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
    plan = make_plan(api, tier["key"], stripe_price_ids=[unique("price")])
    return tier, plan


def new_refs() -> tuple[str, str]:
    """A fresh (customer, subscription) pair."""
    return events.new_id("cus"), events.new_id("sub")


def checkout_for_new_tenant(
    customer: str, subscription: str, slug: str | None = None
) -> dict[str, Any]:
    return events.checkout_session(
        id=events.new_id("cs"),
        customer=customer,
        subscription=subscription,
        metadata={
            "slug": slug or unique("shop"),
            "name": "Shop",
            "cloud": "local",
            "region": "local-1",
        },
    )


def subscribed_tenant(
    api: Api, price: str, *, status: str = "active", created: int | None = None
) -> tuple[dict[str, Any], str, str]:
    """A tenant created by checkout, bound to a subscription in `status`: (tenant, cus, sub)."""
    customer, subscription = new_refs()
    now = created or int(time.time()) - 100
    sub = events.subscription(id=subscription, customer=customer, status=status, price_id=price)
    send(api, "customer.subscription.created", sub, created=now)
    checkout = checkout_for_new_tenant(customer, subscription)
    event_id = send(api, "checkout.session.completed", checkout, created=now)
    done = wait_event(api, event_id, "processed")
    assert done["tenant_id"], done
    tenant = api.ok("GET", f"/v1/tenants/{done['tenant_id']}")
    return tenant, customer, subscription


def audit_of(api: Api, tenant_id: str) -> list[dict[str, Any]]:
    page = api.ok("GET", "/v1/audit-events", params={"tenant_id": tenant_id, "limit": 200})
    return page["items"]  # type: ignore[no-any-return]
