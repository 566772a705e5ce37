"""A database, a live server with an embedded worker, and an admin client: real Terraform runs."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from paybill_control_plane.app import create_app
from paybill_control_plane.config import Settings
from tests.conftest import TEST_POOL_OVERFLOW, TEST_POOL_SIZE, TEST_READ_POOL_SIZE, create_key_sync
from tests.db import create_database, drop_database
from tests.live import Api, LiveServer


@contextmanager
def stack_environment(tmp: Path, **overrides: Any) -> Iterator[tuple[Api, Settings]]:
    url = create_database("tf")
    settings = Settings(
        database_url=url,
        data_dir=tmp,
        embedded_worker=True,
        run_retry_base_seconds=0.2,
        stalled_job_seconds=3,
        db_pool_size=TEST_POOL_SIZE,
        db_max_overflow=TEST_POOL_OVERFLOW,
        db_read_pool_size=TEST_READ_POOL_SIZE,
        **overrides,
    )
    server = LiveServer(create_app(settings)).start()
    try:
        with Api(server.url, create_key_sync(url, "admin")) as api:
            yield api, settings
    finally:
        server.stop()
        drop_database(url)


def wait_for(check: Callable[[], Any], timeout: float = 60, interval: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out; last value: {last!r}")


def wait_status(api: Api, tenant_id: str, status: str, timeout: float = 60) -> dict[str, Any]:
    def check() -> dict[str, Any] | None:
        tenant = api.ok("GET", f"/v1/tenants/{tenant_id}")
        assert tenant["status"] != "failed" or status == "failed", tenant
        return tenant if tenant["status"] == status else None

    return wait_for(check, timeout)  # type: ignore[no-any-return]


def runs_of(api: Api, tenant_id: str) -> list[dict[str, Any]]:
    return api.ok("GET", f"/v1/tenants/{tenant_id}/runs", params={"limit": 200})["items"]  # type: ignore[no-any-return]
