"""Failed runs retry with backoff then stop in `failed`; a SIGKILLed worker loses and duplicates nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from paybill_control_plane.app import create_app
from paybill_control_plane.config import Settings
from paybill_control_plane.db.embedded import to_libpq_url
from tests.conftest import create_key_sync
from tests.db import create_database, drop_database
from tests.factories import make_tenant, make_tier
from tests.live import Api, LiveServer
from tests.provisioning.stack_env import runs_of, stack_environment, wait_for, wait_status

pytestmark = [pytest.mark.terraform, pytest.mark.slow]

# Fault injection at the process edge: the real Terraform runs, except that `apply` fails
# while the marker file exists.
FLAKY_TERRAFORM = """#!/bin/sh
if [ "$1" = "apply" ] && [ -e "{marker}" ]; then
    echo "injected failure: the cloud API is unavailable" >&2
    exit 1
fi
exec {python} -m paybill_control_plane.terraform_shim "$@"
"""


def test_failed_run_retries_then_fails_then_manual_retry_succeeds(tmp_path: Path) -> None:
    marker = tmp_path / "fail-apply"
    marker.touch()
    wrapper = tmp_path / "terraform"
    wrapper.write_text(FLAKY_TERRAFORM.format(marker=marker, python=sys.executable))
    wrapper.chmod(0o755)
    with stack_environment(tmp_path / "data", terraform_bin=str(wrapper), run_max_attempts=2) as (
        api,
        _,
    ):
        tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
        tenant = make_tenant(api, tier["key"])
        failed = wait_status(api, tenant["id"], "failed", timeout=90)
        assert failed["allowed_actions"] == ["deprovision"]
        [run] = runs_of(api, tenant["id"])
        assert run["status"] == "failed" and run["attempt"] == 2
        assert "injected failure" in run["error"] or "exit code 1" in run["error"]
        assert [s["status"] for s in run["steps"] if s["name"] == "apply"] == ["failed", "failed"]
        conflict = api.post(f"/v1/tenants/{tenant['id']}/resume")
        assert conflict.status_code == 409

        marker.unlink()
        retried = api.ok("POST", f"/v1/runs/{run['id']}/retry", 202)
        assert retried["status"] == "queued"
        assert api.ok("GET", f"/v1/tenants/{tenant['id']}")["status"] == "provisioning"
        wait_status(api, tenant["id"], "active", timeout=90)
        done = api.ok("GET", f"/v1/runs/{run['id']}")
        assert done["status"] == "succeeded" and done["attempt"] == 3
        again = api.post(f"/v1/runs/{run['id']}/retry")
        assert again.status_code == 409 and again.json()["type"].endswith("/run-not-retryable")


def _worker(url: str, data_dir: Path, name: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PAYBILL_DATABASE_URL": url,
        "PAYBILL_DATA_DIR": str(data_dir),
        "PAYBILL_LOCAL_APPLY_DELAY_SECONDS": "4",
        "PAYBILL_STALLED_JOB_SECONDS": "3",
        "PAYBILL_LOG_LEVEL": "warning",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "paybill_control_plane.cli.main", "worker", "--name", name],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("reused_init", [False, True], ids=["own-init", "reused-init"])
def test_kill_9_mid_apply_loses_and_duplicates_nothing(tmp_path: Path, reused_init: bool) -> None:
    """`reused_init`: the killed run's directory got the init of an earlier stack of the
    worker (terraform/init_reuse.py), and the next worker, with no such memory, takes over
    in that same data directory."""
    url = create_database("crash")
    settings = Settings(database_url=url, data_dir=tmp_path / "api", embedded_worker=False)
    server = LiveServer(create_app(settings)).start()
    first = _worker(url, tmp_path / "w1", "w1")
    second = None
    try:
        with Api(server.url, create_key_sync(url, "admin")) as api:
            tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
            if reused_init:
                earlier = make_tenant(api, tier["key"])
                wait_status(api, earlier["id"], "active", timeout=120)
            tenant = make_tenant(api, tier["key"])

            def applying() -> bool:
                runs = runs_of(api, tenant["id"])
                return bool(runs) and any(
                    s["name"] == "apply" and s["status"] == "running" for s in runs[0]["steps"]
                )

            wait_for(applying, timeout=60, interval=0.1)
            time.sleep(1)  # inside the apply, while its local-exec sleeps
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            second = _worker(url, tmp_path / ("w1" if reused_init else "w2"), "w2")
            wait_status(api, tenant["id"], "active", timeout=120)

            runs = runs_of(api, tenant["id"])
            assert len(runs) == 1, "the crash must not create another run"
            [run] = runs
            assert run["status"] == "succeeded" and run["attempt"] == 2
            inits = [s["detail"] for s in run["steps"] if s["name"] == "init"]
            assert inits[0].endswith("init reused") == reused_init  # the killed attempt's
            assert not inits[-1].endswith("init reused")  # a new worker inits once again
            [stack] = api.ok("GET", "/v1/stacks", params={"tenant_id": tenant["id"]})["items"]
            assert stack["status"] == "applied" and stack["applied_revision"] == run["revision"]
        with psycopg.connect(to_libpq_url(url)) as conn:
            row = conn.execute(
                "SELECT data FROM terraform_state.states WHERE name = %s", (stack["workspace"],)
            ).fetchone()
        assert row is not None
        state = json.loads(row[0])
        addresses = [
            f"{r['type']}.{r['name']}" for r in state["resources"] if r["mode"] == "managed"
        ]
        assert len(addresses) == len(set(addresses)), f"duplicated resources in state: {addresses}"
        assert all(len(r["instances"]) == 1 for r in state["resources"] if r["mode"] == "managed")
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=15)
        server.stop()
        drop_database(url)
