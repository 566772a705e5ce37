"""The worker inits a module release once: later silo stacks reuse that init, and still plan,
save, store and apply their own plan in their own workspace."""

from __future__ import annotations

from pathlib import Path

from tests.factories import make_tenant, make_tier
from tests.provisioning.stack_env import runs_of, stack_environment, wait_status


def test_the_second_silo_stack_reuses_the_first_ones_init(tmp_path: Path) -> None:
    with stack_environment(tmp_path) as (api, _):
        tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
        inits = []
        # One after the other: the second run starts after the first one's init has finished.
        for _ in range(2):
            tenant = make_tenant(api, tier["key"])
            wait_status(api, tenant["id"], "active")
            [run] = runs_of(api, tenant["id"])
            steps = {s["name"]: s for s in run["steps"]}
            assert steps["plan"]["status"] == steps["apply"]["status"] == "succeeded"
            inits.append(steps["init"]["detail"])
            plan = api.ok("GET", f"/v1/runs/{run['id']}/plan")
            assert plan["summary"]["add"] == 5 and plan["plan"]  # shown, stored with the outcome
        assert all(d.startswith("workspace silo-") for d in inits)
        # Each in its own workspace; only the later one reuses the embedded worker's init.
        assert inits[0] != inits[1]
        assert not inits[0].endswith("init reused")
        assert inits[1].endswith("(created); init reused")
