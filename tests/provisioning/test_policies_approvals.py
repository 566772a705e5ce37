"""Saved plans, policies and approvals with real Terraform on the `local` modules."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from paybill_control_plane.config import Settings
from paybill_control_plane.db.embedded import to_libpq_url
from tests.conftest import create_key_sync
from tests.factories import SIZING, make_tenant, make_tier
from tests.live import Api
from tests.provisioning.stack_env import runs_of, stack_environment, wait_for, wait_status

pytestmark = pytest.mark.terraform


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, Settings]]:
    with stack_environment(tmp_path_factory.mktemp("stacks")) as pair:
        yield pair


@pytest.fixture(scope="module")
def api(env: tuple[Api, Settings]) -> Api:
    return env[0]


@pytest.fixture(scope="module")
def url(env: tuple[Api, Settings]) -> str:
    assert env[1].database_url is not None
    return env[1].database_url


@pytest.fixture(scope="module")
def second_admin(api: Api, url: str) -> Iterator[Api]:
    with Api(str(api.base_url), create_key_sync(url, "admin")) as other:
        yield other


def key_client(api: Api, url: str, role: str, tenant_id: str | None = None) -> Api:
    return Api(str(api.base_url), create_key_sync(url, role, tenant_id))


def put_policy(api: Api, tier: str, enforcement: str, expression: str, message: str) -> str:
    name = f"p-{uuid.uuid4().hex[:10]}"
    body = {
        "enforcement": enforcement,
        "expression": expression,
        "message": message,
        "applies_to": {"tiers": [tier]},
    }
    api.ok("PUT", f"/v1/policies/{name}", json=body)
    return name


def silo_tier(api: Api, **overrides: Any) -> dict[str, Any]:
    return make_tier(api, default_isolation="silo", allowed_isolation=["silo"], **overrides)


def held_run(api: Api, tenant_id: str) -> dict[str, Any]:
    def check() -> dict[str, Any] | None:
        run = runs_of(api, tenant_id)[0]
        assert run["status"] != "failed", run
        return run if run["status"] == "awaiting_approval" else None

    return wait_for(check)  # type: ignore[no-any-return]


def audit(api: Api, action: str, run_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    params: dict[str, Any] = {"action": action, "limit": 200}
    while True:
        page = api.ok("GET", "/v1/audit-events", params=params)
        found += [e for e in page["items"] if e["target_id"] == run_id]
        if not page["next_cursor"]:
            return found
        params["cursor"] = page["next_cursor"]


def deprovisioned_and_held(api: Api, tier: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    tenant = make_tenant(api, tier["key"])
    wait_status(api, tenant["id"], "active")
    api.ok("POST", f"/v1/tenants/{tenant['id']}/deprovision", 202)
    return tenant, held_run(api, tenant["id"])


def test_deprovision_held_then_approved_applies_exactly_the_saved_plan(
    api: Api, second_admin: Api, url: str
) -> None:
    tier = silo_tier(api, rank=30)
    put_policy(api, tier["key"], "approval", 'run.kind == "deprovision" && tier.rank >= 30',
               "Deprovisioning a tenant on a tier of rank 30 or more needs approval.")  # fmt: skip
    advisory = put_policy(api, tier["key"], "advisory", "counts.add > 0", "creates resources")
    tenant, run = deprovisioned_and_held(api, tier)
    # The provisioning run went through, its advisory verdict recorded with the plan's hash.
    first = runs_of(api, tenant["id"])[1]
    [verdict] = [e for e in audit(api, "policy.evaluated", first["id"])
                 if e["after"]["policy"] == advisory]  # fmt: skip
    first_plan = api.ok("GET", f"/v1/runs/{first['id']}/plan")
    assert verdict["after"]["matched"] is True
    assert verdict["after"]["plan_sha256"] == first_plan["sha256"]

    assert run["operation"] == "destroy" and run["steps"][-1]["name"] == "approval"
    assert api.ok("GET", f"/v1/tenants/{tenant['id']}")["status"] == "deprovisioning"
    plan = api.ok("GET", f"/v1/runs/{run['id']}/plan")
    assert plan["summary"]["destroy"] > 0 and plan["summary"]["add"] == 0
    assert "terraform_data.database" in plan["summary"]["addresses"]["destroy"]
    assert plan["plan"]["resource_changes"] and plan["superseded"] is False
    pending = api.ok("GET", "/v1/approvals", params={"status": "pending", "limit": 200})["items"]
    [approval] = [a for a in pending if a["run_id"] == run["id"]]
    assert approval["plan_sha256"] == plan["sha256"] and approval["required"] == 1
    held = audit(api, "run.awaiting_approval", run["id"])
    assert held and held[0]["after"]["plan_sha256"] == plan["sha256"]

    # The requester (this admin key deprovisioned the tenant) cannot approve its own run.
    own = api.post(f"/v1/runs/{run['id']}/approve")
    assert own.status_code == 403 and own.json()["type"].endswith("self-approval")
    # Tenant and billing keys can never approve or reject.
    for role, tenant_id in (("tenant", tenant["id"]), ("billing", None)):
        with key_client(api, url, role, tenant_id) as other:
            assert other.post(f"/v1/runs/{run['id']}/approve").status_code == 403
            refused = other.post(f"/v1/runs/{run['id']}/reject", json={"reason": "no"})
            assert refused.status_code == 403
            assert other.get("/v1/approvals").status_code == 403
    # A tenant key reads its own run's plan.
    with key_client(api, url, "tenant", tenant["id"]) as own_key:
        assert own_key.get(f"/v1/runs/{run['id']}/plan").json()["sha256"] == plan["sha256"]

    approved = second_admin.ok("POST", f"/v1/runs/{run['id']}/approve", json={"comment": "ok"})
    assert approved["status"] == "approved" and approved["plan_sha256"] == plan["sha256"]
    wait_status(api, tenant["id"], "deprovisioned")
    done = api.ok("GET", f"/v1/runs/{run['id']}")
    assert done["status"] == "succeeded"
    steps = {s["name"]: s for s in done["steps"] if s["attempt"] == done["attempt"]}
    # The resumed attempt did not plan again: it restored and applied the approved file.
    assert steps["plan"]["detail"] == f"approved plan sha256 {plan['sha256'][:12]}"
    assert steps["destroy"]["detail"].endswith(f"destroyed; plan sha256 {plan['sha256']}")
    assert steps["destroy"]["status"] == "succeeded"
    assert api.ok("GET", f"/v1/runs/{run['id']}/plan")["sha256"] == plan["sha256"]
    [event] = audit(api, "run.approved", run["id"])
    assert event["after"]["plan_sha256"] == plan["sha256"] and event["after"]["resumed"] is True


def test_two_approvers_and_a_replan_voids_the_approval(
    api: Api, second_admin: Api, url: str
) -> None:
    tier = silo_tier(api, approvals_required=2)
    put_policy(api, tier["key"], "approval", 'run.operation == "destroy"', "destroys need two")
    tenant, run = deprovisioned_and_held(api, tier)
    plan = api.ok("GET", f"/v1/runs/{run['id']}/plan")
    one = second_admin.ok("POST", f"/v1/runs/{run['id']}/approve")
    assert one["status"] == "pending" and len(one["approvers"]) == 1 and one["required"] == 2
    again = second_admin.post(f"/v1/runs/{run['id']}/approve")
    assert again.status_code == 409 and again.json()["type"].endswith("already-approved")

    # Planning the run again voids the approval bound to the old plan; a new request starts.
    api.ok("POST", f"/v1/runs/{run['id']}/retry", 202)
    replanned = wait_for(
        lambda: (
            (r := api.ok("GET", f"/v1/runs/{run['id']}"))["status"] == "awaiting_approval"
            and r["attempt"] > run["attempt"]
            and r
        )
    )
    new_plan = api.ok("GET", f"/v1/runs/{run['id']}/plan")
    assert new_plan["plan_id"] != plan["plan_id"]
    everything = api.ok("GET", "/v1/approvals", params={"limit": 200})["items"]
    mine = [a for a in everything if a["run_id"] == run["id"]]
    assert {a["status"] for a in mine} == {"void", "pending"}
    [current] = [a for a in mine if a["status"] == "pending"]
    assert current["approvers"] == [] and current["plan_sha256"] == new_plan["sha256"]
    assert replanned["status"] == "awaiting_approval"

    with key_client(api, url, "admin") as third:
        second_admin.ok("POST", f"/v1/runs/{run['id']}/approve")
        assert third.ok("POST", f"/v1/runs/{run['id']}/approve")["status"] == "approved"
    wait_status(api, tenant["id"], "deprovisioned")


def test_rejection_fails_the_run_and_the_tenant(api: Api, second_admin: Api) -> None:
    tier = silo_tier(api)
    put_policy(api, tier["key"], "approval", 'run.operation == "destroy"', "destroys need approval")
    tenant, run = deprovisioned_and_held(api, tier)
    plan = api.ok("GET", f"/v1/runs/{run['id']}/plan")
    assert second_admin.post(f"/v1/runs/{run['id']}/reject", json={}).status_code == 422
    rejected = second_admin.ok("POST", f"/v1/runs/{run['id']}/reject", json={"reason": "keep it"})
    assert rejected["status"] == "rejected" and rejected["reason"] == "keep it"
    failed = api.ok("GET", f"/v1/runs/{run['id']}")
    assert failed["status"] == "failed" and "keep it" in failed["error"]
    assert api.ok("GET", f"/v1/tenants/{tenant['id']}")["status"] == "failed"
    [event] = audit(api, "run.rejected", run["id"])
    assert event["after"]["plan_sha256"] == plan["sha256"]
    late = second_admin.post(f"/v1/runs/{run['id']}/approve")
    assert late.status_code == 409 and late.json()["type"].endswith("no-pending-approval")


def test_expired_approval_is_refused(api: Api, second_admin: Api, url: str) -> None:
    tier = silo_tier(api)
    put_policy(api, tier["key"], "approval", 'run.operation == "destroy"', "destroys need approval")
    _, run = deprovisioned_and_held(api, tier)
    # Move the request's expiry into the past, as PAYBILL_APPROVAL_TTL_HOURS would have.
    with psycopg.connect(to_libpq_url(url), autocommit=True) as conn:
        conn.execute(
            "UPDATE approvals SET expires_at = now() - interval '1 second' WHERE run_id = %s",
            (run["id"],),
        )
    late = second_admin.post(f"/v1/runs/{run['id']}/approve")
    assert late.status_code == 409 and late.json()["type"].endswith("approval-expired")
    expired = api.ok("GET", "/v1/approvals", params={"status": "expired", "limit": 200})["items"]
    assert run["id"] in {a["run_id"] for a in expired}
    pending = api.ok("GET", "/v1/approvals", params={"status": "pending", "limit": 200})["items"]
    assert run["id"] not in {a["run_id"] for a in pending}


def test_deny_policy_fails_the_run_with_its_message(api: Api) -> None:
    tier = silo_tier(api)
    name = put_policy(api, tier["key"], "deny", 'changes.exists(c, c.type == "terraform_data")',
                      "No terraform_data on this tier, ever.")  # fmt: skip
    tenant = make_tenant(api, tier["key"])
    wait_status(api, tenant["id"], "failed")
    [run] = runs_of(api, tenant["id"])
    assert run["status"] == "failed" and run["attempt"] == 1, "a denial is not retried"
    assert "No terraform_data on this tier, ever." in run["error"]
    assert not any(s["name"] in ("apply", "database") for s in run["steps"])
    assert api.get(f"/v1/tenants/{tenant['id']}/database").status_code == 404  # none made
    [verdict] = audit(api, "policy.evaluated", run["id"])
    assert verdict["after"]["policy"] == name and verdict["after"]["enforcement"] == "deny"
    assert api.ok("GET", f"/v1/runs/{run['id']}/plan")["summary"]["add"] > 0


def test_runs_without_matching_policies_are_untouched(api: Api) -> None:
    tier = silo_tier(api)
    tenant = make_tenant(api, tier["key"])
    wait_status(api, tenant["id"], "active")
    [run] = runs_of(api, tenant["id"])
    names = [s["name"] for s in run["steps"] if s["name"] != "database"]
    # The plan is applied straight away (no approval step). No policy could fit this create
    # (decided before init): on `local` its database was made while Terraform ran.
    assert names[names.index("plan") :] == ["plan", "apply"]
    assert [s["name"] for s in run["steps"]].count("database") == 1
    assert all(s["status"] == "succeeded" for s in run["steps"])
    assert audit(api, "policy.evaluated", run["id"]) == []
    # No policy applied, so the plan was shown while it was applied: its JSON is there all the same.
    plan = api.ok("GET", f"/v1/runs/{run['id']}/plan")
    assert plan["summary"]["add"] > 0 and plan["plan"]["resource_changes"]
    apply = next(s for s in run["steps"] if s["name"] == "apply")
    assert apply["detail"].endswith(f"plan sha256 {plan['sha256']}")


def test_a_held_plan_whose_revision_changed_is_planned_again_never_applied_stale(
    api: Api, second_admin: Api
) -> None:
    tier = silo_tier(api)
    put_policy(api, tier["key"], "approval", 'run.operation == "apply"', "applies need approval")
    tenant = make_tenant(api, tier["key"])
    run = held_run(api, tenant["id"])
    stale = api.ok("GET", f"/v1/runs/{run['id']}/plan")
    assert stale["revision"] == run["revision"]
    # A run held for approval has touched no database: the data tier waits for the verdict.
    assert not any(s["name"] == "database" for s in run["steps"])
    assert api.get(f"/v1/tenants/{tenant['id']}/database").status_code == 404

    # While the run waits, the tier's sizing changes: the stack's desired revision moves on.
    api.ok("PATCH", f"/v1/tiers/{tier['key']}", json={"sizing": {**SIZING, "db_class": "large"}})
    approved = second_admin.ok("POST", f"/v1/runs/{run['id']}/approve")
    assert approved["status"] == "approved" and approved["plan_sha256"] == stale["sha256"]

    # The resumed attempt does not take the approved (stale) plan: it plans the new revision,
    # which voids the approval, and the policy holds the new plan for a new approval.
    again = wait_for(
        lambda: (
            (r := api.ok("GET", f"/v1/runs/{run['id']}"))["status"] == "awaiting_approval"
            and r["attempt"] > run["attempt"]
            and r
        )
    )
    assert again["revision"] != run["revision"]
    fresh = api.ok("GET", f"/v1/runs/{run['id']}/plan")
    assert fresh["revision"] == again["revision"] and fresh["sha256"] != stale["sha256"]
    steps = [s for s in again["steps"] if s["attempt"] == again["attempt"]]
    plan_step = next(s for s in steps if s["name"] == "plan")
    assert not (plan_step["detail"] or "").startswith("approved plan")
    assert not any(s["name"] in ("apply", "destroy") for s in steps)  # nothing applied stale
    mine = [
        a
        for a in api.ok("GET", "/v1/approvals", params={"limit": 200})["items"]
        if a["run_id"] == run["id"]
    ]
    by_sha = {a["plan_sha256"]: a for a in mine}
    assert by_sha[stale["sha256"]]["status"] == "void"
    assert by_sha[fresh["sha256"]]["status"] == "pending"
    assert by_sha[fresh["sha256"]]["approvers"] == []
    voided = audit(api, "approval.voided", run["id"])
    assert any(e["after"]["plan_sha256"] == stale["sha256"] for e in voided)

    # Approving the new plan applies exactly it, at the new revision.
    assert second_admin.ok("POST", f"/v1/runs/{run['id']}/approve")["status"] == "approved"
    wait_status(api, tenant["id"], "active")
    done = api.ok("GET", f"/v1/runs/{run['id']}")
    assert done["status"] == "succeeded" and done["revision"] == fresh["revision"]
    final = {s["name"]: s for s in done["steps"] if s["attempt"] == done["attempt"]}
    assert final["plan"]["detail"] == f"approved plan sha256 {fresh['sha256'][:12]}"
    # Approved and applied: the data tier ran alongside that apply.
    assert final["database"]["status"] == "succeeded"
    assert api.ok("GET", f"/v1/tenants/{tenant['id']}/database")["status"] == "available"
