"""A rollout is a durable workflow: a worker SIGKILLed mid-rollout is replaced, and the rollout
finishes with every stack upgraded once (no lost stack, no second run)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from paybill_control_plane.app import create_app
from paybill_control_plane.config import Settings
from paybill_control_plane.fleet.releases import snapshot
from tests.conftest import create_key_sync
from tests.db import create_database, drop_database
from tests.factories import make_tier
from tests.fleet.fleet_seed import seed
from tests.live import Api, LiveServer
from tests.provisioning.stack_env import wait_for

pytestmark = [pytest.mark.terraform, pytest.mark.slow]


def _worker(url: str, data_dir: Path, name: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PAYBILL_DATABASE_URL": url,
        "PAYBILL_DATA_DIR": str(data_dir),
        "PAYBILL_LOCAL_APPLY_DELAY_SECONDS": "2",
        "PAYBILL_STALLED_JOB_SECONDS": "3",
        "PAYBILL_ROLLOUT_POLL_SECONDS": "0.3",
        "PAYBILL_DRIFT_INTERVAL": "0",
        "PAYBILL_LOG_LEVEL": "warning",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "paybill_control_plane.cli.main", "worker", "--name", name],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_kill_9_mid_rollout_resumes_and_duplicates_nothing(tmp_path: Path) -> None:
    url = create_database("rollcrash")
    settings = Settings(database_url=url, data_dir=tmp_path / "api", embedded_worker=False)
    server = LiveServer(create_app(settings)).start()
    first = _worker(url, tmp_path / "w1", "w1")
    second = None
    try:
        with Api(server.url, create_key_sync(url, "admin")) as api:
            tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
            v1 = api.ok("POST", "/v1/module-releases", 201,
                        json={"module": "local/silo", "version": "1.0"})  # fmt: skip
            files = snapshot("local/silo")
            files["main.tf"] += "\n# 1.1\n"
            v2 = api.ok("POST", "/v1/module-releases", 201,
                        json={"module": "local/silo", "version": "1.1", "files": files})  # fmt: skip
            fleet = seed(url, tier["key"], uuid.UUID(v1["id"]), silos=6, pools=0, members=0,
                         bad=set())  # fmt: skip
            rollout = api.ok(
                "POST", "/v1/rollouts", 201,
                json={"release_id": v2["id"], "selector": {"tier": tier["key"]},
                      "strategy": {"canary": 2, "growth": 2, "max_concurrency": 2}},
            )  # fmt: skip

            def detail() -> dict[str, Any]:
                return api.ok("GET", f"/v1/rollouts/{rollout['id']}")  # type: ignore[no-any-return]

            # Kill once the canary is through and the next wave is applying.
            wait_for(lambda: detail()["counts"].get("succeeded", 0) >= 2
                     and detail()["counts"].get("running", 0) >= 1, timeout=120, interval=0.1)  # fmt: skip
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            second = _worker(url, tmp_path / "w2", "w2")
            done = wait_for(lambda: (d := detail())["status"] == "completed" and d, timeout=180)
            assert done["counts"] == {"succeeded": 6}
            for stack_id in fleet.silo_stacks:
                stack = api.ok("GET", f"/v1/stacks/{stack_id}")
                assert stack["release_id"] == v2["id"] and stack["status"] == "applied"
            for tenant_id in fleet.tenant_ids:  # one rollout run per stack, crash or not
                runs = api.ok("GET", f"/v1/tenants/{tenant_id}/runs")["items"]
                assert [r["kind"] for r in runs] == ["rollout"]
                assert runs[0]["status"] == "succeeded"
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=15)
        server.stop()
        drop_database(url)
