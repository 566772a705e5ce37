"""With PAYBILL_STRIPE_API_KEY set, every event is a signal to re-read the subscription from
Stripe (here the local FakeStripeAPI, reached through the real StripeClient); replay; reconcile."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from paybill_control_plane.cli.main import app as cli
from paybill_control_plane.config import Settings, get_settings
from tests.billing import events
from tests.billing.live_billing import (
    SECRET,
    audit_of,
    catalog,
    checkout_for_new_tenant,
    new_refs,
    send,
    wait_event,
)
from tests.billing.stripe_fakes import FakeStripeAPI
from tests.live import Api
from tests.provisioning.stack_env import runs_of, stack_environment, wait_status

pytestmark = pytest.mark.terraform


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeStripeAPI]:
    with FakeStripeAPI() as api:
        yield api


@pytest.fixture(scope="module")
def env(
    tmp_path_factory: pytest.TempPathFactory, fake: FakeStripeAPI
) -> Iterator[tuple[Api, Settings, str]]:
    with stack_environment(
        tmp_path_factory.mktemp("reread"),
        stripe_webhook_secrets=[SECRET],
        # These suites send checkouts the control plane did not create (the old behaviour,
        # opted into); tests/billing/test_checkout_sessions.py covers the default.
        stripe_trust_client_reference=True,
        stripe_api_key=fake.api_key,
        stripe_api_base=fake.base_url,
        billing_event_max_attempts=2,
        billing_retry_base_seconds=0.1,
    ) as (api, settings):
        _, plan = catalog(api)
        yield api, settings, plan["stripe_price_ids"][0]


@pytest.fixture(scope="module")
def api(env: tuple[Api, Settings, str]) -> Api:
    return env[0]


def _stripe_tenant(
    api: Api, fake: FakeStripeAPI, price: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Checkout alone is enough: the subscription is read from Stripe."""
    customer, subscription = new_refs()
    sub = fake.add_subscription(
        events.subscription(id=subscription, customer=customer, price_id=price)
    )
    event_id = send(
        api, "checkout.session.completed", checkout_for_new_tenant(customer, subscription)
    )
    tenant = wait_status(api, wait_event(api, event_id, "processed")["tenant_id"], "active")
    return tenant, sub


def _set_status(fake: FakeStripeAPI, sub: dict[str, Any], status: str) -> dict[str, Any]:
    return fake.add_subscription({**sub, "status": status})


def test_past_due_unpaid_suspended_then_invoice_paid_reactivates(
    api: Api, fake: FakeStripeAPI, env: tuple[Api, Settings, str]
) -> None:
    tenant, sub = _stripe_tenant(api, fake, env[2])
    # The payload says active; Stripe says past_due: the re-read decides.
    past_due = _set_status(fake, sub, "past_due")
    event = send(api, "customer.subscription.updated", {**past_due, "status": "active"})
    wait_event(api, event, "processed")
    assert api.ok("GET", f"/v1/tenants/{tenant['id']}/subscription")["desired_state"] == "grace"
    assert api.ok("GET", f"/v1/tenants/{tenant['id']}")["status"] == "active"  # 3 days of grace

    unpaid = _set_status(fake, sub, "unpaid")
    wait_event(api, send(api, "customer.subscription.updated", unpaid), "processed")
    wait_status(api, tenant["id"], "suspended")

    _set_status(fake, sub, "active")
    paid = events.invoice(customer=sub["customer"], subscription=sub["id"])
    invoice_event = send(api, "invoice.paid", paid)
    wait_event(api, invoice_event, "processed")
    wait_status(api, tenant["id"], "active")
    kinds = [run["kind"] for run in runs_of(api, tenant["id"])]
    assert kinds == ["resume", "suspend", "provision"]
    resume = [a for a in audit_of(api, tenant["id"]) if a["action"] == "tenant.resume"]
    assert resume[0]["actor"] == "stripe"
    assert resume[0]["after"]["stripe_event_id"] == invoice_event
    reads = [r for r in fake.requests if r.path == f"/v1/subscriptions/{sub['id']}"]
    assert len(reads) >= 4
    fake.assert_all_authorized()


def test_a_failed_event_is_replayed_after_the_catalog_is_fixed(
    api: Api, fake: FakeStripeAPI, env: tuple[Api, Settings, str]
) -> None:
    tenant, sub = _stripe_tenant(api, fake, env[2])
    new_price = events.new_id("price")
    moved = fake.add_subscription(
        events.subscription(id=sub["id"], customer=sub["customer"], price_id=new_price)
    )
    event_id = send(api, "customer.subscription.updated", moved)
    failed = wait_event(api, event_id, "failed")
    assert "no price maps to a tier" in failed["error"] and new_price in failed["error"]

    tier, _ = catalog(api)
    api.ok(
        "POST",
        "/v1/plans",
        201,
        json={
            "key": f"plan-{new_price[-8:].lower()}",
            "name": "Bigger",
            "tier": tier["key"],
            "stripe_price_ids": [new_price],
            "interval": "month",
        },
    )
    replayed = api.ok("POST", f"/v1/billing/events/{event_id}/replay", 202)
    assert replayed["status"] == "received" and replayed["error"] is None
    done = wait_event(api, event_id, "processed")
    assert done["attempts"] == 2
    assert wait_status(api, tenant["id"], "active")["tier"] == tier["key"]
    assert any(a["action"] == "billing.event_replayed" for a in audit_of(api, tenant["id"]))
    missing = api.post("/v1/billing/events/evt_nope/replay")
    assert missing.status_code == 404
    assert missing.json()["type"] == "https://paybill.dev/problems/billing-event-not-found"


def _paybill(settings: Settings, fake: FakeStripeAPI | None, *args: str) -> Result:
    """The `paybill` CLI in-process, with the environment an operator would set."""
    env = {"PAYBILL_DATABASE_URL": str(settings.database_url), "PAYBILL_STRIPE_API_KEY": None}
    if fake is not None:
        env |= {"PAYBILL_STRIPE_API_KEY": fake.api_key, "PAYBILL_STRIPE_API_BASE": fake.base_url}
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(cli, list(args), env=env)
    finally:
        get_settings.cache_clear()


def test_reconcile_corrects_tenants_after_missed_webhooks(
    api: Api, fake: FakeStripeAPI, env: tuple[Api, Settings, str]
) -> None:
    tenant, sub = _stripe_tenant(api, fake, env[2])
    _set_status(fake, sub, "unpaid")  # Stripe changed; the webhook never arrived
    stranger = fake.add_subscription(events.subscription(id=events.new_id("sub")))

    result = _paybill(env[1], fake, "stripe", "reconcile")
    assert result.exit_code == 0, result.output
    assert f"{sub['id']}  unpaid" in result.stdout
    assert f"tenant {tenant['slug']}: suspend" in result.stdout
    assert f"{stranger['id']}" in result.stdout and "no tenant is bound" in result.stdout
    wait_status(api, tenant["id"], "suspended")
    suspend = [a for a in audit_of(api, tenant["id"]) if a["action"] == "tenant.suspend"]
    assert suspend[0]["actor"] == "stripe"
    assert suspend[0]["after"]["billing_source"] == "reconcile"
    assert runs_of(api, tenant["id"])[0]["trigger"] == "stripe:reconcile"

    again = _paybill(env[1], fake, "stripe", "reconcile")
    assert f"tenant {tenant['slug']}: unchanged" in again.stdout

    without_key = _paybill(env[1], None, "stripe", "reconcile")
    assert without_key.exit_code == 2
    assert "PAYBILL_STRIPE_API_KEY is not set" in without_key.stderr
