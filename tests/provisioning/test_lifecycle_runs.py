"""Real Terraform on the `local` modules: silo, pooled and bridge through the whole lifecycle."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from paybill_control_plane.config import Settings
from tests.factories import SIZING, make_tenant, make_tier
from tests.live import Api
from tests.provisioning.stack_env import runs_of, stack_environment, wait_status

pytestmark = pytest.mark.terraform


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, Settings]]:
    with stack_environment(tmp_path_factory.mktemp("stacks")) as pair:
        yield pair


@pytest.fixture(scope="module")
def api(env: tuple[Api, Settings]) -> Api:
    return env[0]


def stacks_of(api: Api, tenant: dict[str, Any]) -> list[dict[str, Any]]:
    return api.ok("GET", "/v1/stacks", params={"tenant_id": tenant["id"]})["items"]  # type: ignore[no-any-return]


def test_silo_provisions_with_steps_plan_and_outputs(api: Api) -> None:
    tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
    tenant = make_tenant(api, tier["key"])
    assert tenant["status"] == "provisioning"
    wait_status(api, tenant["id"], "active")
    [run] = runs_of(api, tenant["id"])
    assert (
        run["status"] == "succeeded" and run["operation"] == "apply" and run["kind"] == "provision"
    )
    # The tenant's cloud boundary is ensured before its stack's first apply (local: a no-op).
    # The data tier's real database (datatier/runs.py).
    # No policy can fit this create (decided before init): its database is made while
    # Terraform inits, plans and applies; the plan is saved and applied all the same.
    assert [s["name"] for s in run["steps"] if s["name"] != "database"] == [
        "boundary", "render", "init", "plan", "apply"
    ]  # fmt: skip
    assert [s["name"] for s in run["steps"]].count("database") == 1
    assert api.ok("GET", f"/v1/runs/{run['id']}/plan")["summary"]["add"] > 0
    assert all(s["status"] == "succeeded" and s["duration_ms"] >= 0 for s in run["steps"])
    assert run["plan_summary"]["add"] > 0 and run["plan_summary"]["destroy"] == 0
    assert run["log_excerpt"] and "Apply complete" in run["log_excerpt"]
    logs = api.ok("GET", f"/v1/runs/{run['id']}/logs")
    assert any("Apply complete" in line["line"] for line in logs["lines"])
    assert (
        api.ok("GET", f"/v1/runs/{run['id']}/logs", params={"after": logs["next_after"]})["lines"]
        == []
    )
    [stack] = stacks_of(api, tenant)
    assert (
        stack["kind"] == "silo" and stack["module"] == "local/silo" and stack["status"] == "applied"
    )
    assert stack["applied_revision"] == run["revision"] == stack["desired_revision"]
    assert stack["outputs"]["endpoint"] == f"https://{tenant['slug']}.local-1.local.paybill.test"
    assert (
        stack["variables"]["tenant_id"] == tenant["id"]
        and stack["variables"]["sizing"]["db_class"] == "small"
    )
    assert not any("password" in key for key in stack["outputs"])

    # Re-provisioning with unchanged inputs: same revision, no apply.
    api.ok("POST", f"/v1/tenants/{tenant['id']}/reconcile", 202)
    wait_status(api, tenant["id"], "active")
    latest = runs_of(api, tenant["id"])[0]
    assert latest["operation"] == "noop" and latest["revision"] == run["revision"]
    assert [s["name"] for s in latest["steps"]] == ["plan"]


def test_tier_change_replans_only_what_changed(api: Api) -> None:
    small = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
    large = make_tier(
        api,
        default_isolation="silo",
        allowed_isolation=["silo"],
        sizing={**SIZING, "db_class": "large", "storage_gb": 200},
    )
    tenant = make_tenant(api, small["key"])
    wait_status(api, tenant["id"], "active")
    first = runs_of(api, tenant["id"])[0]
    current = api.ok("GET", f"/v1/tenants/{tenant['id']}")
    changed = api.ok(
        "PATCH",
        f"/v1/tenants/{tenant['id']}",
        json={"tier": large["key"]},
        headers={"If-Match": f'"{current["version"]}"'},
    )
    assert changed["status"] == "updating" and changed["tier"] == large["key"]
    wait_status(api, tenant["id"], "active")
    second = runs_of(api, tenant["id"])[0]
    assert second["kind"] == "change-tier" and second["revision"] != first["revision"]
    summary = second["plan_summary"]
    assert summary["change"] + summary["add"] >= 1
    assert summary["add"] < first["plan_summary"]["add"], (
        "only the resources that changed are touched"
    )
    [stack] = stacks_of(api, tenant)
    assert stack["variables"]["sizing"]["db_class"] == "large"


def test_suspend_resume_deprovision_silo(api: Api) -> None:
    tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
    tenant = make_tenant(api, tier["key"])
    wait_status(api, tenant["id"], "active")
    suspended = api.ok("POST", f"/v1/tenants/{tenant['id']}/suspend", 202)
    assert suspended["status"] == "updating" and suspended["desired_state"] == "suspended"
    wait_status(api, tenant["id"], "suspended")
    [stack] = stacks_of(api, tenant)
    assert stack["variables"]["suspended"] is True and stack["status"] == "applied"
    run = runs_of(api, tenant["id"])[0]
    assert run["kind"] == "suspend" and run["plan_summary"]["destroy"] == 0
    again = api.post(f"/v1/tenants/{tenant['id']}/suspend")
    assert again.status_code == 409 and "resume" in again.json()["allowed_actions"]

    api.ok("POST", f"/v1/tenants/{tenant['id']}/resume", 202)
    wait_status(api, tenant["id"], "active")
    assert stacks_of(api, tenant)[0]["variables"]["suspended"] is False

    api.ok("POST", f"/v1/tenants/{tenant['id']}/deprovision", 202)
    wait_status(api, tenant["id"], "deprovisioned")
    [stack] = stacks_of(api, tenant)
    assert stack["status"] == "destroyed" and stack["outputs"] == {}
    run = runs_of(api, tenant["id"])[0]
    assert run["operation"] == "destroy" and run["plan_summary"]["destroy"] > 0
    # Its data was kept first: a final snapshot, before the database step dropped it.
    [final] = api.ok("GET", f"/v1/tenants/{tenant['id']}/snapshots")["items"]
    assert final["kind"] == "final" and final["status"] == "completed" and final["expires_at"]


def test_bridge_gets_pool_compute_and_its_own_data_stack(api: Api) -> None:
    tier = make_tier(api, default_isolation="bridge", allowed_isolation=["bridge"])
    tenant = make_tenant(api, tier["key"])
    active = wait_status(api, tenant["id"], "active")
    assert active["pool_id"]
    [data] = stacks_of(api, tenant)
    assert data["kind"] == "bridge-data" and data["status"] == "applied"
    pool = api.ok("GET", f"/v1/pools/{active['pool_id']}")
    assert pool["members"] == 1 and pool["tier_group"] == tier["key"]
    pool_stack = api.ok("GET", f"/v1/stacks/{pool['stack_id']}")
    assert [t["tenant_id"] for t in pool_stack["variables"]["tenants"]] == [tenant["id"]]
    assert data["variables"]["pool_network_id"] == pool_stack["outputs"]["network_id"]
    api.ok("POST", f"/v1/tenants/{tenant['id']}/deprovision", 202)
    wait_status(api, tenant["id"], "deprovisioned")
    assert stacks_of(api, tenant)[0]["status"] == "destroyed"
    assert api.ok("GET", f"/v1/pools/{active['pool_id']}")["members"] == 0


def test_pooled_tenants_are_batched_into_few_pool_applies(api: Api) -> None:
    tier = make_tier(api, default_isolation="pooled", allowed_isolation=["pooled"], pool_capacity=8)
    with ThreadPoolExecutor(max_workers=10) as pool:
        tenants = list(pool.map(lambda _: make_tenant(api, tier["key"]), range(20)))
    for tenant in tenants:
        wait_status(api, tenant["id"], "active", timeout=120)
    pools = {api.ok("GET", f"/v1/tenants/{t['id']}")["pool_id"] for t in tenants}
    assert len(pools) == 3, "capacity 8: 20 tenants fill two pools and start a third"
    members = sorted(api.ok("GET", f"/v1/pools/{p}")["members"] for p in pools)
    assert members == [4, 8, 8]
    applies = {
        run["id"]
        for tenant in tenants
        for run in runs_of(api, tenant["id"])
        if run["operation"] == "apply"
    }
    print(f"\n20 pooled tenants, 3 pools: {len(applies)} pool applies")
    assert len(applies) <= 9, f"{len(applies)} applies for 20 tenants: placements were not batched"
    # A pool apply makes only its new members' schemas: each member's exactly once, however
    # many applies its pool had after it joined.
    pool_runs = {r["id"]: r for t in tenants for r in runs_of(api, t["id"])}
    details = [
        s["detail"]
        for run in pool_runs.values()
        if run["operation"] == "apply"
        for s in run["steps"]
        if s["name"] == "database"
    ]
    assert sum(int(detail.split()[0]) for detail in details) == 20, details

    victim = tenants[0]
    api.ok("POST", f"/v1/tenants/{victim['id']}/deprovision", 202)
    wait_status(api, victim["id"], "deprovisioned")
    [final] = api.ok("GET", f"/v1/tenants/{victim['id']}/snapshots")["items"]
    assert final["kind"] == "final" and final["status"] == "completed"
    assert final["schema_name"] is not None  # its schema only, in the pool's database
    pool_id = api.ok("GET", f"/v1/tenants/{victim['id']}")["pool_id"]
    stack = api.ok("GET", "/v1/stacks", params={"pool_id": pool_id})["items"][0]
    assert victim["id"] not in [t["tenant_id"] for t in stack["variables"]["tenants"]]


def test_tenant_key_sees_own_runs_but_not_pool_neighbours(
    api: Api, env: tuple[Api, Settings]
) -> None:
    from tests.conftest import create_key_sync

    tier = make_tier(api, default_isolation="pooled", allowed_isolation=["pooled"])
    a, b = make_tenant(api, tier["key"]), make_tenant(api, tier["key"])
    wait_status(api, a["id"], "active")
    wait_status(api, b["id"], "active")
    key = create_key_sync(env[1].database_url or "", "tenant", a["id"])
    with Api(str(api.base_url), key) as tenant_api:
        runs = tenant_api.ok("GET", f"/v1/tenants/{a['id']}/runs")["items"]
        assert runs and all(r["tenant_ids"] == [a["id"]] for r in runs)
        assert b["id"] not in str(runs) and b["slug"] not in str(runs)
        for run in runs:
            logs = tenant_api.ok("GET", f"/v1/runs/{run['id']}/logs")
            assert b["slug"] not in str(logs)
        b_runs = runs_of(api, b["id"])
        only_b = [r for r in b_runs if a["id"] not in r["tenant_ids"]]
        for run in only_b:
            assert tenant_api.get(f"/v1/runs/{run['id']}").status_code == 404
        assert tenant_api.get(f"/v1/tenants/{b['id']}/runs").status_code == 404
        assert tenant_api.get("/v1/stacks").status_code == 403


def test_planner_is_byte_identical_across_processes(tmp_path: Path) -> None:
    import subprocess
    import sys

    program = (
        "from paybill_control_plane.provisioning.planner import TenantFacts, plan_silo, plan_pool, PoolFacts\n"
        "t = TenantFacts('0b6f4d4e-1111-4222-8333-444455556666', 'acme', 'pro', 'local', 'local-1', 'silo', {'b': '2', 'a': '1'}, False)\n"
        f"s = plan_silo(t, {SIZING!r})\n"
        "p = plan_pool(PoolFacts('1b6f4d4e-1111-4222-8333-444455556666', 'local', 'local-1', 'g'), [t], s.variables['sizing'])\n"
        "print(s.revision, p.revision, s.files['paybill.auto.tfvars.json'].decode().strip())\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", program],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": str(seed), "PATH": "/usr/bin"},
        ).stdout
        for seed in (1, 2, 3)
    }
    assert len(outputs) == 1, outputs
    assert '"labels":{"a":"1","b":"2"}' in outputs.pop()


def test_runs_logs_cli_streams_the_log(api: Api, env: tuple[Api, Settings]) -> None:
    import os
    import subprocess
    import sys

    tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
    tenant = make_tenant(api, tier["key"])
    run_id = runs_of(api, tenant["id"])[0]["id"]
    cli_env = {**os.environ, "PAYBILL_DATABASE_URL": env[1].database_url or ""}
    result = subprocess.run(
        [sys.executable, "-m", "paybill_control_plane.cli.main", "runs", "logs", run_id],
        env=cli_env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Apply complete" in result.stdout
    # Piped, stdout carries the Terraform lines only; the summary goes to stderr.
    assert "run succeeded: +" in result.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "paybill_control_plane.cli.main", "runs", "logs",
         "00000000-0000-0000-0000-000000000000"],
        env=cli_env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert missing.returncode == 2 and "no run with id" in missing.stderr
