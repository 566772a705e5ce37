"""A schema rollout whose worker is killed (-9) while a tenant's migration runs: the migration's
transaction never commits, the next worker applies it exactly once (its ledger has one row), and
the rollout completes. The migration is slow on purpose (`pg_sleep` in its text, longer than the
apply's lock timeout), so the worker is killed inside it and the next attempt has to get past
what the killed one left running on the server."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import select

from paybill_control_plane.app import create_app
from paybill_control_plane.cli._runtime import unit_of_work
from paybill_control_plane.config import Settings
from paybill_control_plane.datatier.local_server import local_data_server
from paybill_control_plane.models.enums import IsolationModel, TenantStatus
from paybill_control_plane.models.pool import Pool
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tenant_database import TenantDatabase
from tests.conftest import create_key_sync
from tests.datatier.helpers import purge
from tests.db import create_database, drop_database
from tests.factories import make_tier
from tests.fleet.test_schema_rollout import _make_databases
from tests.live import Api, LiveServer
from tests.provisioning.stack_env import wait_for

pytestmark = [pytest.mark.slow]
SLOW = "CREATE TABLE accounts (id integer PRIMARY KEY); SELECT pg_sleep(15)"


def _worker(url: str, data_dir: Path, name: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PAYBILL_DATABASE_URL": url,
        "PAYBILL_DATA_DIR": str(data_dir),
        "PAYBILL_STALLED_JOB_SECONDS": "3",
        "PAYBILL_ROLLOUT_POLL_SECONDS": "0.3",
        "PAYBILL_DRIFT_INTERVAL": "0",
        "PAYBILL_LOG_LEVEL": "warning",
    }
    argv = [sys.executable, "-m", "paybill_control_plane.cli.main", "worker", "--name", name]
    return subprocess.Popen(
        [*argv, "--queue", "fleet"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(data_dir.parent / f"{name}.log").open("wb"),
    )


def _tenants(url: str, tier: str) -> list[tuple[uuid.UUID, IsolationModel, uuid.UUID | None]]:
    """One tenant row of each model (the pooled and bridge ones in one pool)."""

    async def go() -> list[tuple[uuid.UUID, IsolationModel, uuid.UUID | None]]:
        async with unit_of_work(url) as session:
            pool = Pool(id=uuid.uuid4(), cloud="local", region="local-1", tier_group=tier,
                        ordinal=1, capacity=10)  # fmt: skip
            session.add(pool)
            await session.flush()
            made = []
            for i, (model, pool_id) in enumerate(
                [(IsolationModel.pooled, pool.id), (IsolationModel.bridge, pool.id),
                 (IsolationModel.silo, None)]
            ):  # fmt: skip
                tenant = Tenant(
                    id=uuid.uuid4(), slug=f"k-{uuid.uuid4().hex[:6]}-{i}", name="crash",
                    tier_key=tier, status=TenantStatus.active, isolation_model=model.value,
                    cloud="local", region="local-1", pool_id=pool_id, labels={},
                )  # fmt: skip
                session.add(tenant)
                made.append((tenant.id, model, pool_id))
        return made

    return asyncio.run(go())


def _ledgers(settings: Settings, url: str) -> dict[uuid.UUID, list[int]]:
    """Each tenant database's migration ledger (the versions recorded in it)."""

    async def rows() -> list[tuple[uuid.UUID, str, str | None]]:
        async with unit_of_work(url) as session:
            found = await session.scalars(select(TenantDatabase))
            return [(r.tenant_id, r.database, r.schema) for r in found]

    server = local_data_server(settings, url)
    ledgers = {}
    for tenant_id, database, schema in asyncio.run(rows()):
        ledger = f'"{schema or "public"}".paybill_schema_migrations'
        with psycopg.connect(server.admin_dsn, dbname=database) as conn:
            found = conn.execute("SELECT to_regclass(%s)", (ledger,)).fetchone()
            versions = (
                conn.execute(f"SELECT version FROM {ledger}").fetchall() if found != (None,) else []
            )
        ledgers[tenant_id] = [int(v[0]) for v in versions]
    return ledgers


def _sleeping(settings: Settings, url: str) -> int:
    with psycopg.connect(local_data_server(settings, url).admin_dsn, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE %s AND pid <> pg_backend_pid()",
            ("CREATE TABLE accounts%",),
        ).fetchone()
    return int(row[0]) if row else 0


def test_kill_9_mid_schema_migration(tmp_path: Path) -> None:
    url = create_database("schemacrash")
    settings = Settings(database_url=url, data_dir=tmp_path / "api", embedded_worker=False)
    server = LiveServer(create_app(settings)).start()
    workers: list[subprocess.Popen[bytes]] = []
    try:
        with Api(server.url, create_key_sync(url, "admin")) as api:
            tier = make_tier(api, default_isolation="pooled",
                             allowed_isolation=["pooled", "bridge", "silo"])  # fmt: skip
            tenants = _tenants(url, tier["key"])
            _make_databases(settings, url, tenants)
            api.ok("POST", "/v1/schema-releases", 201,
                   json={"migrations": [{"version": 1, "name": "slow", "sql": SLOW}]})  # fmt: skip
            rollout = api.ok("POST", "/v1/schema-rollouts", 201,
                             json={"strategy": {"canary": 1, "max_concurrency": 1}})  # fmt: skip
            workers.append(_worker(url, tmp_path / "w1", "w1"))
            wait_for(lambda: _sleeping(settings, url), timeout=90)
            workers[0].send_signal(signal.SIGKILL)
            workers[0].wait(timeout=10)
            cut = api.ok("GET", f"/v1/rollouts/{rollout['id']}")
            assert cut["counts"].get("running") == 1 and "succeeded" not in cut["counts"], cut
            assert all(v == [] for v in _ledgers(settings, url).values())  # nothing committed

            workers.append(_worker(url, tmp_path / "w2", "w2"))

            def finished() -> dict[str, Any] | None:
                got = api.ok("GET", f"/v1/rollouts/{rollout['id']}")
                return got if got["status"] not in ("running", "pending") else None

            done = wait_for(finished, timeout=240, interval=0.5)
            assert done["status"] == "completed", done
            assert done["counts"] == {"succeeded": 3}, done["failures"]
            assert _ledgers(settings, url) == {t[0]: [1] for t in tenants}  # applied once each
            for tenant_id, _, _ in tenants:
                db = api.ok("GET", f"/v1/tenants/{tenant_id}/database")
                assert db["schema_version"] == 1
    finally:
        for proc in workers:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=15)
        server.stop()
        purge(settings, url)
        drop_database(url)
