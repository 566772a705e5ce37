"""Final snapshots before the data tier drops a tenant, retention purges, and the S3 store."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import boto3
import psycopg
import pytest
from moto import mock_aws

from paybill_control_plane.config import Settings
from paybill_control_plane.datatier.final_snapshot import take_final_snapshot
from paybill_control_plane.datatier.provision import DataTierContext, drop_tenant_database
from paybill_control_plane.datatier.retention import purge_expired
from paybill_control_plane.datatier.snapshot_tasks import maintain
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.db.embedded import to_libpq_url
from paybill_control_plane.db.engine import make_engine, make_sessionmaker
from paybill_control_plane.models.enums import IsolationModel
from tests.datatier.helpers import call, purge
from tests.datatier.snapshot_helpers import in_dir, restore, take, tenant_with_data
from tests.factories import make_tier
from tests.live import Api


@pytest.fixture(scope="module", autouse=True)
def _purged(settings: Settings, database_url: str) -> Iterator[None]:
    yield
    purge(settings, database_url)


def deprovision_data(settings: Settings, url: str, tenant: dict[str, object]) -> uuid.UUID | None:
    """What the run's data phase does for a destroyed silo stack: final snapshot, then drop."""
    tenant_id = uuid.UUID(str(tenant["id"]))

    async def go(ctx: DataTierContext) -> uuid.UUID | None:
        snapshot_id = await take_final_snapshot(
            ctx, tenant_id, IsolationModel.silo, None, actor="test"
        )
        # A retried run finds the same final snapshot instead of taking another.
        again = await take_final_snapshot(ctx, tenant_id, IsolationModel.silo, None, actor="test")
        assert again == snapshot_id
        await drop_tenant_database(ctx, tenant_id, IsolationModel.silo, None, actor="test")
        return snapshot_id

    return call(settings, url, go)


def purge_at(settings: Settings, url: str, when_days: float) -> int:
    return call(
        settings,
        url,
        lambda ctx: purge_expired(ctx.sessionmaker, settings, utcnow() + timedelta(days=when_days)),
    )


def audit_actions(url: str, target_id: str) -> list[str]:
    with psycopg.connect(to_libpq_url(url)) as conn:
        rows = conn.execute(
            "SELECT action FROM audit_events WHERE target_id = %s ORDER BY occurred_at",
            (target_id,),
        ).fetchall()
    return [r[0] for r in rows]


def test_deprovisioning_keeps_a_final_snapshot_until_retention_ends(
    admin: Api, settings: Settings, database_url: str, tmp_path: Path
) -> None:
    local = in_dir(settings, tmp_path, snapshot_retention_days=7)
    tenant, _ = tenant_with_data(admin, settings, database_url, "silo", rows=40)
    snapshot_id = deprovision_data(local, database_url, tenant)
    assert snapshot_id is not None
    base = f"/v1/tenants/{tenant['id']}/snapshots"
    final = admin.ok("GET", f"{base}/{snapshot_id}")
    assert final["kind"] == "final" and final["status"] == "completed"
    assert final["tables"]["public.orders"]["rows"] == 40
    assert admin.get(f"/v1/tenants/{tenant['id']}/database").status_code == 404  # dropped
    # Nothing left to snapshot once dropped: a retried run takes no second one.
    assert deprovision_data(local, database_url, tenant) is None

    # Within retention, the data can still be brought back into a new database.
    job = admin.ok("POST", f"{base}/{snapshot_id}/restore", 202)
    assert restore(local, database_url, job["id"]) == "completed"

    assert purge_at(local, database_url, 6.9) == 0
    assert purge_at(local, database_url, 7.1) == 1
    purged = admin.ok("GET", f"{base}/{snapshot_id}")
    assert purged["status"] == "purged"
    assert not [p for p in (tmp_path / "snapshots").rglob("*.dump") if p.is_file()]
    assert audit_actions(database_url, str(snapshot_id))[-1] == "snapshot.purged"
    gone = admin.post(f"{base}/{snapshot_id}/restore")
    assert gone.status_code == 409 and gone.json()["type"].endswith("/snapshot-not-completed")


def test_s3_store_holds_snapshots_and_restores_from_them(
    admin: Api,
    settings: Settings,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    s3 = in_dir(settings, tmp_path, snapshot_store="s3://tenant-snapshots/prod")
    tenant, _ = tenant_with_data(admin, settings, database_url, "bridge", rows=25)
    base = f"/v1/tenants/{tenant['id']}/snapshots"
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket="tenant-snapshots")
        snap = admin.ok("POST", base, 202)
        assert take(s3, database_url, snap["id"]) == "completed"
        key = f"prod/{tenant['id']}/{snap['id']}.dump"
        head = client.head_object(Bucket="tenant-snapshots", Key=key)
        done = admin.ok("GET", f"{base}/{snap['id']}")
        assert head["ContentLength"] == done["size_bytes"]
        # The staging copy is gone once uploaded.
        assert not [p for p in tmp_path.rglob("*") if p.is_file()]

        job = admin.ok("POST", f"{base}/{snap['id']}/restore", 202)
        assert restore(s3, database_url, job["id"]) == "completed"
        restored = admin.ok("GET", f"/v1/tenants/{tenant['id']}/restores/{job['id']}")
        assert restored["steps"][0]["detail"] == "sha256 matches"

        with psycopg.connect(to_libpq_url(database_url)) as conn:
            conn.execute(
                "UPDATE tenant_snapshots SET expires_at = now() - interval '1 minute' "
                "WHERE id = %s",
                (snap["id"],),
            )
        assert asyncio.run(_purge_now(s3, database_url)) == 1
        assert client.list_objects_v2(Bucket="tenant-snapshots").get("KeyCount") == 0


async def _purge_now(settings: Settings, url: str) -> int:
    engine = make_engine(url, pool_size=1)
    try:
        return await purge_expired(make_sessionmaker(engine), settings)
    finally:
        await engine.dispose()


def test_a_tier_schedule_takes_snapshots_and_keeps_the_newest(
    admin: Api, settings: Settings, database_url: str, tmp_path: Path
) -> None:
    local = in_dir(settings, tmp_path)
    tier = make_tier(
        admin,
        default_isolation="pooled",
        allowed_isolation=["pooled"],
        snapshot_schedule={"every": "hourly", "keep": 1},
    )
    assert admin.ok("GET", f"/v1/tiers/{tier['key']}")["snapshot_schedule"] == {
        "every": "hourly",
        "keep": 1,
    }
    tenant, _ = tenant_with_data(admin, settings, database_url, "pooled", rows=5, tier=tier)
    base = f"/v1/tenants/{tenant['id']}/snapshots"

    def scheduled() -> list[dict[str, object]]:
        items = admin.ok("GET", base)["items"]
        return [s for s in items if s["kind"] == "scheduled"]

    assert maintain_once(local, database_url)[0] >= 1
    [first] = scheduled()
    assert take(local, database_url, str(first["id"])) == "completed"
    maintain_once(local, database_url)
    assert len(scheduled()) == 1  # not due again within the hour
    with psycopg.connect(to_libpq_url(database_url), autocommit=True) as conn:
        conn.execute(
            "UPDATE tenant_snapshots SET created_at = created_at - interval '2 hours' "
            "WHERE id = %s",
            (first["id"],),
        )
    maintain_once(local, database_url)
    second = scheduled()[0]
    assert second["id"] != first["id"] and second["status"] == "pending"
    assert take(local, database_url, str(second["id"])) == "completed"
    maintain_once(local, database_url)  # keep 1: the older one is purged
    statuses = {s["id"]: s["status"] for s in scheduled()}
    assert statuses == {second["id"]: "completed", first["id"]: "purged"}


def maintain_once(settings: Settings, url: str) -> tuple[int, int]:
    return call(settings, url, lambda ctx: maintain(ctx.sessionmaker, settings))


def test_tiers_without_a_schedule_get_no_scheduled_snapshots(
    admin: Api, settings: Settings, database_url: str, tmp_path: Path
) -> None:
    tenant, _ = tenant_with_data(admin, settings, database_url, "pooled", rows=5)
    maintain_once(in_dir(settings, tmp_path), database_url)
    assert admin.ok("GET", f"/v1/tenants/{tenant['id']}/snapshots")["items"] == []
