"""`paybill datatier backfill`: tenants provisioned before the data tier existed (applied stacks,
no database row, no objects) get their database from the `database` step a worker runs under
each stack's run lock, audited; a second backfill finds nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from paybill_control_plane.config import Settings
from paybill_control_plane.datatier.provision import drop_tenant_database
from paybill_control_plane.db.embedded import to_libpq_url
from paybill_control_plane.models.enums import IsolationModel
from tests.cli.helpers import paybill
from tests.datatier.helpers import call, connect_as, purge
from tests.factories import make_tenant, make_tier
from tests.live import Api
from tests.provisioning.stack_env import stack_environment, wait_for, wait_status

pytestmark = [pytest.mark.terraform]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, Settings]]:
    with stack_environment(tmp_path_factory.mktemp("backfill")) as (api, settings):
        try:
            yield api, settings
        finally:
            purge(settings, settings.database_url)


def _forget_database(settings: Settings, tenant: dict[str, Any]) -> None:
    """As before the data tier: no objects on the data server, no row."""
    url = settings.database_url
    model = IsolationModel(tenant["isolation_model"])
    pool = uuid.UUID(tenant["pool_id"]) if tenant.get("pool_id") else None
    tenant_id = uuid.UUID(tenant["id"])
    call(settings, url, lambda ctx: drop_tenant_database(ctx, tenant_id, model, pool, actor="t"))
    with psycopg.connect(to_libpq_url(url), autocommit=True) as conn:
        conn.execute("DELETE FROM tenant_databases WHERE tenant_id = %s", (tenant["id"],))


def _actions(url: str, tenant_id: str) -> list[tuple[str, str]]:
    with psycopg.connect(to_libpq_url(url)) as conn:
        rows = conn.execute(
            "SELECT action, actor FROM audit_events WHERE tenant_id = %s "
            "AND action IN ('database.backfill_queued', 'database.created') "
            "AND actor LIKE '%%backfill%%' ORDER BY seq",
            (tenant_id,),
        ).fetchall()
    return [(r[0], r[1]) for r in rows]


def test_backfill_gives_older_tenants_their_database(env: tuple[Api, Settings]) -> None:
    api, settings = env
    url = str(settings.database_url)
    pooled = make_tier(api, default_isolation="pooled", allowed_isolation=["pooled"])
    silo = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
    tenants = [make_tenant(api, pooled["key"]), make_tenant(api, pooled["key"])]
    tenants.append(make_tenant(api, silo["key"]))
    for tenant in tenants:
        wait_status(api, tenant["id"], "active", timeout=180)
    for tenant in tenants[1:]:  # the first pooled tenant keeps its database
        _forget_database(settings, tenant)
        gone = api.get(f"/v1/tenants/{tenant['id']}/database")
        assert gone.status_code == 404

    dry = paybill(url, "datatier", "backfill", "--dry-run")
    assert dry.exit_code == 0, dry.output
    listed = {line.split("tenant ")[1].split(" ")[0] for line in dry.stdout.splitlines()}
    assert listed == {t["id"] for t in tenants[1:]}
    assert all(_actions(url, t["id"]) == [] for t in tenants)  # nothing queued

    done = paybill(url, "datatier", "backfill")
    assert done.exit_code == 0, done.output
    assert "queued 2 tenant databases in 2 stacks" in done.output

    def ready(tenant: dict[str, Any]) -> dict[str, Any] | None:
        found = api.get(f"/v1/tenants/{tenant['id']}/database")
        ok = found.status_code == 200 and found.json()["status"] != "creating"
        return found.json() if ok else None

    for tenant in tenants[1:]:
        db = wait_for(lambda t=tenant: ready(t), timeout=120)
        assert db["status"] == "available" and db["model"] == tenant["isolation_model"]
        creds = api.ok("POST", f"/v1/tenants/{tenant['id']}/database/credentials")
        with connect_as(creds, creds["password"]) as conn:  # the application can use it
            conn.execute("CREATE TABLE t (x int)")
            conn.execute("INSERT INTO t VALUES (1)")
        assert _actions(url, tenant["id"]) == [
            ("database.backfill_queued", "cli:datatier-backfill"),
            ("database.created", "datatier-backfill"),
        ]
    assert _actions(url, tenants[0]["id"]) == []
    again = paybill(url, "datatier", "backfill")
    assert again.exit_code == 0 and "queued 0 tenant databases in 0 stacks" in again.output
