"""Stripe drives tenants end to end (no API key: events are trusted as signed snapshots).

A live server with an embedded worker and real Terraform on the `local` cloud; tiny grace and
retention periods stand in for days.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.billing import events
from tests.billing.live_billing import (
    audit_of,
    catalog,
    checkout_for_new_tenant,
    new_refs,
    post,
    send,
    subscribed_tenant,
    wait_event,
)
from tests.factories import make_tenant
from tests.live import Api
from tests.provisioning.stack_env import runs_of, stack_environment, wait_for, wait_status

pytestmark = pytest.mark.terraform

GRACE_SECONDS = 8.0  # long enough that a loaded CI machine still observes the grace period
MAX_ATTEMPTS = 4


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, dict[str, Any]]]:
    from tests.billing.live_billing import SECRET

    with stack_environment(
        tmp_path_factory.mktemp("billing"),
        stripe_webhook_secrets=[SECRET],
        # These suites send checkouts the control plane did not create (the old behaviour,
        # opted into); tests/billing/test_checkout_sessions.py covers the default.
        stripe_trust_client_reference=True,
        billing_grace_period_days=GRACE_SECONDS / 86400,
        billing_retention_days=0,
        billing_event_max_attempts=MAX_ATTEMPTS,
        billing_retry_base_seconds=0.1,
        migrations_enabled=True,
    ) as (api, _):
        tier, plan = catalog(api)
        yield api, {"tier": tier, "plan": plan, "price": plan["stripe_price_ids"][0]}


@pytest.fixture(scope="module")
def api(env: tuple[Api, dict[str, Any]]) -> Api:
    return env[0]


@pytest.fixture(scope="module")
def price(env: tuple[Api, dict[str, Any]]) -> str:
    return str(env[1]["price"])


def test_checkout_creates_the_tenant_which_ends_active(api: Api, price: str) -> None:
    # Stripe's order is not guaranteed: the subscription arrives before the checkout binds it.
    customer, subscription = new_refs()
    sub = events.subscription(id=subscription, customer=customer, price_id=price)
    sub_event = send(api, "customer.subscription.created", sub)
    checkout = checkout_for_new_tenant(customer, subscription)
    checkout_event = send(api, "checkout.session.completed", checkout)

    done = wait_event(api, checkout_event, "processed")
    tenant = wait_status(api, done["tenant_id"], "active")
    assert tenant["slug"] == checkout["metadata"]["slug"]
    assert tenant["billing"] == {
        "provider": "stripe",
        "stripe_customer_id": customer,
        "stripe_subscription_id": subscription,
    }
    [run] = runs_of(api, tenant["id"])
    assert run["trigger"] == f"stripe:{checkout_event}" and run["status"] == "succeeded"
    # The early subscription event is retried until the binding exists, then applied.
    early = wait_event(api, sub_event, "processed")
    assert early["attempts"] >= 2 and early["tenant_id"] == tenant["id"]

    current = api.ok("GET", f"/v1/tenants/{tenant['id']}/subscription")
    assert current["id"] == subscription and current["status"] == "active"
    assert current["desired_state"] == "provisioned" and current["tier"] == tenant["tier"]
    trail = audit_of(api, tenant["id"])
    provision = next(a for a in trail if a["action"] == "tenant.provision")
    assert provision["actor"] == "stripe"
    assert provision["after"]["stripe_event_id"] == checkout_event


def test_fifty_concurrent_duplicates_make_one_row_one_effect_one_run(api: Api, price: str) -> None:
    tenant, customer, subscription = subscribed_tenant(api, price)
    wait_status(api, tenant["id"], "active")
    runs_before = len(runs_of(api, tenant["id"]))
    unpaid = events.subscription(
        id=subscription, customer=customer, status="unpaid", price_id=price
    )
    event = events.make_event("customer.subscription.updated", unpaid, created=int(time.time()))
    body = events.encode(event)

    with ThreadPoolExecutor(max_workers=50) as pool:
        responses = list(pool.map(lambda _: post(api, body), range(50)))
    assert all(r.status_code == 200 for r in responses)
    assert sum(not r.json()["duplicate"] for r in responses) == 1

    wait_event(api, str(event["id"]), "processed")
    wait_status(api, tenant["id"], "suspended")
    listed = api.ok("GET", "/v1/billing/events", params={"tenant_id": tenant["id"], "limit": 200})
    assert [e["id"] for e in listed["items"]].count(event["id"]) == 1
    suspends = [a for a in audit_of(api, tenant["id"]) if a["action"] == "tenant.suspend"]
    assert len(suspends) == 1 and suspends[0]["after"]["stripe_event_id"] == event["id"]
    assert len(runs_of(api, tenant["id"])) == runs_before + 1


def test_deleted_before_an_older_updated_active_leaves_the_tenant_cancelled(
    api: Api, price: str
) -> None:
    tenant, customer, subscription = subscribed_tenant(api, price)
    now = int(time.time())
    canceled = events.subscription(
        id=subscription, customer=customer, status="canceled", price_id=price,
        canceled_at=now - 5, ended_at=now - 5,
    )  # fmt: skip
    active = events.subscription(id=subscription, customer=customer, price_id=price)
    deleted = send(api, "customer.subscription.deleted", canceled, created=now - 5)
    wait_event(api, deleted, "processed")
    older = send(api, "customer.subscription.updated", active, created=now - 30)
    late = wait_event(api, older, "processed")
    assert late["outcome"].startswith("stale")
    wait_status(api, tenant["id"], "deprovisioned")  # retention 0: at once
    current = api.ok("GET", f"/v1/tenants/{tenant['id']}/subscription")
    assert current["status"] == "canceled" and current["desired_state"] == "cancelled"
    assert current["last_event_id"] == deleted


def test_past_due_keeps_the_tenant_through_grace_then_suspends(api: Api, price: str) -> None:
    tenant, customer, subscription = subscribed_tenant(api, price)
    wait_status(api, tenant["id"], "active")
    past_due = events.subscription(
        id=subscription, customer=customer, status="past_due", price_id=price
    )
    event_id = send(api, "customer.subscription.updated", past_due)
    wait_event(api, event_id, "processed")
    during = api.ok("GET", f"/v1/tenants/{tenant['id']}")
    assert during["status"] == "active" and during["desired_state"] == "active"
    grace = api.ok("GET", f"/v1/tenants/{tenant['id']}/subscription")
    assert grace["desired_state"] == "grace" and grace["suspend_at"] is not None
    # No event arrives: the review scheduled at the end of the grace period suspends it.
    wait_status(api, tenant["id"], "suspended", timeout=30)
    suspend = next(a for a in audit_of(api, tenant["id"]) if a["action"] == "tenant.suspend")
    assert suspend["actor"] == "stripe" and suspend["after"]["billing_source"] == "review"
    assert suspend["after"]["stripe_event_id"] == event_id


def test_a_price_change_is_a_tier_change(api: Api, env: tuple[Api, dict[str, Any]]) -> None:
    from tests.billing.live_billing import catalog as make_catalog

    tenant, customer, subscription = subscribed_tenant(api, env[1]["price"])
    wait_status(api, tenant["id"], "active")
    bigger_tier, bigger_plan = make_catalog(api)
    upgraded = events.subscription(
        id=subscription, customer=customer, price_id=bigger_plan["stripe_price_ids"][0]
    )
    event_id = send(api, "customer.subscription.updated", upgraded)
    wait_event(api, event_id, "processed")
    changed = wait_status(api, tenant["id"], "active")
    assert changed["tier"] == bigger_tier["key"]
    assert runs_of(api, tenant["id"])[0]["kind"] == "change-tier"
    assert runs_of(api, tenant["id"])[0]["trigger"] == f"stripe:{event_id}"


def test_unknown_customer_is_stored_retried_then_failed(api: Api, price: str) -> None:
    customer, subscription = new_refs()
    sub = events.subscription(id=subscription, customer=customer, price_id=price)
    event_id = send(api, "customer.subscription.updated", sub)
    failed = wait_event(api, event_id, "failed", timeout=30)
    assert failed["attempts"] == MAX_ATTEMPTS
    assert f"no tenant is bound to Stripe subscription {subscription}" in failed["error"]
    assert customer in failed["error"]
    assert f"gave up after {MAX_ATTEMPTS} attempts" in failed["error"]
    page = api.ok("GET", "/v1/billing/events", params={"status": "failed"})
    assert event_id in [e["id"] for e in page["items"]]


def test_incomplete_provisions_nothing(api: Api, price: str) -> None:
    customer, subscription = new_refs()
    sub = events.subscription(
        id=subscription, customer=customer, status="incomplete", price_id=price
    )
    send(api, "customer.subscription.created", sub)
    event_id = send(
        api, "checkout.session.completed", checkout_for_new_tenant(customer, subscription)
    )
    done = wait_event(api, event_id, "processed")
    tenant = api.ok("GET", f"/v1/tenants/{done['tenant_id']}")
    assert tenant["status"] == "pending" and runs_of(api, tenant["id"]) == []
    # The first invoice is paid: Stripe activates the subscription.
    active = events.subscription(id=subscription, customer=customer, price_id=price)
    send(api, "customer.subscription.updated", active)
    wait_status(api, tenant["id"], "active")


def test_manual_tenants_are_untouched_and_tenant_keys_see_only_their_subscription(
    api: Api, env: tuple[Api, dict[str, Any]], price: str
) -> None:
    manual = make_tenant(api, env[1]["tier"]["key"])
    assert manual["billing"]["provider"] == "manual"
    wait_status(api, manual["id"], "active")
    none = api.get(f"/v1/tenants/{manual['id']}/subscription")
    assert none.status_code == 404
    assert none.json()["type"] == "https://paybill.dev/problems/subscription-not-found"
    api.ok("POST", f"/v1/tenants/{manual['id']}/suspend", 202)
    wait_status(api, manual["id"], "suspended")

    paying, _, _ = subscribed_tenant(api, price)
    key = api.ok(
        "POST",
        "/v1/api-keys",
        201,
        json={"name": "own", "role": "tenant", "tenant_id": paying["id"]},
    )["key"]
    with Api(str(api.base_url), key) as own:
        assert (
            own.ok("GET", f"/v1/tenants/{paying['id']}/subscription")["tenant_id"] == paying["id"]
        )
        other = own.get(f"/v1/tenants/{manual['id']}/subscription")
        assert other.status_code == 404
        assert other.json()["type"] == "https://paybill.dev/problems/tenant-not-found"
        assert own.get("/v1/billing/events").status_code == 403
    wait_for(lambda: api.ok("GET", f"/v1/tenants/{manual['id']}")["status"] == "suspended")


def test_checkout_naming_an_existing_tenant_binds_it_once(
    api: Api, env: tuple[Api, dict[str, Any]], price: str
) -> None:
    tenant = make_tenant(api, env[1]["tier"]["key"])
    customer, subscription = new_refs()
    sub = events.subscription(id=subscription, customer=customer, price_id=price)
    send(api, "customer.subscription.created", sub)
    session = events.checkout_session(
        id=events.new_id("cs"), customer=customer, subscription=subscription,
        client_reference_id=tenant["id"],
    )  # fmt: skip
    done = wait_event(api, send(api, "checkout.session.completed", session), "processed")
    assert done["tenant_id"] == tenant["id"]
    bound = api.ok("GET", f"/v1/tenants/{tenant['id']}")
    assert bound["billing"]["provider"] == "stripe"
    assert bound["billing"]["stripe_subscription_id"] == subscription
    assert any(a["action"] == "tenant.billing_bound" for a in audit_of(api, tenant["id"]))

    # Another customer's checkout cannot take the tenant over.
    intruder, other_sub = new_refs()
    hijack = events.checkout_session(
        id=events.new_id("cs"), customer=intruder, subscription=other_sub,
        client_reference_id=tenant["id"],
    )  # fmt: skip
    failed = wait_event(api, send(api, "checkout.session.completed", hijack), "failed")
    assert f"bound to customer {customer}" in failed["error"]
    assert api.ok("GET", f"/v1/tenants/{tenant['id']}")["billing"]["stripe_customer_id"] == customer


def test_trial_will_end_and_payment_failed_only_notify(api: Api, price: str) -> None:
    tenant, customer, subscription = subscribed_tenant(api, price, status="trialing")
    wait_status(api, tenant["id"], "active")
    trial = events.subscription(
        id=subscription, customer=customer, status="trialing", price_id=price
    )
    notice = wait_event(api, send(api, "customer.subscription.trial_will_end", trial), "processed")
    assert notice["outcome"] == "customer notice recorded"
    failed_invoice = events.invoice(customer=customer, subscription=subscription, status="open")
    wait_event(api, send(api, "invoice.payment_failed", failed_invoice), "processed")
    notices = [a for a in audit_of(api, tenant["id"]) if a["action"] == "billing.notice"]
    assert [n["after"]["event_type"] for n in notices] == [
        "customer.subscription.trial_will_end",
        "invoice.payment_failed",
    ]
    assert all(n["actor"] == "stripe" for n in notices)
    assert api.ok("GET", f"/v1/tenants/{tenant['id']}")["status"] == "active"


def test_a_failed_checkout_leaves_no_tenant_behind(
    api: Api, env: tuple[Api, dict[str, Any]]
) -> None:
    customer, subscription = new_refs()
    unmapped = events.new_id("price")
    sub = events.subscription(id=subscription, customer=customer, price_id=unmapped)
    send(api, "customer.subscription.created", sub)
    checkout = checkout_for_new_tenant(customer, subscription)
    checkout["metadata"]["plan"] = env[1]["plan"]["key"]  # a tier for the tenant, but …
    failed = wait_event(api, send(api, "checkout.session.completed", checkout), "failed")
    assert "no price maps to a tier" in failed["error"] and unmapped in failed["error"]
    assert failed["tenant_id"] is None
    slugs = [t["slug"] for t in api.ok("GET", "/v1/tenants", params={"limit": 200})["items"]]
    assert checkout["metadata"]["slug"] not in slugs


def test_a_price_change_to_another_isolation_model_starts_a_migration(
    api: Api, env: tuple[Api, dict[str, Any]]
) -> None:
    """Issue 14: not an in-place tier change (that provisioned the tenant twice)."""
    from tests.conftest import unique
    from tests.factories import make_plan, make_tier

    tenant, customer, subscription = subscribed_tenant(api, env[1]["price"])
    wait_status(api, tenant["id"], "active")
    pooled = make_tier(api, default_isolation="pooled", allowed_isolation=["pooled"])
    plan = make_plan(api, pooled["key"], stripe_price_ids=[unique("price")])
    downgraded = events.subscription(
        id=subscription, customer=customer, price_id=plan["stripe_price_ids"][0]
    )
    event_id = send(api, "customer.subscription.updated", downgraded)
    wait_event(api, event_id, "processed")
    [migration] = api.ok("GET", f"/v1/tenants/{tenant['id']}/migrations")["items"]
    assert migration["source"]["isolation_model"] == "silo"
    assert migration["target"] == {
        "tier": pooled["key"],
        "isolation_model": "pooled",
        "pool_id": migration["target"]["pool_id"],
    }
    assert migration["requested_by"] == "stripe"
    # The default hold (24 h) keeps it holding after the cutover: switched, source still there.
    held = wait_for(
        lambda: (
            (m := api.ok("GET", f"/v1/migrations/{migration['id']}"))["status"] == "holding" and m
        ),
        timeout=180,  # pg_dump alone takes ~10 s on a loaded 2-core machine
    )
    switched = api.ok("GET", f"/v1/tenants/{tenant['id']}")
    assert (switched["tier"], switched["isolation_model"]) == (pooled["key"], "pooled")
    assert switched["pool_id"] == held["target"]["pool_id"] is not None
    assert [
        s["kind"] for s in api.ok("GET", "/v1/stacks", params={"tenant_id": tenant["id"]})["items"]
    ] == ["silo"]


def test_a_deprovision_held_by_a_migration_is_applied_when_the_migration_ends(
    api: Api, env: tuple[Api, dict[str, Any]]
) -> None:
    """A Stripe change a migration holds is decided again when the migration ends (here: rolled
    back), through the lifecycle layer; not left until the subscription's next event."""
    from tests.conftest import unique
    from tests.factories import make_plan, make_tier

    tenant, customer, subscription = subscribed_tenant(api, env[1]["price"])
    wait_status(api, tenant["id"], "active")
    pooled = make_tier(api, default_isolation="pooled", allowed_isolation=["pooled"])
    plan = make_plan(api, pooled["key"], stripe_price_ids=[unique("price")])
    price = plan["stripe_price_ids"][0]
    moved = events.subscription(id=subscription, customer=customer, price_id=price)
    wait_event(api, send(api, "customer.subscription.updated", moved), "processed")
    [migration] = api.ok("GET", f"/v1/tenants/{tenant['id']}/migrations")["items"]
    wait_for(
        lambda: api.ok("GET", f"/v1/migrations/{migration['id']}")["status"] == "holding",
        timeout=180,
    )

    cancelled = events.subscription(
        id=subscription, customer=customer, price_id=price, status="canceled"
    )
    held = wait_event(api, send(api, "customer.subscription.deleted", cancelled), "processed")
    assert migration["id"] in str(held), held  # the outcome names the migration
    assert api.ok("GET", f"/v1/tenants/{tenant['id']}")["desired_state"] == "active"
    [hold] = [e for e in audit_of(api, tenant["id"]) if e["action"] == "billing.change_held"]
    assert hold["target_id"] == migration["id"]
    assert hold["after"]["subscription_id"] == subscription

    api.ok("POST", f"/v1/migrations/{migration['id']}/rollback", 202)
    wait_for(
        lambda: api.ok("GET", f"/v1/migrations/{migration['id']}")["status"] == "rolled_back",
        timeout=180,
    )
    # The review the migration's end deferred applies the cancellation now.
    gone = wait_for(
        lambda: (
            (t := api.ok("GET", f"/v1/tenants/{tenant['id']}"))["desired_state"] == "deprovisioned"
            and t
        ),
        timeout=120,
    )
    assert gone["status"] in ("deprovisioning", "deprovisioned")
