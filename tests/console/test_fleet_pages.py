"""The console's fleet pages: rollouts with their actions, drift findings; roles and CSRF."""

from __future__ import annotations

from collections.abc import Callable

from tests.console.helpers import ConsoleClient, drift_row, rollout_rows
from tests.factories import make_tenant, make_tier
from tests.live import Api


def _tenant_id(admin: Api) -> str:
    tier = make_tier(admin, default_isolation="silo", allowed_isolation=["silo"])
    return str(make_tenant(admin, tier["key"])["id"])


def test_rollout_waves_and_actions(
    admin: Api, console_for: Callable[..., ConsoleClient], database_url: str
) -> None:
    rollout = rollout_rows(database_url, _tenant_id(admin), _tenant_id(admin))
    operator = console_for("operator")
    listing = operator.get("/console/fleet/rollouts")
    assert listing.status_code == 200 and rollout[:8] in listing.text
    page = operator.get(f"/console/fleet/rollouts/{rollout}").text
    assert "(current)" in page and "pending" in page and "succeeded" in page
    base = f"/console/fleet/rollouts/{rollout}"
    assert f'action="{base}/pause"' in page and f'action="{base}/resume"' not in page
    assert 'data-opens="confirm-cancel"' in page and 'data-opens="confirm-rollback"' in page
    assert operator.act(f"{base}/explode").status_code == 404
    assert operator.act(f"{base}/pause").status_code == 303
    assert admin.ok("GET", f"/v1/rollouts/{rollout}")["status"] == "paused"
    assert operator.act(f"{base}/pause").status_code == 409  # the service's rule
    assert f'action="{base}/resume"' in operator.get(base).text
    assert operator.act(f"{base}/resume").status_code == 303
    assert operator.act(f"{base}/cancel").status_code == 303
    cancelled = admin.ok("GET", f"/v1/rollouts/{rollout}")
    assert cancelled["status"] == "cancelled"
    assert sorted(t["status"] for t in cancelled["targets"]) == ["cancelled", "succeeded"]
    actions = [e["action"] for e in admin.ok(
        "GET", "/v1/audit-events", params={"action": "rollout.pause"})["items"]]  # fmt: skip
    assert "rollout.pause" in actions


def test_drift_remediate_and_ignore(
    admin: Api, console_for: Callable[..., ConsoleClient], database_url: str
) -> None:
    tenant_id = _tenant_id(admin)
    ignored, remediated = drift_row(database_url, tenant_id), drift_row(database_url, tenant_id)
    operator = console_for("operator")
    page = operator.get("/console/fleet/drift").text
    assert "local_file.config" in page and f'data-opens="ignore-{ignored}"' in page
    assert operator.act(f"/console/fleet/drift/{ignored}/ignore", reason=" ").status_code == 400
    done = operator.act(f"/console/fleet/drift/{ignored}/ignore", reason="managed by hand")
    assert done.status_code == 303
    assert "managed by hand" in operator.get("/console/fleet/drift?status=ignored").text
    run = operator.act(f"/console/fleet/drift/{remediated}/remediate")
    assert run.status_code == 303 and run.headers["location"].startswith("/console/runs/")
    [finding] = [
        f for f in admin.ok("GET", "/v1/drift-findings", params={"tenant_id": tenant_id})["items"]
        if f["id"] == remediated
    ]  # fmt: skip
    assert run.headers["location"] == f"/console/runs/{finding['remediation_run_id']}"
    assert operator.get("/console/fleet/drift?status=nonsense").status_code == 400


def test_viewer_and_tenant_keys(
    admin: Api, console_for: Callable[..., ConsoleClient], database_url: str
) -> None:
    tenant_id = _tenant_id(admin)
    rollout = rollout_rows(database_url, tenant_id, _tenant_id(admin))
    finding = drift_row(database_url, tenant_id)
    viewer = console_for("viewer")
    page = viewer.get(f"/console/fleet/rollouts/{rollout}").text
    assert "(current)" in page and "data-opens=" not in page and "/pause" not in page
    drift = viewer.get("/console/fleet/drift").text
    assert "local_file.config" in drift and "/remediate" not in drift
    for url in (
        f"/console/fleet/rollouts/{rollout}/cancel",
        f"/console/fleet/drift/{finding}/remediate",
    ):
        refused = viewer.act(url)
        assert refused.status_code == 403 and "runs:write" in refused.text
    tenant_key = console_for("tenant", tenant_id)
    for url in (
        "/console/fleet/rollouts",
        f"/console/fleet/rollouts/{rollout}",
        "/console/fleet/drift",
    ):
        assert tenant_key.get(url).status_code == 403
    assert admin.ok("GET", f"/v1/rollouts/{rollout}")["status"] == "running"


def test_fleet_forms_need_the_csrf_token(
    admin: Api, console_for: Callable[..., ConsoleClient], database_url: str
) -> None:
    tenant_id = _tenant_id(admin)
    rollout = rollout_rows(database_url, tenant_id, _tenant_id(admin))
    finding = drift_row(database_url, tenant_id)
    operator = console_for("operator")
    for url in (
        f"/console/fleet/rollouts/{rollout}/pause",
        f"/console/fleet/rollouts/{rollout}/rollback",
        f"/console/fleet/drift/{finding}/remediate",
        f"/console/fleet/drift/{finding}/ignore",
    ):
        assert operator.post_form(url, {"reason": "x"}).status_code == 403, url
        assert operator.post_form(url, {"csrf_token": "0" * 64, "reason": "x"}).status_code == 403
        forged = operator.post_form(
            url,
            {"csrf_token": operator.csrf, "reason": "x"},
            headers={"Origin": "https://evil.example"},
        )
        assert forged.status_code == 403, url
    assert admin.ok("GET", f"/v1/rollouts/{rollout}")["status"] == "running"
