"""Runs on clouds: the boundary step (for real on `local`), a tenant without a usable cloud
target, credentials kept out of everything a run records, and retry resuming after the boundary.

Providers cannot be downloaded here, so an `aws` run gets as far as `terraform init`: far
enough to check everything the control plane does before Terraform talks to AWS.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import psycopg

from paybill_control_plane.db.embedded import to_libpq_url
from tests.conftest import TEST_SECRET_KEY
from tests.factories import make_tenant, make_tier
from tests.live import Api
from tests.provisioning.stack_env import runs_of, stack_environment, wait_for, wait_status


def stacks_of(api: Api, tenant_id: str) -> list[dict[str, Any]]:
    return api.ok("GET", "/v1/stacks", params={"tenant_id": tenant_id})["items"]  # type: ignore[no-any-return]


def finished(api: Api, run_id: str) -> dict[str, Any]:
    def check() -> dict[str, Any] | None:
        run: dict[str, Any] = api.ok("GET", f"/v1/runs/{run_id}")
        return run if run["status"] in ("succeeded", "failed") else None

    return wait_for(check, 60)  # type: ignore[no-any-return]


def test_local_boundary_is_ensured_then_removed(tmp_path: Path) -> None:
    with stack_environment(tmp_path) as (api, _):
        tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
        tenant = make_tenant(api, tier["key"])
        wait_status(api, tenant["id"], "active")
        [run] = runs_of(api, tenant["id"])
        boundary_step = run["steps"][0]
        assert boundary_step["name"] == "boundary" and boundary_step["status"] == "succeeded"
        assert boundary_step["detail"] == f"local local-{tenant['id']}"
        [stack] = stacks_of(api, tenant["id"])
        assert stack["boundary"] == {
            "kind": "local",
            "id": f"local-{tenant['id']}",
            "attributes": {
                "tenant_id": tenant["id"],
                "name": f"paybill-{tenant['slug']}",
                "region": "local-1",
            },
            "cloud_target_id": None,
        }
        assert stack["variables"]["target"] == {}  # local modules read no target key

        # An unchanged tenant: nothing to do, and no second boundary call.
        api.ok("POST", f"/v1/tenants/{tenant['id']}/reconcile", 202)
        wait_status(api, tenant["id"], "active")
        noop = runs_of(api, tenant["id"])[0]
        assert noop["operation"] == "noop"
        assert [s["name"] for s in noop["steps"]] == ["plan"]

        api.ok("POST", f"/v1/tenants/{tenant['id']}/deprovision", 202)
        wait_status(api, tenant["id"], "deprovisioned")
        destroy = runs_of(api, tenant["id"])[0]
        assert destroy["operation"] == "destroy"
        # The data goes first (datatier/runs.py), the boundary after the resources in it.
        names = [s["name"] for s in destroy["steps"]]
        assert names == ["render", "init", "plan", "database", "destroy", "boundary"]
        assert destroy["steps"][-1]["detail"] == f"remove local local-{tenant['id']}"
        [stack] = stacks_of(api, tenant["id"])
        assert stack["status"] == "destroyed" and stack["boundary"] is None


def test_aws_tenant_without_target_fails_then_retry_resumes(tmp_path: Path) -> None:
    key_id = "AKIA" + uuid.uuid4().hex[:16].upper()
    secret = f"sak-{uuid.uuid4().hex}{uuid.uuid4().hex}"
    with stack_environment(tmp_path, secret_key=TEST_SECRET_KEY, run_max_attempts=1) as (
        api,
        settings,
    ):
        tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
        tenant = make_tenant(api, tier["key"], cloud="aws", region="eu-west-1")
        assert tenant["cloud_target_id"] is None
        plan = api.ok("GET", f"/v1/tenants/{tenant['id']}/plan")
        assert plan["notes"] and plan["notes"][0].startswith("no cloud target for aws")
        failed = wait_status(api, tenant["id"], "failed")
        [run] = runs_of(api, tenant["id"])
        assert run["status"] == "failed" and run["attempt"] == 1  # no pointless retries
        assert run["error"].startswith("no cloud target for aws: register one")
        assert failed["status"] == "failed"

        target = api.ok(
            "POST",
            "/v1/cloud-targets",
            201,
            json={
                "cloud": "aws",
                "name": "main",
                "default_region": "eu-west-1",
                "account_ref": "123456789012",
                "settings": {"vpc_cidr": "10.90.0.0/16", "create_account": "false"},
                "credentials": {"access_key_id": key_id, "secret_access_key": secret},
            },
        )
        api.ok("POST", f"/v1/runs/{run['id']}/retry", 202)
        retried = finished(api, run["id"])
        # The boundary (AWS tags) is ensured and recorded; then `init` needs the
        # hashicorp/aws provider, which cannot be downloaded here.
        steps = {s["name"]: s for s in retried["steps"] if s["attempt"] == 2}
        assert steps["boundary"]["status"] == "succeeded"
        assert steps["boundary"]["detail"] == f"tags paybill-tenant-{tenant['id']}"
        assert steps["init"]["status"] == "failed"
        assert retried["status"] == "failed" and "registry.terraform.io" in retried["error"]
        assert api.ok("GET", f"/v1/tenants/{tenant['id']}")["cloud_target_id"] == target["id"]
        [stack] = stacks_of(api, tenant["id"])
        assert stack["boundary"]["kind"] == "tags"
        assert stack["boundary"]["cloud_target_id"] == target["id"]
        assert stack["boundary"]["attributes"]["tag:paybill-tenant-id"] == tenant["id"]
        assert stack["variables"]["target"] == {
            "account_id": "123456789012",
            "vpc_cidr": "10.90.0.0/16",
        }

        # Retrying again resumes after the boundary: it is not created twice.
        api.ok("POST", f"/v1/runs/{run['id']}/retry", 202)
        third = finished(api, run["id"])
        assert [s["name"] for s in third["steps"] if s["attempt"] == 3] == ["render", "init"]

        # The credentials went to Terraform's environment only: not to the run, its log,
        # the stack, the workdir or the audit log.
        logs = api.ok("GET", f"/v1/runs/{run['id']}/logs")["lines"]
        recorded = [str(third), str(logs), str(stacks_of(api, tenant["id"]))]
        with psycopg.connect(to_libpq_url(settings.database_url or "")) as conn:
            recorded += [str(row) for row in conn.execute("SELECT before, after FROM audit_events")]
            recorded += [str(row) for row in conn.execute("SELECT steps, error FROM runs")]
            bound = conn.execute(
                "SELECT actor, after FROM audit_events WHERE action = 'tenant.cloud_target_bound'"
            ).fetchall()
        assert bound == [("worker", {"cloud_target_id": target["id"]})]
        recorded += [p.read_text() for p in tmp_path.rglob("*.json") if p.is_file()]
        assert not any(secret in text for text in recorded)
        assert key_id not in str(logs) and key_id not in str(third)
