"""Hardening, end to end over HTTP with signed events and the local Stripe fake:
checkout binds only sessions the control plane created (by their recorded intent), an operator's
suspension holds against Stripe, failed events show in billing health, and Stripe entitlements
grant features."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from paybill_control_plane.cli.main import app as cli
from paybill_control_plane.config import Settings, get_settings
from tests.billing import events
from tests.billing.live_billing import SECRET, audit_of, new_refs, send, wait_event
from tests.billing.stripe_fakes import FakeStripeAPI
from tests.conftest import unique
from tests.factories import make_plan, make_tenant, make_tier
from tests.live import Api
from tests.provisioning.stack_env import stack_environment, wait_status

pytestmark = pytest.mark.terraform

PROBLEMS = "https://paybill.dev/problems/"
URLS = {"success_url": "https://app.example.com/ok", "cancel_url": "https://app.example.com/no"}


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeStripeAPI]:
    with FakeStripeAPI() as api:
        yield api


@pytest.fixture(scope="module")
def env(
    tmp_path_factory: pytest.TempPathFactory, fake: FakeStripeAPI
) -> Iterator[tuple[Api, Settings, dict[str, Any]]]:
    with stack_environment(
        tmp_path_factory.mktemp("checkout"),
        stripe_webhook_secrets=[SECRET],
        stripe_api_key=fake.api_key,
        stripe_api_base=fake.base_url,
        billing_event_max_attempts=2,
        billing_retry_base_seconds=0.1,
    ) as (api, settings):
        tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
        plan = make_plan(api, tier["key"], stripe_price_ids=[unique("price")])
        yield api, settings, {"tier": tier, "plan": plan, "price": plan["stripe_price_ids"][0]}


@pytest.fixture(scope="module")
def api(env: tuple[Api, Settings, dict[str, Any]]) -> Api:
    return env[0]


@pytest.fixture(scope="module")
def cat(env: tuple[Api, Settings, dict[str, Any]]) -> dict[str, Any]:
    return env[2]


def _key(api: Api, role: str, tenant_id: str | None = None) -> Api:
    body = {"name": f"k-{role}", "role": role, "tenant_id": tenant_id}
    created = api.ok("POST", "/v1/api-keys", 201, json=body)
    return Api(str(api.base_url), created["key"])


def _complete(
    api: Api,
    fake: FakeStripeAPI,
    session_id: str,
    price: str,
    *,
    created: int | None = None,
    **fields: Any,
) -> tuple[str, str, str]:
    """Stripe completes the session: (event id, customer, subscription)."""
    customer, subscription = new_refs()
    fake.add_subscription(events.subscription(id=subscription, customer=customer, price_id=price))
    obj = events.checkout_session(
        id=session_id, customer=customer, subscription=subscription, **fields
    )
    return send(api, "checkout.session.completed", obj, created=created), customer, subscription


def _signup(api: Api, fake: FakeStripeAPI, plan: dict[str, Any]) -> tuple[dict[str, Any], str, str]:
    """A tenant signed up through a checkout the control plane created: (tenant, cus, sub)."""
    slug = unique("shop")
    body = {"slug": slug, "name": "Shop", "cloud": "local", "region": "local-1"}
    created = api.ok(
        "POST", "/v1/checkout-sessions", 201, json={**body, "plan": plan["key"], **URLS}
    )
    assert created["kind"] == "signup" and created["tenant_id"] is None
    assert created["url"].endswith(created["id"])
    # The session's own metadata names another slug: the recorded intent wins.
    event_id, customer, sub = _complete(
        api, fake, created["id"], plan["stripe_price_ids"][0], metadata={"slug": "hijacked"}
    )
    done = wait_event(api, event_id, "processed")
    tenant = wait_status(api, done["tenant_id"], "active")
    assert tenant["slug"] == slug
    return tenant, customer, sub


def test_signup_checkout_creates_the_recorded_tenant(
    api: Api, fake: FakeStripeAPI, cat: dict[str, Any]
) -> None:
    tenant, customer, sub = _signup(api, fake, cat["plan"])
    assert tenant["billing"] == {
        "provider": "stripe",
        "stripe_customer_id": customer,
        "stripe_subscription_id": sub,
    }
    assert api.get("/v1/tenants", params={"limit": 200}).json()["items"]
    assert not [
        t
        for t in api.ok("GET", "/v1/tenants", params={"limit": 200})["items"]
        if t["slug"] == "hijacked"
    ]
    [made] = [
        s
        for s in fake.checkout_sessions.values()
        if s["client_reference_id"].endswith(tenant["slug"])
    ]
    params = made["params"]
    assert params["mode"] == "subscription"
    assert params["line_items[0][price]"] == cat["price"]
    assert params["success_url"] == URLS["success_url"]
    posts = [r for r in fake.requests if r.method == "POST"]
    assert all(r.headers.get("idempotency-key", "").startswith("paybill-") for r in posts)
    fake.assert_all_authorized()

    # The slug is now taken, and a second sign-up for a slug an open session claims is refused.
    again = {"slug": tenant["slug"], "name": "S", "cloud": "local", "region": "local-1"}
    taken = api.post("/v1/checkout-sessions", json={**again, "plan": cat["plan"]["key"], **URLS})
    assert taken.status_code == 409 and taken.json()["type"] == PROBLEMS + "slug-taken"
    fresh = {**again, "slug": unique("shop"), "plan": cat["plan"]["key"], **URLS}
    api.ok("POST", "/v1/checkout-sessions", 201, json=fresh)
    claimed = api.post("/v1/checkout-sessions", json=fresh)
    assert claimed.status_code == 409 and "open sign-up" in claimed.json()["detail"]


def test_tenant_checkout_binds_the_recorded_tenant_only(
    api: Api, fake: FakeStripeAPI, cat: dict[str, Any]
) -> None:
    payer = make_tenant(api, cat["tier"]["key"])
    victim = make_tenant(api, cat["tier"]["key"])
    with _key(api, "tenant", payer["id"]) as own:
        created = own.ok(
            "POST",
            f"/v1/tenants/{payer['id']}/checkout-sessions",
            201,
            json={"plan": cat["plan"]["key"], **URLS},
        )
        other = own.post(
            f"/v1/tenants/{victim['id']}/checkout-sessions",
            json={"plan": cat["plan"]["key"], **URLS},
        )
        assert other.status_code == 404, other.text
    assert created["kind"] == "tenant" and created["tenant_id"] == payer["id"]
    assert fake.checkout_sessions[created["id"]]["client_reference_id"] == payer["id"]
    for role, expected in (("operator", 403), ("viewer", 403), ("billing", 201)):
        with _key(api, role) as keyed:
            answer = keyed.post(
                f"/v1/tenants/{payer['id']}/checkout-sessions",
                json={"plan": cat["plan"]["key"], **URLS},
            )
            assert answer.status_code == expected, (role, answer.text)

    # Completed with the victim's id in client_reference_id and metadata: the payer is bound.
    event_id, customer, sub = _complete(
        api,
        fake,
        created["id"],
        cat["price"],
        client_reference_id=victim["id"],
        metadata={"tenant_id": victim["id"]},
    )
    done = wait_event(api, event_id, "processed")
    assert done["tenant_id"] == payer["id"]
    bound = api.ok("GET", f"/v1/tenants/{payer['id']}")
    assert bound["billing"]["stripe_subscription_id"] == sub
    assert api.ok("GET", f"/v1/tenants/{victim['id']}")["billing"]["provider"] == "manual"

    portal = api.ok(
        "POST",
        f"/v1/tenants/{payer['id']}/billing-portal-sessions",
        201,
        json={"return_url": "https://app.example.com/account"},
    )
    assert portal["url"].startswith("https://billing.stripe.com/")
    assert fake.portal_sessions[-1]["customer"] == customer
    actions = [a["action"] for a in audit_of(api, payer["id"])]
    assert "billing.checkout_created" in actions
    assert "billing.portal_session_created" in actions
    assert all(portal["url"] not in str(a) for a in audit_of(api, payer["id"]))


def _paybill(settings: Settings, fake: FakeStripeAPI, *args: str) -> Result:
    env = {
        "PAYBILL_DATABASE_URL": str(settings.database_url),
        "PAYBILL_STRIPE_API_KEY": fake.api_key,
        "PAYBILL_STRIPE_API_BASE": fake.base_url,
    }
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(cli, list(args), env=env)
    finally:
        get_settings.cache_clear()


def test_a_foreign_checkout_binds_nothing_and_shows_in_health(
    api: Api, fake: FakeStripeAPI, cat: dict[str, Any], env: tuple[Api, Settings, Any]
) -> None:
    victim = make_tenant(api, cat["tier"]["key"])
    event_id, _, _ = _complete(
        api, fake, events.new_id("cs"), cat["price"], client_reference_id=victim["id"]
    )
    failed = wait_event(api, event_id, "failed")
    assert "not created by the control plane" in failed["error"]
    assert failed["tenant_id"] is None
    assert api.ok("GET", f"/v1/tenants/{victim['id']}")["billing"]["provider"] == "manual"

    health = api.ok("GET", "/v1/billing/health")
    assert health["counts"]["failed"] >= 1
    assert health["healthy"] is False
    with _key(api, "viewer") as viewer:
        assert viewer.ok("GET", "/v1/billing/health")["counts"]["failed"] >= 1

    result = _paybill(env[1], fake, "stripe", "reconcile")
    assert result.exit_code == 0, result.output
    assert f"{health['counts']['failed']} failed" in result.stdout
    assert "GET /v1/billing/events?status=failed" in result.stdout


def _set(fake: FakeStripeAPI, sub: str, status: str) -> dict[str, Any]:
    return fake.add_subscription({**fake.subscriptions[sub], "status": status})


def _stripe_says(api: Api, fake: FakeStripeAPI, sub: str, status: str) -> dict[str, Any]:
    event_id = send(api, "customer.subscription.updated", _set(fake, sub, status))
    return wait_event(api, event_id, "processed")


def test_an_operator_suspension_holds_against_stripe(
    api: Api, fake: FakeStripeAPI, cat: dict[str, Any], env: tuple[Api, Settings, Any]
) -> None:
    tenant, _, sub = _signup(api, fake, cat["plan"])
    tid = tenant["id"]
    with _key(api, "operator") as operator:
        operator.ok("POST", f"/v1/tenants/{tid}/suspend", 202)
        assert wait_status(api, tid, "suspended")["suspended_by"] == "operator"

        held = _stripe_says(api, fake, sub, "active")
        assert "operator suspension holds" in held["outcome"]
        after = api.ok("GET", f"/v1/tenants/{tid}")
        assert (after["status"], after["desired_state"]) == ("suspended", "suspended")

        operator.ok("POST", f"/v1/tenants/{tid}/resume", 202)
        assert wait_status(api, tid, "active")["suspended_by"] is None

        # Stripe may still suspend a tenant the operator left active...
        _stripe_says(api, fake, sub, "unpaid")
        assert wait_status(api, tid, "suspended")["suspended_by"] == "billing"
        # ...and an operator can take that suspension over, so that paying does not lift it.
        taken = operator.ok("POST", f"/v1/tenants/{tid}/suspend", 202)
        assert taken["suspended_by"] == "operator"
        again = operator.post(f"/v1/tenants/{tid}/suspend")
        assert again.status_code == 409 and again.json()["type"] == PROBLEMS + "invalid-transition"
    held_again = _stripe_says(api, fake, sub, "active")
    assert "operator suspension holds" in held_again["outcome"]
    assert api.ok("GET", f"/v1/tenants/{tid}")["status"] == "suspended"
    reconciled = _paybill(env[1], fake, "stripe", "reconcile", "--status", "active")
    assert reconciled.exit_code == 0, reconciled.output
    assert f"tenant {tenant['slug']}: unchanged, operator suspension holds" in reconciled.stdout
    assert "held by an operator's suspension" in reconciled.stdout
    assert api.ok("GET", f"/v1/tenants/{tid}")["desired_state"] == "suspended"
    suspends = [a for a in audit_of(api, tid) if a["action"] == "tenant.suspend"]
    assert {a["actor"].split(":")[0] for a in suspends} == {"apikey", "stripe"}


def test_stripe_entitlements_grant_features(
    api: Api, fake: FakeStripeAPI, cat: dict[str, Any]
) -> None:
    plan = make_plan(
        api,
        cat["tier"]["key"],
        stripe_price_ids=[unique("price")],
        entitlements_source="stripe",
        stripe_features={"lk-sso": "sso", "lk-seats": "seats"},
    )
    assert plan["entitlements_source"] == "stripe"
    tenant, customer, _ = _signup(api, fake, plan)
    url = f"/v1/tenants/{tenant['id']}/entitlements"
    start = api.ok("GET", url)
    assert start["source"] == "stripe"
    assert (start["flags"]["sso"], start["limits"]["seats"]) == (False, 0)

    now = int(time.time())
    newer = send(
        api,
        "entitlements.active_entitlement_summary.updated",
        events.entitlement_summary(customer, ["lk-sso"]),
        created=now,
    )
    assert "lk-sso" in wait_event(api, newer, "processed")["outcome"]
    granted = api.ok("GET", url)
    assert (granted["flags"]["sso"], granted["limits"]["seats"]) == (True, 0)

    older = send(
        api,
        "entitlements.active_entitlement_summary.updated",
        events.entitlement_summary(customer, ["lk-seats"]),
        created=now - 60,
    )
    assert "stale" in wait_event(api, older, "processed")["outcome"]
    assert api.ok("GET", url)["flags"]["sso"] is True

    many = ["lk-seats", "lk-sso", *(f"other-{i:03d}" for i in range(150))]
    fake.set_entitlements(customer, many)
    paged = send(
        api,
        "entitlements.active_entitlement_summary.updated",
        events.entitlement_summary(customer, many[:10], has_more=True),
        created=now + 1,
    )
    wait_event(api, paged, "processed")
    full = api.ok("GET", url)
    assert (full["flags"]["sso"], full["limits"]["seats"]) == (True, 10)
    lists = [r for r in fake.requests if r.path == "/v1/entitlements/active_entitlements"]
    assert [r.query["customer"] for r in lists] == [[customer], [customer]]
    assert "starting_after" in lists[1].query
    updates = [
        a for a in audit_of(api, tenant["id"]) if a["action"] == "billing.entitlements_updated"
    ]
    assert sorted(many) in [u["after"]["lookup_keys"] for u in updates]
