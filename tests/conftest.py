"""Session fixtures: a migrated database, a live server, API clients per role."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Callable, Iterator

import pytest

from paybill_control_plane.app import create_app
from paybill_control_plane.auth import service as auth_service
from paybill_control_plane.auth.principal import CLI
from paybill_control_plane.auth.schemas import ApiKeyCreate
from paybill_control_plane.cli._runtime import unit_of_work
from paybill_control_plane.config import Settings
from tests.db import create_database, drop_database
from tests.live import Api, LiveServer

TEST_SECRET_KEY = "test-secret-key-0123456789abcdefghijklmnop"
# The suite's few shared keys send far more requests per minute than a production default
# allows; tests/kit/test_rate_limit.py checks the limiter with small limits of its own.
RELAXED_RATE_LIMITS = {
    f"rate_limit_{role}": 1_000_000 for role in ("admin", "operator", "viewer", "billing", "tenant")
}
INSECURE_TEST_HOSTS = ["127.0.0.1"]
# Every live server a test starts keeps its own SQLAlchemy pool, and the production default
# (20 kept + 10 overflow, sized for API concurrency) times the xdist workers times the servers
# alive at once (the session's, a Terraform environment's) ran the shared Postgres out of
# connections ("too many clients") under `pytest -n 4`. A test server serves one test's
# requests and a 4-job worker: at most 4 kept + 6 overflow each.
TEST_POOL_SIZE = 4
TEST_POOL_OVERFLOW = 6
# The hot-read psycopg pool (db/read_pool.py) is a second pool beside the engine's: bounded the
# same way (production default 10).
TEST_READ_POOL_SIZE = 4


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    url = create_database(worker)
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    # At least 32 characters: shorter keys are refused for encrypting cloud credentials.
    # The cloud fakes (and moto) listen on 127.0.0.1 over http: opted in explicitly, as an
    # operator would for an emulator. `localhost` and every other private address stay refused.
    return Settings(
        database_url=database_url,
        embedded_worker=False,
        secret_key=TEST_SECRET_KEY,
        **RELAXED_RATE_LIMITS,  # type: ignore[arg-type]
        db_pool_size=TEST_POOL_SIZE,
        db_max_overflow=TEST_POOL_OVERFLOW,
        db_read_pool_size=TEST_READ_POOL_SIZE,
        allow_insecure_endpoint_hosts=INSECURE_TEST_HOSTS,
    )


@pytest.fixture(scope="session")
def live_server(settings: Settings) -> Iterator[LiveServer]:
    server = LiveServer(create_app(settings)).start()
    yield server
    server.stop()


def create_key_sync(database_url: str, role: str, tenant_id: str | None = None) -> str:
    async def create() -> str:
        async with unit_of_work(database_url) as session:
            data = ApiKeyCreate.model_validate(
                {"name": f"test-{role}", "role": role, "tenant_id": tenant_id}
            )
            _, secret = await auth_service.create_key(session, CLI, data)
            return secret

    return asyncio.run(create())


@pytest.fixture(scope="session")
def admin(live_server: LiveServer, database_url: str) -> Iterator[Api]:
    with Api(live_server.url, create_key_sync(database_url, "admin")) as api:
        yield api


@pytest.fixture(scope="session")
def client_for(live_server: LiveServer, admin: Api) -> Callable[..., Api]:
    """An Api client for a new key of `role` (tenant keys need tenant_id)."""

    def make(role: str, tenant_id: str | None = None) -> Api:
        created = admin.ok(
            "POST",
            "/v1/api-keys",
            201,
            json={"name": f"k-{role}", "role": role, "tenant_id": tenant_id},
        )
        return Api(live_server.url, created["key"])

    return make


@pytest.fixture
def anon(live_server: LiveServer) -> Iterator[Api]:
    with Api(live_server.url, None) as api:
        yield api


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"
