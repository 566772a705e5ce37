"""A drift check whose worker is killed (-9) mid-plan: the check is taken up again by the next
worker (stalled-job recovery) and records the drift once. The test holds the stack's Terraform
state lock, so the check's refresh-only plan waits in the stack's working directory while its
worker dies. Terraform, in its own session, is not killed with the worker; whatever it does once
the lock is released, the next attempt's check (same directory) records the drift as one finding
and no drift plan file is left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest

from paybill_control_plane.app import create_app
from paybill_control_plane.config import Settings
from paybill_control_plane.db.embedded import to_libpq_url
from tests.conftest import create_key_sync
from tests.db import create_database, drop_database
from tests.factories import make_tenant, make_tier
from tests.fleet.test_drift import _findings, _out_of_band_apply
from tests.live import Api, LiveServer
from tests.provisioning.stack_env import wait_for, wait_status

pytestmark = [pytest.mark.terraform, pytest.mark.slow]


def _worker(url: str, data_dir: Path, name: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PAYBILL_DATABASE_URL": url,
        "PAYBILL_DATA_DIR": str(data_dir),
        "PAYBILL_STALLED_JOB_SECONDS": "3",
        "PAYBILL_DRIFT_INTERVAL": "0",
        "PAYBILL_LOG_LEVEL": "warning",
    }
    argv = [sys.executable, "-m", "paybill_control_plane.cli.main", "worker", "--name", name]
    return subprocess.Popen(
        argv, env=env, stdout=subprocess.DEVNULL,
        stderr=(data_dir.parent / f"{name}.log").open("wb"),
    )  # fmt: skip


def _in_workdir(workdir: Path, arg: bytes = b"") -> list[int]:
    """Processes whose working directory is the stack's (Terraform), with `arg` on their
    command line."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            here = Path(os.readlink(proc / "cwd")) == workdir
            if here and arg in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def test_kill_9_mid_drift_check(tmp_path: Path) -> None:
    url = create_database("driftcrash")
    data_dir = tmp_path / "data"  # shared by the API and both workers: the stacks' directories
    settings = Settings(database_url=url, data_dir=data_dir, embedded_worker=False)
    server = LiveServer(create_app(settings)).start()
    workers: list[subprocess.Popen[bytes]] = [_worker(url, data_dir, "w1")]
    try:
        with Api(server.url, create_key_sync(url, "admin")) as api:
            tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
            tenant = make_tenant(api, tier["key"])
            wait_status(api, tenant["id"], "active", timeout=180)
            [stack] = api.ok("GET", "/v1/stacks", params={"tenant_id": tenant["id"]})["items"]
            _out_of_band_apply(settings, stack, {"changed_by": "hand"})
            workdir = (settings.stacks_dir / stack["id"]).resolve()

            with psycopg.connect(to_libpq_url(url)) as lock:
                held = lock.execute(
                    "SELECT pg_advisory_lock(id), id FROM terraform_state.states WHERE name = %s",
                    (stack["workspace"],),
                ).fetchone()
                assert held is not None
                api.ok("POST", f"/v1/stacks/{stack['id']}/drift-checks", 202)
                # The refresh-only plan waits for the state lock the test holds.
                wait_for(lambda: _in_workdir(workdir, b"-refresh-only"), timeout=120)
                workers[0].send_signal(signal.SIGKILL)
                workers[0].wait(timeout=10)
                assert api.ok("GET", f"/v1/stacks/{stack['id']}")["drift_checked_at"] is None
                orphans = _in_workdir(workdir)  # Terraform outlives its worker
                workers.append(_worker(url, data_dir, "w2"))
                lock.execute("SELECT pg_advisory_unlock(%s)", (held[1],))
                lock.commit()

            def checked() -> dict[str, Any] | None:
                found = api.ok("GET", f"/v1/stacks/{stack['id']}")
                return found if found["drift_checked_at"] is not None else None

            done = wait_for(checked, timeout=180)
            assert done["drift_status"] == "drifted", done
            [finding] = _findings(api, stack["id"])
            assert finding["status"] == "open"
            assert "input.labels.changed_by" in finding["attributes"]["terraform_data.database"]
            wait_for(lambda: not any(p in orphans for p in _in_workdir(workdir)), timeout=150)
            leftovers = sorted(p.name for p in workdir.glob("paybill-drift*.tfplan"))
            assert leftovers == [], leftovers
    finally:
        for proc in workers:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=15)
        server.stop()
        drop_database(url)
