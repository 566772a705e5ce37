"""Runs applying at the same time ensure their tenants' databases at the same time.

GRANT/REVOKE on one database (a pool's, the control plane's) rewrite the same `pg_database` row;
two sessions doing it at once made one fail with "tuple concurrently updated". The data tier
serialises its catalog-changing statements per server, so every concurrent ensure succeeds.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from paybill_control_plane.config import Settings
from paybill_control_plane.datatier.provision import DataTierContext, ensure_tenant_database
from paybill_control_plane.models.enums import IsolationModel
from tests.datatier.helpers import call, connect_as, purge, tenant_in
from tests.factories import make_tier
from tests.live import Api

ROUNDS = 3


@pytest.fixture(scope="module", autouse=True)
def _purged(settings: Settings, database_url: str) -> Iterator[None]:
    yield
    purge(settings, database_url)


def _ensure_all(settings: Settings, url: str, tenants: list[dict[str, Any]]) -> list[Any]:
    async def go(ctx: DataTierContext) -> list[Any]:
        return await asyncio.gather(
            *(
                ensure_tenant_database(
                    ctx,
                    uuid.UUID(t["id"]),
                    IsolationModel(t["isolation_model"]),
                    uuid.UUID(t["pool_id"]) if t.get("pool_id") else None,
                    suspended=False,
                    actor="test",
                )
                for t in tenants
            )
        )

    return call(settings, url, go)


def test_concurrent_ensures_of_one_pool_and_server_all_succeed(
    admin: Api, settings: Settings, database_url: str
) -> None:
    pooled = make_tier(admin, default_isolation="pooled", allowed_isolation=["pooled"])
    bridge = make_tier(admin, default_isolation="bridge", allowed_isolation=["bridge"])
    for _ in range(ROUNDS):
        tenants = [tenant_in(admin, "pooled", pooled) for _ in range(3)]
        tenants += [tenant_in(admin, "bridge", bridge) for _ in range(2)]
        tenants += [tenant_in(admin, "silo") for _ in range(2)]
        rows = _ensure_all(settings, database_url, tenants)
        assert [r.status for r in rows] == ["available"] * len(tenants)
        # Ensuring them all again at once (a retry, a second run) changes nothing and fails none.
        again = _ensure_all(settings, database_url, tenants)
        assert [(r.database, r.username) for r in again] == [(r.database, r.username) for r in rows]
    # Every tenant reaches its own database and not the control plane's.
    for tenant in tenants:
        creds = admin.ok("POST", f"/v1/tenants/{tenant['id']}/database/credentials")
        with connect_as(creds, creds["password"]) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
        cp_database = psycopg.conninfo.conninfo_to_dict(
            database_url.replace("postgresql+psycopg://", "postgresql://")
        )["dbname"]
        with pytest.raises(psycopg.OperationalError):
            connect_as(creds, creds["password"], database=str(cp_database))
