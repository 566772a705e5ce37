"""`paybill runs approve|reject` and `paybill approvals list`, as the API's approvals."""

from __future__ import annotations

import json
import uuid

from tests.cli.helpers import audit_events, execute, paybill
from tests.factories import make_tenant, make_tier
from tests.live import Api


def _held(admin: Api, database_url: str, *, required: int = 1, requested_by: str = "") -> str:
    """A run held for approval (the plan phase's outcome, set up directly: no Terraform here)."""
    tier = make_tier(admin, default_isolation="silo", allowed_isolation=["silo"])
    tenant = make_tenant(admin, tier["key"])
    [run] = admin.ok("GET", f"/v1/tenants/{tenant['id']}/runs")["items"]
    plan_id, sha = str(uuid.uuid4()), uuid.uuid4().hex * 2
    execute(
        database_url, "UPDATE runs SET status = 'awaiting_approval' WHERE id = :id", id=run["id"]
    )
    execute(
        database_url,
        "INSERT INTO run_plans (id, run_id, attempt, operation, revision, sha256, plan_file,"
        " plan_json, summary, created_at) VALUES (:plan, :id, 1, 'apply', NULL, :sha, '\\x00',"
        " '{}', '{}', now())",
        id=run["id"], plan=plan_id, sha=sha,
    )  # fmt: skip
    execute(
        database_url,
        "INSERT INTO approvals (id, run_id, run_plan_id, plan_sha256, status, required,"
        " requested_by, policies, approvers, created_at, expires_at) VALUES (:approval, :id,"
        " :plan, :sha, 'pending', :required, :requested_by,"
        ' \'[{"name": "big-change", "message": "needs a person"}]\', \'[]\','
        " now(), now() + interval '1 day')",
        id=run["id"], plan=plan_id, sha=sha, approval=str(uuid.uuid4()), required=required,
        requested_by=requested_by or run["requested_by"],
    )  # fmt: skip
    return str(run["id"])


def test_list_approve_and_resume(admin: Api, database_url: str) -> None:
    run_id = _held(admin, database_url, required=2)
    table = paybill(database_url, "approvals", "list", "--status", "pending", "--limit", "200")
    assert table.exit_code == 0, table.output
    header, *rows = table.stdout.splitlines()
    assert header.split()[:4] == ["RUN", "STATUS", "APPROVALS", "REQUESTED_BY"]
    [mine] = [r for r in rows if r.startswith(run_id)]
    assert mine.split()[1:3] == ["pending", "0/2"] and mine.split()[-1] == "big-change"
    listed = json.loads(
        paybill(database_url, "approvals", "list", "--status", "pending", "--json").stdout
    )
    api_page = admin.ok("GET", "/v1/approvals", params={"status": "pending"})
    assert listed == api_page

    first = paybill(database_url, "runs", "approve", run_id, "--as", "alice", "--comment", "ok")
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == f"run {run_id} approved by cli:alice (1/2)"
    twice = paybill(database_url, "runs", "approve", run_id, "--as", "alice")
    assert twice.exit_code == 1 and "[already-approved]" in twice.stderr
    # The operator's name comes from $PAYBILL_OPERATOR when --as is not given.
    second = paybill(
        database_url, "runs", "approve", run_id, "--json", env={"PAYBILL_OPERATOR": "bob"}
    )
    assert second.exit_code == 0, second.output
    out = json.loads(second.stdout)
    assert out["status"] == "approved" and out["decided_by"] == "cli:bob"
    assert [a["actor"] for a in out["approvers"]] == ["cli:alice", "cli:bob"]
    assert admin.ok("GET", f"/v1/runs/{run_id}")["status"] == "queued"  # resumed
    events = audit_events(database_url, run_id, "run.approved")
    assert [e["actor"] for e in events] == ["cli:alice", "cli:bob"]
    assert events[0]["after"]["comment"] == "ok" and events[1]["after"]["resumed"] is True
    late = paybill(database_url, "runs", "reject", run_id, "--reason", "no", "--as", "carol")
    assert late.exit_code == 1 and "[no-pending-approval]" in late.stderr


def test_reject_fails_the_run_and_the_tenant(admin: Api, database_url: str) -> None:
    run_id = _held(admin, database_url)
    missing = paybill(database_url, "runs", "reject", run_id, "--as", "alice")
    assert missing.exit_code == 2  # --reason is required
    rejected = paybill(
        database_url, "runs", "reject", run_id, "--reason", "keep it", "--as", "alice"
    )
    assert rejected.exit_code == 0, rejected.output
    assert rejected.stdout.strip() == f"run {run_id} rejected by cli:alice"
    run = admin.ok("GET", f"/v1/runs/{run_id}")
    assert run["status"] == "failed" and run["error"] == "rejected by cli:alice: keep it"
    [tenant_id] = run["tenant_ids"]
    assert admin.ok("GET", f"/v1/tenants/{tenant_id}")["status"] == "failed"
    [event] = audit_events(database_url, run_id, "run.rejected")
    assert event["actor"] == "cli:alice" and event["after"]["reason"] == "keep it"


def test_requester_cannot_approve_from_the_cli(admin: Api, database_url: str) -> None:
    # The operator who caused the run, named the same way, is its requester.
    own = _held(admin, database_url, requested_by="cli:alice")
    refused = paybill(database_url, "runs", "approve", own, "--as", "alice")
    assert refused.exit_code == 1 and "[self-approval]" in refused.stderr
    assert paybill(database_url, "runs", "approve", own, "--as", "bob").exit_code == 0
    # A run the anonymous CLI caused may be any operator's: no CLI operator approves it.
    anonymous = _held(admin, database_url, requested_by="cli")
    for name in ("alice", "bob"):
        refused = paybill(database_url, "runs", "approve", anonymous, "--as", name)
        assert refused.exit_code == 1 and "[self-approval]" in refused.stderr
    assert admin.ok("GET", f"/v1/runs/{anonymous}")["status"] == "awaiting_approval"
    # An API key (another person) may approve it.
    assert admin.ok("POST", f"/v1/runs/{anonymous}/approve")["status"] == "approved"
    bad = paybill(database_url, "runs", "approve", anonymous, "--as", "two words")
    assert bad.exit_code == 2 and "--as NAME" in bad.stderr
