"""Schema migrations across 100 tenant databases of all three models: released with checksums,
rolled out in waves, one migration failing on a chosen tenant halts within the budget."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from psycopg import sql
from sqlalchemy import select

from paybill_control_plane.cli._runtime import unit_of_work
from paybill_control_plane.config import Settings
from paybill_control_plane.datatier import postgres_admin as pg
from paybill_control_plane.datatier.local_server import local_data_server
from paybill_control_plane.datatier.provision import DataTierContext, ensure_tenant_database
from paybill_control_plane.db.engine import make_engine, make_sessionmaker
from paybill_control_plane.models.enums import IsolationModel, TenantStatus
from paybill_control_plane.models.pool import Pool
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tenant_database import TenantDatabase
from tests.factories import make_tenant, make_tier
from tests.live import Api
from tests.provisioning.stack_env import stack_environment, wait_for, wait_status

pytestmark = [pytest.mark.slow]

POOLED, BRIDGE, SILO = 80, 10, 10  # 100 tenant databases: 2 pool databases' schemas + 20 databases
CONCURRENCY = 4
CREATE = "CREATE TABLE accounts (id integer PRIMARY KEY, balance integer NOT NULL)"
CHECK = "ALTER TABLE accounts ADD CONSTRAINT balance_not_negative CHECK (balance >= 0)"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, Settings]]:
    with stack_environment(
        tmp_path_factory.mktemp("schema"), rollout_poll_seconds=0.3, drift_interval=0,
        worker_concurrency=CONCURRENCY,
    ) as pair:  # fmt: skip
        yield pair


def _tenants(url: str, tier: str) -> list[tuple[uuid.UUID, IsolationModel, uuid.UUID | None]]:
    """Tenant rows (and two pools) for 100 databases; made by the data tier right after."""

    async def go() -> list[tuple[uuid.UUID, IsolationModel, uuid.UUID | None]]:
        made: list[tuple[uuid.UUID, IsolationModel, uuid.UUID | None]] = []
        tag = uuid.uuid4().hex[:6]
        async with unit_of_work(url) as session:
            pools = [
                Pool(
                    id=uuid.uuid4(),
                    cloud="local",
                    region="local-1",
                    tier_group=tier,
                    ordinal=i + 1,
                    capacity=POOLED,
                )
                for i in range(2)
            ]
            session.add_all(pools)
            await session.flush()
            plan = (
                [(IsolationModel.pooled, pools[i % 2].id) for i in range(POOLED)]
                + [(IsolationModel.bridge, pools[0].id)] * BRIDGE
                + [(IsolationModel.silo, None)] * SILO
            )
            for i, (model, pool_id) in enumerate(plan):
                tenant = Tenant(
                    id=uuid.uuid4(), slug=f"s-{tag}-{i:03d}", name="schema", tier_key=tier,
                    status=TenantStatus.active, isolation_model=model.value, cloud="local",
                    region="local-1", pool_id=pool_id, labels={},
                )  # fmt: skip
                session.add(tenant)
                made.append((tenant.id, model, pool_id))
        return made

    return asyncio.run(go())


def _make_databases(
    settings: Settings, url: str, tenants: list[tuple[uuid.UUID, IsolationModel, uuid.UUID | None]]
) -> None:
    async def go() -> None:
        engine = make_engine(url, pool_size=4)
        ctx = DataTierContext(make_sessionmaker(engine), settings, url)
        gate = asyncio.Semaphore(1)  # concurrent GRANTs on one database race in Postgres

        async def one(tenant_id: uuid.UUID, model: IsolationModel, pool: uuid.UUID | None) -> None:
            async with gate:
                await ensure_tenant_database(
                    ctx, tenant_id, model, pool, suspended=False, actor="test"
                )

        try:
            # Pool databases first, one tenant each, so their creation does not race.
            firsts = {t[2]: t for t in tenants if t[1] is IsolationModel.pooled}
            for first in firsts.values():
                await one(*first)
            await asyncio.gather(*(one(*t) for t in tenants if t not in firsts.values()))
        finally:
            await engine.dispose()

    asyncio.run(go())


def _admin_sql(settings: Settings, url: str, tenant_id: uuid.UUID, statement: str) -> None:
    async def go() -> None:
        async with unit_of_work(url) as session:
            row = await session.scalar(
                select(TenantDatabase).where(TenantDatabase.tenant_id == tenant_id)
            )
            assert row is not None
            database, schema = row.database, row.schema or "public"
        server = local_data_server(settings, url)
        async with pg.connect(server.admin_dsn, database) as conn:
            await conn.execute(sql.SQL("SET search_path = {}").format(sql.Identifier(schema)))
            await conn.execute(statement.encode())

    asyncio.run(go())


def _finished(api: Api, rollout_id: str, status: str) -> Any:
    def check() -> dict[str, Any] | None:
        got = api.ok("GET", f"/v1/rollouts/{rollout_id}")
        return got if got["status"] == status and got["counts"].get("running", 0) == 0 else None

    return wait_for(check, timeout=300, interval=0.5)


def test_schema_rollout_over_100_databases_halts_within_budget(
    env: tuple[Api, Settings],
) -> None:
    api, settings = env
    url = settings.database_url
    assert url is not None
    tier = make_tier(
        api, default_isolation="pooled", allowed_isolation=["pooled", "bridge", "silo"]
    )
    tenants = _tenants(url, tier["key"])
    _make_databases(settings, url, tenants)

    one = api.ok("POST", "/v1/schema-releases", 201,
                 json={"migrations": [{"version": 1, "name": "accounts", "sql": CREATE}]})  # fmt: skip
    assert [m["version"] for m in one] == [1] and len(one[0]["checksum"]) == 64
    changed = api.ok("POST", "/v1/schema-releases", 409,
                     json={"migrations": [{"version": 1, "name": "accounts", "sql": CREATE + " "}]})  # fmt: skip
    assert changed["type"].endswith("schema-migration-changed")

    first = api.ok("POST", "/v1/schema-rollouts", 201,
                   json={"strategy": {"canary": 10, "max_concurrency": CONCURRENCY}})  # fmt: skip
    assert len(first["targets"]) == POOLED + BRIDGE + SILO and first["schema_version"] == 1
    done = _finished(api, first["id"], "completed")
    assert done["counts"] == {"succeeded": 100}
    for tenant_id, model, _ in (tenants[0], tenants[POOLED], tenants[-1]):  # one of each model
        database = api.ok("GET", f"/v1/tenants/{tenant_id}/database")
        assert database["schema_version"] == 1 and database["model"] == model.value

    # The chosen tenant holds data the next migration's constraint refuses.
    order = sorted(t[0] for t in tenants)
    chosen = order[12]  # in the second wave
    _admin_sql(settings, url, chosen, "INSERT INTO accounts VALUES (1, -5)")
    api.ok("POST", "/v1/schema-releases", 201,
           json={"migrations": [{"version": 1, "name": "accounts", "sql": CREATE},
                                {"version": 2, "name": "no-overdrafts", "sql": CHECK}]})  # fmt: skip
    second = api.ok("POST", "/v1/schema-rollouts", 201,
                    json={"strategy": {"canary": 5, "growth": 2, "max_concurrency": CONCURRENCY},
                          "max_failures": 0})  # fmt: skip
    halted = _finished(api, second["id"], "halted")
    failures = halted["failures"]
    assert 1 <= len(failures) <= 0 + CONCURRENCY
    assert [f["tenant_id"] for f in failures] == [str(chosen)]
    assert "balance_not_negative" in failures[0]["error"]
    assert api.ok("GET", f"/v1/tenants/{chosen}/database")["schema_version"] == 1
    pending = [t for t in halted["targets"] if t["status"] == "pending"]
    assert len(pending) > 50  # the rest untouched
    for target in pending[:5]:
        assert api.ok("GET", f"/v1/tenants/{target['tenant_id']}/database")["schema_version"] == 1
    ok = [t for t in halted["targets"] if t["status"] == "succeeded"]
    assert ok and all(
        api.ok("GET", f"/v1/tenants/{t['tenant_id']}/database")["schema_version"] == 2
        for t in ok[:5]
    )
    refused = api.ok("POST", f"/v1/rollouts/{second['id']}/rollback", 409)
    assert refused["type"].endswith("invalid-transition")


@pytest.mark.terraform
def test_a_new_tenant_gets_every_released_migration(env: tuple[Api, Settings]) -> None:
    api, _ = env
    # Version 1 is released here or already (the same text is accepted again).
    api.ok("POST", "/v1/schema-releases", 201,
           json={"migrations": [{"version": 1, "name": "accounts", "sql": CREATE}]})  # fmt: skip
    latest = max(m["version"] for m in api.ok("GET", "/v1/schema-releases"))
    for model in ("silo", "pooled"):
        tier = make_tier(api, default_isolation=model, allowed_isolation=[model])
        tenant = make_tenant(api, tier["key"])
        wait_status(api, tenant["id"], "active", timeout=120)
        database = api.ok("GET", f"/v1/tenants/{tenant['id']}/database")
        assert database["schema_version"] == latest and database["model"] == model
