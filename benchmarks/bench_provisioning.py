"""Provisioning benchmarks (issue 3). Prints numbers; asserts nothing.

1. Overhead: a silo tenant provisioned through the control plane (POST /v1/tenants → `active`:
   API, queue, render, init, workspace, apply, settle) vs bare `terraform init && terraform apply`
   of the same rendered files, median of N, as a ratio.
2. 200 pooled tenants created at once: wall time until all are `active`, and how many Terraform
   applies that took.

Run: `.venv/bin/python -m benchmarks.bench_provisioning` (uses PAYBILL_TEST_DATABASE_URL's server
when set, else the embedded Postgres).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg

from paybill_control_plane.app import create_app
from paybill_control_plane.config import Settings
from paybill_control_plane.db.embedded import to_libpq_url
from paybill_control_plane.provisioning.executor import terraform_state_env
from paybill_control_plane.provisioning.planner import TenantFacts, plan_silo
from paybill_control_plane.provisioning.terraform import build_env, resolve_terraform_binary
from tests.conftest import create_key_sync
from tests.db import create_database, drop_database
from tests.factories import SIZING, make_tenant, make_tier
from tests.live import Api, LiveServer

SAMPLES = int(os.environ.get("BENCH_SAMPLES", "7"))
POOLED = int(os.environ.get("BENCH_POOLED_TENANTS", "200"))


def wait_active(api: Api, tenant_id: str, timeout: float = 600) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = api.ok("GET", f"/v1/tenants/{tenant_id}")["status"]
        if status == "active":
            return time.monotonic()
        if status == "failed":
            raise RuntimeError(f"tenant {tenant_id} failed")
        time.sleep(0.01)
    raise TimeoutError(tenant_id)


def bare_apply(
    database_url: str, tenant: dict[str, Any], tier: dict[str, Any], workdir: Path
) -> float:
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
    started = time.monotonic()
    for args in (["init", "-input=false"], ["apply", "-auto-approve", "-input=false"]):
        subprocess.run([*binary, *args], cwd=workdir, env=env, check=True, capture_output=True)
    return time.monotonic() - started


def overhead(api: Api, database_url: str) -> None:
    tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo"], sizing=SIZING)
    through, bare = [], []
    for _ in range(SAMPLES):
        started = time.monotonic()
        tenant = make_tenant(api, tier["key"])
        through.append(wait_active(api, tenant["id"]) - started)
        with tempfile.TemporaryDirectory() as tmp:
            bare.append(bare_apply(database_url, tenant, tier, Path(tmp)))
    cp, tf = statistics.median(through), statistics.median(bare)
    print(
        f"silo provision through the control plane: median {cp:.3f}s over {SAMPLES} "
        f"(min {min(through):.3f}s, max {max(through):.3f}s)"
    )
    print(
        f"bare terraform init && apply, same files:  median {tf:.3f}s "
        f"(min {min(bare):.3f}s, max {max(bare):.3f}s)"
    )
    print(f"overhead ratio: {cp / tf:.2f} (target <= 1.25)")


def pooled(api: Api, database_url: str) -> None:
    tier = make_tier(api, default_isolation="pooled", allowed_isolation=["pooled"])
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        tenants = list(pool.map(lambda _: make_tenant(api, tier["key"]), range(POOLED)))
    created = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda t: wait_active(api, t["id"]), tenants))
    done = time.monotonic()
    with psycopg.connect(to_libpq_url(database_url)) as conn:
        applies, pools = conn.execute(
            "SELECT count(*) FILTER (WHERE r.operation = 'apply'), count(DISTINCT s.pool_id) "
            "FROM runs r JOIN stacks s ON s.id = r.stack_id WHERE s.kind = 'pool'"
        ).fetchone() or (0, 0)
    print(
        f"{POOLED} pooled tenants: all created in {created - started:.2f}s, "
        f"all active after {done - started:.2f}s; {applies} pool applies across {pools} pools"
    )


def main() -> None:
    url = create_database("bench")
    with tempfile.TemporaryDirectory() as data:
        settings = Settings(database_url=url, data_dir=Path(data), embedded_worker=True)
        server = LiveServer(create_app(settings)).start()
        try:
            with Api(server.url, create_key_sync(url, "admin")) as api:
                overhead(api, url)
                pooled(api, url)
        finally:
            server.stop()
            drop_database(url)


if __name__ == "__main__":
    main()
