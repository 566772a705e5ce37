"""The bare baseline of a silo provision: `terraform init && terraform apply` of the same files
with the same backend (the pg backend in the same database), the same Terraform, no control plane.
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
    database_url: str, tenant: dict[str, Any], tier: dict[str, Any], workdir: Path
) -> tuple[float, float]:
    """Render the tenant's silo stack into `workdir`, then time init and apply: (init s, apply s)."""
    facts = TenantFacts(
        tenant["id"], tenant["slug"], tier["key"], "local", "local-1", "silo", {}, False
    )
    spec = plan_silo(facts, tier["sizing"])
    for name, content in spec.files.items():
        (workdir / name).write_bytes(content)
    env = build_env(
        {**terraform_state_env(database_url), "PG_SCHEMA_NAME": f"bench_{uuid.uuid4().hex[:8]}"}
    )
    binary = resolve_terraform_binary(None)
    times = []
    for args in (["init", "-input=false"], ["apply", "-auto-approve", "-input=false"]):
        started = time.monotonic()
        subprocess.run([*binary, *args], cwd=workdir, env=env, check=True, capture_output=True)
        times.append(time.monotonic() - started)
    return times[0], times[1]
