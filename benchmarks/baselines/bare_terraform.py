"""The bare baseline of a silo provision: `terraform init && terraform apply` of the same files
with the same backend (the pg backend in the same database), the same Terraform, no control
plane. With `saved_plan`, what a gated run does bare: `init && plan -out=f && apply f`.

Like the worker's, each stack is a new workspace in a state schema that already exists: `init`
in the default workspace, then the commands with `TF_WORKSPACE` naming the new workspace
(created by the first of them). Earlier rounds gave every repetition a fresh schema, whose
`init` also created the backend's tables: a slower bare side than the worker's.
"""

from __future__ import annotations

import subprocess
import time
import uuid
from pathlib import Path
from typing import Any

from paybill_control_plane.provisioning.executor import terraform_state_env
from paybill_control_plane.provisioning.planner import TenantFacts, plan_silo
from paybill_control_plane.provisioning.terraform import build_env, resolve_terraform_binary


def bare_apply(
    database_url: str,
    tenant: dict[str, Any],
    tier: dict[str, Any],
    workdir: Path,
    *,
    saved_plan: bool = False,
) -> dict[str, float]:
    """Render the tenant's silo stack into `workdir`, then time each command: {name: s}."""
    facts = TenantFacts(
        tenant["id"], tenant["slug"], tier["key"], "local", "local-1", "silo", {}, False
    )
    spec = plan_silo(facts, tier["sizing"])
    for name, content in spec.files.items():
        (workdir / name).write_bytes(content)
    env = build_env({**terraform_state_env(database_url), "PG_SCHEMA_NAME": "bench_bare"})
    workspace = {**env, "TF_WORKSPACE": f"bare-{uuid.uuid4().hex[:12]}"}
    binary = resolve_terraform_binary(None)
    commands = {"init": ["init", "-input=false"]}
    if saved_plan:
        commands["plan"] = ["plan", "-input=false", "-out=bare.tfplan"]
        commands["apply"] = ["apply", "-input=false", "bare.tfplan"]
    else:
        commands["apply"] = ["apply", "-auto-approve", "-input=false"]
    times = {}
    for name, args in commands.items():
        started = time.monotonic()
        subprocess.run(
            [*binary, *args],
            cwd=workdir,
            env=env if name == "init" else workspace,
            check=True,
            capture_output=True,
        )
        times[name] = time.monotonic() - started
    return times
