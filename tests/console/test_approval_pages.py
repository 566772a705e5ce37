"""The console's approvals: the pending list, a run's plan, approve and reject, over HTTP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.console.helpers import ConsoleClient, hold_run
from tests.factories import make_tenant, make_tier
from tests.live import Api, LiveServer


def _held(admin: Api, database_url: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    tier = make_tier(admin, default_isolation="silo", allowed_isolation=["silo"])
    tenant = make_tenant(admin, tier["key"])
    [run] = admin.ok("GET", f"/v1/tenants/{tenant['id']}/runs")["items"]
    sha = hold_run(database_url, run["id"], run["requested_by"])
    return tenant, run, sha


def test_pending_list_and_plan_then_approve(
    admin: Api, console_for: Callable[..., ConsoleClient], database_url: str
) -> None:
    _, run, sha = _held(admin, database_url)
    operator = console_for("operator")
    listing = operator.get("/console/approvals")
    assert listing.status_code == 200 and run["id"][:8] in listing.text
    assert 'href="/console/approvals"' in listing.text
    page = operator.get(f"/console/runs/{run['id']}").text
    assert sha[:12] in page and "local_file.old_config" in page and "big-change" in page
    assert 'data-opens="confirm-approve"' in page and 'data-opens="confirm-reject"' in page
    approved = operator.act(f"/console/runs/{run['id']}/approve", comment="looks right")
    assert approved.status_code == 303
    assert admin.ok("GET", f"/v1/runs/{run['id']}")["status"] == "queued"
    after = operator.get(f"/console/runs/{run['id']}").text
    assert 'data-opens="confirm-approve"' not in after and "approved" in after
    assert run["id"][:8] not in operator.get("/console/approvals").text
    assert run["id"][:8] in operator.get("/console/approvals?status=approved").text
    [event] = [
        e for e in admin.ok("GET", "/v1/audit-events", params={"action": "run.approved"})["items"]
        if e["target_id"] == run["id"]
    ]  # fmt: skip
    assert event["after"]["comment"] == "looks right"


def test_reject_needs_a_reason_and_fails_the_run(
    admin: Api, console_for: Callable[..., ConsoleClient], database_url: str
) -> None:
    tenant, run, _ = _held(admin, database_url)
    operator = console_for("operator")
    url = f"/console/runs/{run['id']}/reject"
    assert operator.act(url, reason="  ").status_code == 400
    assert operator.act(url, reason="too big a change").status_code == 303
    failed = admin.ok("GET", f"/v1/runs/{run['id']}")
    assert failed["status"] == "failed" and "too big a change" in failed["error"]
    assert admin.ok("GET", f"/v1/tenants/{tenant['id']}")["status"] == "failed"


def test_who_may_decide(
    admin: Api,
    console_for: Callable[..., ConsoleClient],
    database_url: str,
    live_server: LiveServer,
) -> None:
    tenant, run, _ = _held(admin, database_url)
    run_page = f"/console/runs/{run['id']}"
    viewer = console_for("viewer")
    page = viewer.get(run_page).text
    # The plan, as GET /v1/runs/{id}/plan; not the approval request (GET /v1/approvals is for
    # keys that may approve).
    assert "local_file.old_config" in page and "data-opens=" not in page
    assert "big-change" not in page and "requested by" not in page
    assert viewer.get("/console/approvals").status_code == 403
    assert viewer.act(f"{run_page}/approve").status_code == 403
    tenant_key = console_for("tenant", tenant["id"])
    own = tenant_key.get(run_page).text
    assert "local_file.config" in own and "data-opens=" not in own and "big-change" not in own
    assert tenant_key.act(f"{run_page}/approve").status_code == 403
    assert tenant_key.act(f"{run_page}/reject", reason="no").status_code == 403
    # The requester (the admin key that created the tenant) sees the plan but no buttons, and
    # the API's rule refuses its approval.
    with ConsoleClient(live_server.url) as requester:
        assert requester.sign_in(admin.key or "").status_code == 303
        assert 'data-opens="confirm-approve"' not in requester.get(run_page).text
        refused = requester.act(f"{run_page}/approve")
        assert refused.status_code == 403 and "cannot approve" in refused.text
    other = make_tenant(
        admin, make_tier(admin, default_isolation="silo", allowed_isolation=["silo"])["key"]
    )
    [other_run] = admin.ok("GET", f"/v1/tenants/{other['id']}/runs")["items"]
    other_key = console_for("tenant", other["id"])
    assert other_key.get(run_page).status_code == 404
    assert admin.ok("GET", f"/v1/runs/{run['id']}")["status"] == "awaiting_approval"
    assert other_run["status"] == "queued"


def test_approval_forms_need_the_csrf_token(
    admin: Api, console_for: Callable[..., ConsoleClient], database_url: str
) -> None:
    _, run, _ = _held(admin, database_url)
    operator = console_for("operator")
    for action in ("approve", "reject"):
        url = f"/console/runs/{run['id']}/{action}"
        assert operator.post_form(url, {"reason": "x"}).status_code == 403
        assert operator.post_form(url, {"csrf_token": "0" * 64, "reason": "x"}).status_code == 403
        forged = operator.post_form(
            url,
            {"csrf_token": operator.csrf, "reason": "x"},
            headers={"Origin": "https://evil.example"},
        )
        assert forged.status_code == 403
    assert admin.ok("GET", f"/v1/runs/{run['id']}")["status"] == "awaiting_approval"
