"""A simulated fleet of 300 `local` stacks: a release that fails on ~5% of its stacks halts
within its error budget, leaves the rest untouched, and rolls back."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from paybill_control_plane.config import Settings
from paybill_control_plane.fleet.releases import snapshot
from tests.factories import make_tier
from tests.fleet.fleet_seed import seed
from tests.live import Api
from tests.provisioning.stack_env import stack_environment, wait_for

pytestmark = [pytest.mark.terraform, pytest.mark.slow]

SILOS, POOLS, MEMBERS = 270, 30, 2  # 300 stacks, 330 tenants
CONCURRENCY, BUDGET = 4, 3
# ~5% of the silo stacks: four early (the budget is spent by the third wave), then one in 20.
BAD = {p for p in range(SILOS) if (p < 40 and p % 10 == 2) or (p >= 40 and p % 20 == 7)}
TRIPWIRE = """
  validation {
    condition     = !startswith(var.tenant_slug, "legacy-")
    error_message = "Release 2 no longer accepts legacy- tenant slugs."
  }
"""


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, Settings]]:
    with stack_environment(
        tmp_path_factory.mktemp("fleet"),
        # A stack counts as failed after its run's first attempt: concurrent runs no longer fail
        # each other in the data tier's step (its catalog changes are serialised per server).
        run_max_attempts=1,
        rollout_poll_seconds=0.3,
        drift_interval=0,
        worker_concurrency=CONCURRENCY,
    ) as pair:
        yield pair


def _v2_files() -> dict[str, str]:
    files = snapshot("local/silo")
    marker = 'variable "tenant_slug" {\n'
    head, tail = files["variables.tf"].split(marker, 1)
    body, rest = tail.split("\n}\n", 1)
    files["variables.tf"] = f"{head}{marker}{body}\n{TRIPWIRE}}}\n{rest}"
    return files


def test_rollout_halts_within_budget_and_rolls_back(env: tuple[Api, Settings]) -> None:
    api, settings = env
    assert settings.database_url is not None
    assert len(BAD) * 100 // SILOS == 5
    tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo", "pooled"])
    v1 = api.ok("POST", "/v1/module-releases", 201, json={"module": "local/silo", "version": "1.0"})
    v2 = api.ok(
        "POST",
        "/v1/module-releases",
        201,
        json={
            "module": "local/silo",
            "version": "2.0",
            "upgradeable_from": ">=1.0,<2",
            "notes": "refuses legacy slugs",
            "files": _v2_files(),
        },
    )
    assert v2["digest"] != v1["digest"]
    fleet = seed(
        settings.database_url,
        tier["key"],
        uuid.UUID(v1["id"]),
        silos=SILOS,
        pools=POOLS,
        members=MEMBERS,
        bad=BAD,
    )
    rollout = api.ok(
        "POST",
        "/v1/rollouts",
        201,
        json={
            "release_id": v2["id"],
            "selector": {"cloud": "local", "tier": tier["key"]},
            "strategy": {"canary": 5, "growth": 2, "max_concurrency": CONCURRENCY},
            "max_failures": BUDGET,
        },
    )
    assert len(rollout["targets"]) == SILOS  # pools run another module: not selected
    assert [w["size"] for w in rollout["waves"]][:4] == [5, 10, 20, 40]

    def finished(status: str) -> Any:
        def check() -> dict[str, Any] | None:
            got = api.ok("GET", f"/v1/rollouts/{rollout['id']}")
            return got if got["status"] == status and got["counts"].get("running", 0) == 0 else None

        return check

    halted = wait_for(finished("halted"), timeout=600, interval=1)
    failed = halted["failures"]
    assert BUDGET < len(failed) <= BUDGET + CONCURRENCY
    assert all("legacy-" in (f["error"] or "") for f in failed), [f["error"] for f in failed]
    by_stack = {t["stack_id"]: t for t in halted["targets"]}
    positions = {str(s): p for p, s in enumerate(fleet.silo_stacks)}
    assert {positions[f["stack_id"]] for f in failed} <= BAD
    untouched = [t for t in halted["targets"] if t["status"] == "pending"]
    assert len(untouched) > SILOS // 2
    for target in untouched[:20]:
        stack = api.ok("GET", f"/v1/stacks/{target['stack_id']}")
        assert stack["release_id"] == v1["id"] and stack["last_run_id"] is None
    for stack_id in fleet.pool_stacks[:5]:
        stack = api.ok("GET", f"/v1/stacks/{stack_id}")
        assert stack["release_id"] is None and stack["last_run_id"] is None
    succeeded = [t for t in halted["targets"] if t["status"] == "succeeded"]
    assert succeeded and all(
        api.ok("GET", f"/v1/stacks/{t['stack_id']}")["release_id"] == v2["id"]
        for t in succeeded[:5]
    )
    assert halted["halted_reason"] and str(BUDGET) in halted["halted_reason"]

    api.ok("POST", f"/v1/rollouts/{rollout['id']}/rollback")
    back = wait_for(finished("rolled_back"), timeout=600, interval=1)
    for target in back["targets"]:
        before = by_stack[target["stack_id"]]["status"]
        if before in ("failed", "succeeded"):
            assert target["status"] == "rolled_back", target
        elif before == "pending":
            assert target["status"] == "cancelled"
    for f in failed:
        stack = api.ok("GET", f"/v1/stacks/{f['stack_id']}")
        assert stack["release_id"] == v1["id"] and stack["status"] == "applied"
