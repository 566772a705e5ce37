"""`paybill runs list|retry|logs`."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import uuid

from tests.cli.helpers import audit_events, execute, paybill
from tests.factories import make_tenant, make_tier
from tests.live import Api


def _tenant_with_run(admin: Api) -> tuple[dict[str, str], str]:
    tier = make_tier(admin, default_isolation="silo", allowed_isolation=["silo"])
    tenant = make_tenant(admin, tier["key"])
    [run] = admin.ok("GET", f"/v1/tenants/{tenant['id']}/runs")["items"]
    return tenant, run["id"]


def test_list_filters_by_tenant_and_status(admin: Api, database_url: str) -> None:
    _tenant_with_run(admin)
    tenant, run_id = _tenant_with_run(admin)
    table = paybill(database_url, "runs", "list", "--tenant", tenant["slug"])
    assert table.exit_code == 0, table.output
    header, row = table.stdout.splitlines()
    assert header.split()[:5] == ["ID", "STATUS", "KIND", "OPERATION", "ATTEMPT"]
    assert row.split()[:3] == [run_id, "queued", "provision"]

    listed = json.loads(
        paybill(database_url, "runs", "list", "--tenant", tenant["id"], "--json").stdout
    )
    assert listed == admin.ok("GET", f"/v1/tenants/{tenant['id']}/runs")
    failed = paybill(database_url, "runs", "list", "--tenant", tenant["id"], "--status", "failed")
    assert failed.stdout.strip() == "No runs match."
    everyone = json.loads(paybill(database_url, "runs", "list", "--limit", "1", "--json").stdout)
    assert [r["id"] for r in everyone["items"]] == [run_id]  # newest first
    assert everyone["next_cursor"]


def test_retry_requeues_a_failed_run(admin: Api, database_url: str) -> None:
    _, run_id = _tenant_with_run(admin)
    not_failed = paybill(database_url, "runs", "retry", run_id)
    assert not_failed.exit_code == 1 and "[run-not-retryable]" in not_failed.stderr

    execute(
        database_url,
        "UPDATE runs SET status = 'failed', attempt = 3, error = 'boom' WHERE id = :id",
        id=run_id,
    )
    retried = paybill(database_url, "runs", "retry", run_id)
    assert retried.exit_code == 0, retried.output
    assert retried.stdout.strip() == f"run {run_id} queued again (attempts up to 6)"
    run = admin.ok("GET", f"/v1/runs/{run_id}")
    assert run["status"] == "queued" and run["error"] is None
    [event] = audit_events(database_url, run_id, "run.retried")
    assert event["actor"] == "cli" and event["before"]["error"] == "boom"
    missing = paybill(database_url, "runs", "retry", str(uuid.uuid4()))
    assert missing.exit_code == 1 and "[run-not-found]" in missing.stderr


def test_logs_to_a_pipe_are_the_terraform_lines_whole(admin: Api, database_url: str) -> None:
    _, run_id = _tenant_with_run(admin)
    long_line = "aws_s3_bucket.data: Creation complete after 2s [id=" + "x" * 300 + "]"
    lines = ["Terraform will perform the following actions:", long_line, "[bold]not markup[/bold]",
             "Apply complete! Resources: 1 added, 0 changed, 0 destroyed."]  # fmt: skip
    for line in lines:
        execute(database_url, "INSERT INTO run_log_lines (run_id, attempt, line, created_at) "
                "VALUES (:run, 1, :line, now())", run=run_id, line=line)  # fmt: skip
    execute(database_url, "UPDATE runs SET status = 'succeeded', "
            "plan_summary = '{\"add\": 1, \"change\": 0, \"destroy\": 0}' WHERE id = :id", id=run_id)  # fmt: skip

    # CliRunner's stdout is not a terminal, like a pipe or a file.
    result = paybill(database_url, "runs", "logs", run_id)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == lines
    assert result.stderr.strip() == "run succeeded: +1 ~0 -0"

    missing = paybill(database_url, "runs", "logs", str(uuid.uuid4()))
    assert missing.exit_code == 2 and missing.stdout == ""
    assert missing.stderr.startswith("error: no run with id")


def test_logs_on_a_terminal_show_the_progress_display(admin: Api, database_url: str) -> None:
    _, run_id = _tenant_with_run(admin)
    execute(database_url, "INSERT INTO run_log_lines (run_id, attempt, line, created_at) "
            "VALUES (:run, 1, 'Apply complete!', now())", run=run_id)  # fmt: skip
    execute(database_url, "UPDATE runs SET status = 'succeeded', steps = "
            "'[{\"name\": \"apply\", \"status\": \"succeeded\"}]' WHERE id = :id", id=run_id)  # fmt: skip
    controller, terminal = pty.openpty()
    env = {**os.environ, "PAYBILL_DATABASE_URL": database_url, "COLUMNS": "120"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "paybill_control_plane.cli.main", "runs", "logs", run_id],
        stdout=terminal, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed: the command ended
            break
        if not chunk:
            break
        output += chunk
    assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else ""
    os.close(controller)
    text = output.decode(errors="replace")
    assert "Apply complete!" in text
    assert "run succeeded: step apply (succeeded), attempt 0" in text  # the progress line
    assert "run succeeded: +0 ~0 -0" in text  # the summary stays on the terminal
