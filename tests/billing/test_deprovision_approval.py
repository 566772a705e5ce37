"""Stripe-driven deprovisioning goes through the same policies: an approval-level policy holds
the cancellation's destroy until a person approves it (real Terraform on `local`)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.billing import events
from tests.billing.live_billing import catalog, send, subscribed_tenant, wait_event
from tests.conftest import create_key_sync
from tests.live import Api
from tests.provisioning.stack_env import runs_of, stack_environment, wait_for, wait_status

pytestmark = pytest.mark.terraform


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, dict[str, Any], str]]:
    from tests.billing.live_billing import SECRET

    with stack_environment(
        tmp_path_factory.mktemp("billing"),
        stripe_webhook_secrets=[SECRET],
        stripe_trust_client_reference=True,
        billing_retention_days=0,  # a cancellation deprovisions at once
    ) as (api, settings):
        assert settings.database_url is not None
        tier, plan = catalog(api)
        yield api, {"tier": tier, "price": plan["stripe_price_ids"][0]}, settings.database_url


def test_cancellation_waits_for_a_person_then_deprovisions(
    env: tuple[Api, dict[str, Any], str],
) -> None:
    api, refs, url = env
    policy = {
        "enforcement": "approval",
        "expression": 'run.kind == "deprovision"',
        "message": "A cancelled customer's infrastructure is removed only after a person agrees.",
        "applies_to": {"tiers": [refs["tier"]["key"]]},
    }
    api.ok("PUT", "/v1/policies/stripe-deprovision-needs-approval", json=policy)
    tenant, customer, subscription = subscribed_tenant(api, refs["price"])
    wait_status(api, tenant["id"], "active")
    now = int(time.time())
    canceled = events.subscription(
        id=subscription, customer=customer, status="canceled", price_id=refs["price"],
        canceled_at=now - 5, ended_at=now - 5,
    )  # fmt: skip
    deleted = send(api, "customer.subscription.deleted", canceled, created=now)
    processed = wait_event(api, deleted, "processed")
    assert processed["tenant_id"] == tenant["id"]

    def held() -> dict[str, Any] | None:
        run = runs_of(api, tenant["id"])[0]
        return run if run["status"] == "awaiting_approval" else None

    run = wait_for(held)
    assert run["trigger"] == f"stripe:{deleted}" and run["requested_by"] == "stripe"
    shown = api.ok("GET", f"/v1/billing/events/{deleted}")
    assert shown["status"] == "processed"
    assert shown["runs"] == [
        {"id": run["id"], "kind": "deprovision", "status": "awaiting_approval"}
    ]
    assert api.ok("GET", f"/v1/tenants/{tenant['id']}")["status"] == "deprovisioning"
    pending = api.ok("GET", "/v1/approvals", params={"status": "pending", "limit": 200})["items"]
    [approval] = [a for a in pending if a["run_id"] == run["id"]]
    assert approval["requested_by"] == "stripe"
    assert approval["policies"][0]["name"] == "stripe-deprovision-needs-approval"

    # A billing key (the one Stripe-side automation would hold) cannot let it through.
    with Api(str(api.base_url), create_key_sync(url, "billing")) as billing:
        assert billing.post(f"/v1/runs/{run['id']}/approve").status_code == 403
    approved = api.ok("POST", f"/v1/runs/{run['id']}/approve")
    assert approved["status"] == "approved"
    wait_status(api, tenant["id"], "deprovisioned")
    assert api.ok("GET", f"/v1/runs/{run['id']}")["status"] == "succeeded"
    assert api.ok("GET", f"/v1/billing/events/{deleted}")["runs"][0]["status"] == "succeeded"
