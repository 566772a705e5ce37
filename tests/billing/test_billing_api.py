"""Checkout, portal and health routes on a server without a Stripe API key: validation first,
then 503; billing health by role; Stripe grants of features (pure)."""

from __future__ import annotations

from collections.abc import Callable

from paybill_control_plane.tenants.service import apply_stripe_grants
from tests.conftest import unique
from tests.factories import make_plan, make_tenant, make_tier
from tests.live import Api

PROBLEMS = "https://paybill.dev/problems/"
URLS = {"success_url": "https://app.example.com/ok", "cancel_url": "https://app.example.com/no"}


def _signup(plan: str, slug: str | None = None) -> dict[str, str]:
    return {
        "slug": slug or unique("shop"),
        "name": "Shop",
        "cloud": "local",
        "region": "local-1",
        "plan": plan,
        **URLS,
    }


def test_signup_is_validated_before_stripe_is_needed(admin: Api) -> None:
    tier = make_tier(admin)
    plan = make_plan(admin, tier["key"])
    taken = make_tenant(admin, tier["key"])

    unknown = admin.post("/v1/checkout-sessions", json=_signup("no-such-plan"))
    assert unknown.status_code == 404, unknown.text
    assert unknown.json()["type"] == PROBLEMS + "plan-not-found"

    slug = admin.post("/v1/checkout-sessions", json=_signup(plan["key"], taken["slug"]))
    assert slug.status_code == 409, slug.text
    assert slug.json()["type"] == PROBLEMS + "slug-taken"

    bad = admin.post(
        "/v1/checkout-sessions", json={**_signup(plan["key"]), "success_url": "javascript:x"}
    )
    assert bad.status_code == 422, bad.text
    assert bad.json()["type"] == PROBLEMS + "validation-error"

    unpriced = make_plan(admin, tier["key"], stripe_price_ids=[])
    no_price = admin.post("/v1/checkout-sessions", json=_signup(unpriced["key"]))
    assert no_price.status_code == 422, no_price.text
    assert no_price.json()["type"] == PROBLEMS + "plan-not-purchasable"

    no_key = admin.post("/v1/checkout-sessions", json=_signup(plan["key"]))
    assert no_key.status_code == 503, no_key.text
    assert no_key.json()["type"] == PROBLEMS + "stripe-not-configured"
    assert "application/problem+json" in no_key.headers["content-type"]


def test_portal_needs_a_stripe_customer(admin: Api, client_for: Callable[..., Api]) -> None:
    tier = make_tier(admin)
    tenant = make_tenant(admin, tier["key"])
    portal = admin.post(f"/v1/tenants/{tenant['id']}/billing-portal-sessions", json={})
    assert portal.status_code == 409, portal.text
    assert portal.json()["type"] == PROBLEMS + "no-stripe-customer"

    other = make_tenant(admin, tier["key"])
    with client_for("tenant", tenant["id"]) as own:
        elsewhere = own.post(f"/v1/tenants/{other['id']}/billing-portal-sessions", json={})
        assert elsewhere.status_code == 404, elsewhere.text
        assert own.post("/v1/checkout-sessions", json=_signup("x")).status_code == 403
    with client_for("viewer") as viewer:
        denied = viewer.post(
            f"/v1/tenants/{tenant['id']}/checkout-sessions", json={"plan": "x", **URLS}
        )
        assert denied.status_code == 403, denied.text
        assert denied.json()["required_permission"] == "billing:checkout"


def test_billing_health_roles(admin: Api, client_for: Callable[..., Api]) -> None:
    body = admin.ok("GET", "/v1/billing/health")
    assert set(body["counts"]) == {"received", "processed", "ignored", "failed"}
    assert body["healthy"] is not (body["counts"]["failed"] > 0)
    for role in ("operator", "billing", "viewer"):
        with client_for(role) as api:
            assert api.ok("GET", "/v1/billing/health")["counts"] == body["counts"]
    tier = make_tier(admin)
    tenant = make_tenant(admin, tier["key"])
    with client_for("tenant", tenant["id"]) as own:
        assert own.get("/v1/billing/health").status_code == 403


def test_stripe_grants_and_withdraws_features() -> None:
    tier = [
        {"key": "seats", "type": "numeric", "value": 10, "unit": "seat", "unlimited": False},
        {"key": "sso", "type": "boolean", "enabled": False},
        {"key": "regions", "type": "set", "values": ["eu"]},
        {"key": "support", "type": "boolean", "enabled": True},
    ]
    mapping = {"lk-seats": "seats", "lk-sso": "sso", "lk-regions": "regions", "lk-api": "api"}

    granted = {f["key"]: f for f in apply_stripe_grants(tier, mapping, set(mapping))}
    assert granted["seats"]["value"] == 10
    assert granted["sso"]["enabled"] is True
    assert granted["regions"]["values"] == ["eu"]
    assert granted["api"] == {"key": "api", "type": "boolean", "name": None, "enabled": True}
    assert granted["support"]["enabled"] is True  # not Stripe's to decide

    none = {f["key"]: f for f in apply_stripe_grants(tier, mapping, set())}
    assert none["seats"]["value"] == 0
    assert none["sso"]["enabled"] is False
    assert none["regions"]["values"] == []
    assert none["api"]["enabled"] is False
    assert none["support"]["enabled"] is True
