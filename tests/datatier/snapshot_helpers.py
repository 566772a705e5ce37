"""Running snapshot and restore jobs in the test's process, and tenant data to snapshot."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

from paybill_control_plane.config import Settings
from paybill_control_plane.datatier.restore_runner import RestoreRunner
from paybill_control_plane.datatier.snapshot_runner import SnapshotRunner
from paybill_control_plane.datatier.switch_runner import SwitchRunner
from paybill_control_plane.db.engine import make_engine, make_sessionmaker
from paybill_control_plane.models.enums import RestoreStatus, SnapshotStatus
from tests.datatier.helpers import connect_as, ensure, tenant_in
from tests.live import Api


def in_dir(settings: Settings, data_dir: Path, **extra: Any) -> Settings:
    return settings.model_copy(update={"data_dir": data_dir, **extra})


def take(settings: Settings, url: str, snapshot_id: str) -> SnapshotStatus | None:
    """What a worker's snapshot job does, in this process."""

    async def go() -> SnapshotStatus | None:
        engine = make_engine(url, pool_size=2)
        try:
            runner = SnapshotRunner(make_sessionmaker(engine), settings, url)
            return await runner.take(uuid.UUID(snapshot_id))
        finally:
            await engine.dispose()

    return asyncio.run(go())


def restore(settings: Settings, url: str, restore_id: str) -> RestoreStatus | None:
    """What a worker's restore job does, in this process."""

    async def go() -> RestoreStatus | None:
        engine = make_engine(url, pool_size=2)
        try:
            runner = RestoreRunner(make_sessionmaker(engine), settings, url)
            return await runner.restore(uuid.UUID(restore_id))
        finally:
            await engine.dispose()

    return asyncio.run(go())


def switch(settings: Settings, url: str, restore_id: str) -> RestoreStatus | None:
    """What a worker's switch job does, in this process."""

    async def go() -> RestoreStatus | None:
        engine = make_engine(url, pool_size=2)
        try:
            runner = SwitchRunner(make_sessionmaker(engine), settings, url)
            return await runner.switch(uuid.UUID(restore_id))
        finally:
            await engine.dispose()

    return asyncio.run(go())


def tenant_with_data(
    api: Api,
    settings: Settings,
    url: str,
    model: str,
    rows: int = 300,
    tier: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A `local` tenant of `model` whose application made two tables; (tenant, credentials)."""
    tenant = tenant_in(api, model, tier)
    ensure(settings, url, tenant)
    creds = api.ok("POST", f"/v1/tenants/{tenant['id']}/database/credentials")
    with connect_as(creds, creds["password"]) as conn:
        conn.execute("CREATE TABLE orders (id bigint PRIMARY KEY, total numeric, note text)")
        conn.execute(
            "INSERT INTO orders SELECT g, g * 2.5, 'order ' || g FROM generate_series(1, %s) g",
            (rows,),
        )
        conn.execute("CREATE TABLE visits (at timestamptz, path text)")  # no primary key
        conn.execute(
            "INSERT INTO visits SELECT now() - g * interval '1 s', '/p/' || g "
            "FROM generate_series(1, %s) g",
            (rows,),
        )
    return tenant, creds


def count(creds: dict[str, Any], table: str) -> int:
    with connect_as(creds, creds["password"]) as conn:
        row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()  # type: ignore[arg-type]
    assert row is not None
    return int(row[0])
