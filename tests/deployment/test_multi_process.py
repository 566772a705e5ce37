"""A deployment without Docker: one API and two workers from the wheel, started at the same moment.

They race on the migrations of a fresh database; then a silo and five pooled tenants are
provisioned on the `local` cloud while one worker is killed with SIGKILL in the middle of an
apply. Every tenant must end `active`, once: one stack per silo tenant, each pooled tenant in
exactly one pool, no run duplicated.
"""

from __future__ import annotations

import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.db import create_empty_database, drop_database
from tests.deployment.installed import Installed, stop, wait_ready
from tests.live import Api, free_port
from tests.provisioning.stack_env import runs_of, wait_for, wait_status

pytestmark = [pytest.mark.slow, pytest.mark.terraform]

SECRET_KEY = "deployment-test-secret-key-0123456789abcdef"


def _admin_key(log: Path) -> str:
    def key() -> str | None:
        for line in log.read_text().splitlines():
            if line.strip().startswith("pbk_"):
                return line.strip()
        return None

    return wait_for(key, timeout=60)  # type: ignore[no-any-return]


def _tenant(api: Api, slug: str, tier: str) -> dict[str, Any]:
    body = {"slug": slug, "name": slug, "tier": tier, "cloud": "local", "region": "local-1"}
    return api.ok("POST", "/v1/tenants", 201, json=body)  # type: ignore[no-any-return]


def test_api_and_two_workers_from_the_wheel_survive_a_killed_worker(
    installed: Installed, tmp_path: Path
) -> None:
    url = create_empty_database("deploy")
    port = free_port()
    common = {
        "database_url": url,
        "secret_key": SECRET_KEY,
        "local_apply_delay_seconds": "3",
        "stalled_job_seconds": "3",
        "run_retry_base_seconds": "0.2",
        "log_level": "warning",
    }
    logs = [tmp_path / name for name in ("api.log", "worker-1.log", "worker-2.log")]
    for name in ("api", "w1", "w2"):
        (tmp_path / name).mkdir()
    api_proc = w1 = w2 = None
    try:
        # All three at once, on a database without a schema: they race on the migrations.
        api_proc = installed.start(
            "serve",
            "--port",
            str(port),
            cwd=tmp_path / "api",
            log=logs[0],
            env=installed.env(**common, data_dir=str(tmp_path / "api"), embedded_worker="false"),
        )
        w1, w2 = (
            installed.start(
                "worker",
                "--name",
                name,
                # One job at a time: once two applies run, each worker holds one, so the kill
                # below lands inside an apply whichever worker took which job.
                "--concurrency",
                "1",
                cwd=tmp_path / name,
                log=log,
                env=installed.env(**common, data_dir=str(tmp_path / name)),
            )
            for name, log in (("w1", logs[1]), ("w2", logs[2]))
        )
        base = f"http://127.0.0.1:{port}"
        wait_ready(base, [api_proc, w1, w2], logs)
        key = _admin_key(logs[0])

        env = installed.env(**common)
        catalog = tmp_path / "catalog.yaml"
        example = installed.run("catalog", "example", cwd=tmp_path, env=env)
        catalog.write_text(example.stdout)
        applied = installed.run("catalog", "apply", str(catalog), cwd=tmp_path, env=env)
        assert applied.returncode == 0, applied.stderr

        with Api(base, key) as api:
            silo = _tenant(api, "acme-silo", "enterprise")
            pooled = [_tenant(api, f"small-{i}", "free") for i in range(5)]
            tenants = [silo, *pooled]

            def applying() -> bool:
                runs = {run["id"]: run for t in tenants for run in runs_of(api, t["id"])}
                running = [
                    run
                    for run in runs.values()
                    if any(s["name"] == "apply" and s["status"] == "running" for s in run["steps"])
                ]
                return len(running) >= 2

            wait_for(applying, timeout=120, interval=0.1)
            time.sleep(1)  # inside the applies, while the local module sleeps
            w1.send_signal(signal.SIGKILL)
            w1.wait(timeout=10)

            for tenant in tenants:
                wait_status(api, tenant["id"], "active", timeout=240)
            assert w2.poll() is None, logs[2].read_text()
            _assert_provisioned_once(api, silo, pooled)
    finally:
        stop(api_proc, w1, w2)
        drop_database(url)


def _assert_provisioned_once(api: Api, silo: dict[str, Any], pooled: list[dict[str, Any]]) -> None:
    listed = api.ok("GET", "/v1/tenants", params={"limit": 200})["items"]
    assert Counter(t["slug"] for t in listed) == Counter(t["slug"] for t in [silo, *pooled]), (
        "each tenant exists once"
    )
    assert {t["status"] for t in listed} == {"active"}

    [stack] = api.ok("GET", "/v1/stacks", params={"tenant_id": silo["id"]})["items"]
    assert stack["kind"] == "silo" and stack["status"] == "applied"
    silo_runs = runs_of(api, silo["id"])
    assert len(silo_runs) == 1, "the killed worker must not cause a second run"
    assert silo_runs[0]["status"] == "succeeded"
    assert stack["applied_revision"] == silo_runs[0]["revision"]

    pool_stacks = api.ok("GET", "/v1/stacks", params={"kind": "pool", "limit": 200})["items"]
    memberships = Counter(
        member["tenant_id"] for stack in pool_stacks for member in stack["variables"]["tenants"]
    )
    assert memberships == Counter({t["id"]: 1 for t in pooled}), memberships
    pools = api.ok("GET", "/v1/pools", params={"limit": 200})["items"]
    assert sum(pool["members"] for pool in pools) == len(pooled)
    assert all(s["status"] == "applied" for s in pool_stacks)

    # Work is never duplicated: one apply per (stack, revision), each run finished successfully.
    # A pool run queued for a tenant whose placement an earlier run had already rendered finds
    # that revision applied and ends as a `noop` (it applies nothing): batching, not a duplicate.
    runs = {run["id"]: run for t in pooled for run in runs_of(api, t["id"])}
    assert runs and all(run["status"] == "succeeded" for run in runs.values())
    runs.update({run["id"]: run for run in silo_runs})
    retried = [run for run in runs.values() if run["attempt"] > 1]
    assert retried, "the killed worker's run was taken over by the other worker"
    per_revision = Counter(
        (run["stack_id"], run["revision"]) for run in runs.values() if run["operation"] == "apply"
    )
    assert per_revision and max(per_revision.values()) == 1, per_revision
