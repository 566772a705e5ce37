"""Drift on `local`: an out-of-band apply in a stack's workspace is found once, then remediated."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from paybill_control_plane.config import Settings
from paybill_control_plane.provisioning.executor import terraform_state_env
from paybill_control_plane.provisioning.terraform import resolve_terraform_binary
from tests.factories import make_tenant, make_tier
from tests.live import Api
from tests.provisioning.stack_env import stack_environment, wait_for, wait_status

pytestmark = pytest.mark.terraform


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, Settings]]:
    with stack_environment(
        tmp_path_factory.mktemp("drift"), drift_interval=0, rollout_poll_seconds=0.3
    ) as pair:
        yield pair


def _out_of_band_apply(settings: Settings, stack: dict[str, Any], labels: dict[str, str]) -> None:
    """What a person with the state's credentials might do: apply other inputs by hand."""
    assert settings.database_url is not None
    workdir = settings.stacks_dir / stack["id"]
    env = {
        **terraform_state_env(settings.database_url),
        "TF_WORKSPACE": stack["workspace"],
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(workdir),
    }
    argv = [*resolve_terraform_binary(settings.terraform_bin), "apply", "-auto-approve"]
    argv += ["-input=false", "-no-color", f"-var=labels={json.dumps(labels)}"]
    subprocess.run(argv, cwd=Path(workdir), env=env, check=True, capture_output=True)


def _check(api: Api, stack_id: str, after: str | None) -> dict[str, Any]:
    api.ok("POST", f"/v1/stacks/{stack_id}/drift-checks", 202)

    def checked() -> dict[str, Any] | None:
        stack = api.ok("GET", f"/v1/stacks/{stack_id}")
        done = stack["drift_checked_at"] is not None and stack["drift_checked_at"] != after
        return stack if done else None

    return wait_for(checked, timeout=120)  # type: ignore[no-any-return]


def _findings(api: Api, stack_id: str, **params: str) -> list[dict[str, Any]]:
    page = api.ok("GET", "/v1/drift-findings", params={"stack_id": stack_id, **params})
    return page["items"]  # type: ignore[no-any-return]


def test_out_of_band_change_is_one_finding_and_remediation_clears_it(
    env: tuple[Api, Settings],
) -> None:
    api, settings = env
    tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
    tenant = make_tenant(api, tier["key"])
    wait_status(api, tenant["id"], "active")
    [stack] = api.ok("GET", "/v1/stacks", params={"tenant_id": tenant["id"]})["items"]

    first = _check(api, stack["id"], None)
    assert first["drift_status"] == "in_sync"
    assert _findings(api, stack["id"]) == []

    _out_of_band_apply(settings, stack, {"changed_by": "hand"})
    second = _check(api, stack["id"], first["drift_checked_at"])
    assert second["drift_status"] == "drifted"
    third = _check(api, stack["id"], second["drift_checked_at"])
    [finding] = _findings(api, stack["id"])  # two checks, one drift: one finding
    assert finding["status"] == "open" and finding["tenant_id"] == tenant["id"]
    assert "terraform_data.database" in finding["addresses"]
    assert "input.labels.changed_by" in finding["attributes"]["terraform_data.database"]
    assert finding["last_seen_at"] > finding["first_seen_at"]
    audit = api.ok("GET", "/v1/audit-events", params={"action": "drift.detected", "limit": 200})
    assert [e["target_id"] for e in audit["items"]].count(finding["id"]) == 1

    run = api.ok("POST", f"/v1/drift-findings/{finding['id']}/remediate", 202)
    assert run["kind"] == "remediate"

    def resolved() -> dict[str, Any] | None:
        [again] = _findings(api, stack["id"])
        return again if again["status"] == "resolved" else None

    cleared = wait_for(resolved, timeout=120)
    assert cleared["remediation_run_id"] == run["id"] and cleared["resolved_at"] is not None
    assert api.ok("GET", f"/v1/runs/{run['id']}")["status"] == "succeeded"
    assert api.ok("GET", f"/v1/stacks/{stack['id']}")["drift_status"] == "in_sync"
    assert third["drift_checked_at"] is not None


def test_ignore_keeps_the_same_drift_quiet(env: tuple[Api, Settings]) -> None:
    api, settings = env
    tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
    tenant = make_tenant(api, tier["key"])
    wait_status(api, tenant["id"], "active")
    [stack] = api.ok("GET", "/v1/stacks", params={"tenant_id": tenant["id"]})["items"]
    _out_of_band_apply(settings, stack, {"noisy": "yes"})
    checked = _check(api, stack["id"], None)
    [finding] = _findings(api, stack["id"])
    ignored = api.ok("POST", f"/v1/drift-findings/{finding['id']}/ignore", json={"reason": "known"})
    assert ignored["status"] == "ignored" and ignored["ignored_reason"] == "known"
    _check(api, stack["id"], checked["drift_checked_at"])
    [still] = _findings(api, stack["id"])
    assert still["status"] == "ignored" and still["id"] == finding["id"]
    assert _findings(api, stack["id"], status="open") == []
