"""Cloud tenants on the managed servers their modules create (aws here, RDS faked by moto).

No cloud emulator runs PostgreSQL, so the "managed server" is the test's own PostgreSQL: the
module's outputs name an RDS endpoint and PAYBILL_TEST_MANAGED_DATABASE_ADDRESS (tests only)
sends the connection to 127.0.0.1. Everything else is the real path: the admin password read
from Secrets Manager (moto), roles and databases made by the data tier, RDS snapshots (moto).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from sqlalchemy import text
from sqlalchemy.engine import make_url

from paybill_control_plane.app import create_app
from paybill_control_plane.config import Settings
from paybill_control_plane.datatier.runs import converge_stack
from paybill_control_plane.db.engine import make_engine
from paybill_control_plane.models.enums import RestoreStatus, SnapshotStatus
from tests.conftest import create_key_sync
from tests.datatier.helpers import call, connect_as
from tests.datatier.snapshot_helpers import restore, take
from tests.factories import make_tenant, make_tier
from tests.live import Api, LiveServer

CREDS = {"access_key_id": "AKIAIOSFODNN7EXAMPLE", "secret_access_key": "wJalrXUtnFEMI-K7MDENG"}
REGION = "eu-west-1"
RDS_HOST = "pb-silo.abcdefgh.eu-west-1.rds.amazonaws.com"


def boto(service: str) -> Any:
    return boto3.client(
        service,
        region_name=REGION,
        aws_access_key_id=CREDS["access_key_id"],
        aws_secret_access_key=CREDS["secret_access_key"],
    )


@pytest.fixture(scope="module")
def aws() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        for var in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            patch.delenv(var, raising=False)
        with mock_aws():
            yield


@pytest.fixture(scope="module")
def managed_settings(settings: Settings, database_url: str) -> Settings:
    server = make_url(database_url)
    return settings.model_copy(
        update={
            "test_managed_database_address": f"{server.host}:{server.port or 5432}",
            "managed_snapshot_poll_seconds": 0.01,
        }
    )


@pytest.fixture(scope="module")
def api(aws: None, managed_settings: Settings, database_url: str) -> Iterator[Api]:
    """A server of its own: its settings carry the test-only address override."""
    server = LiveServer(create_app(managed_settings)).start()
    try:
        with Api(server.url, create_key_sync(database_url, "admin")) as client:
            yield client
    finally:
        server.stop()


def sql(url: str, query: str, **params: Any) -> list[Any]:
    async def go() -> list[Any]:
        engine = make_engine(url, pool_size=1)
        try:
            async with engine.begin() as conn:
                result = await conn.execute(text(query), params)
                return list(result.all()) if result.returns_rows else []
        finally:
            await engine.dispose()

    return asyncio.run(go())


ADMIN = f"pbtest_admin_{uuid.uuid4().hex[:12]}"  # unique per run: roles are cluster-wide


@pytest.fixture(scope="module", autouse=True)
def managed_admin(database_url: str) -> Iterator[str]:
    """The module's admin user, like RDS's master user: no superuser, CREATEDB and CREATEROLE."""
    sql(database_url, f"CREATE ROLE {ADMIN} LOGIN CREATEDB CREATEROLE")
    yield ADMIN
    # Its tenant databases go with the test database's purge; hand them over so it can go.
    sql(database_url, f"REASSIGN OWNED BY {ADMIN} TO CURRENT_USER")
    sql(database_url, f"DROP OWNED BY {ADMIN}")
    sql(database_url, f"DROP ROLE {ADMIN}")


def silo_on_aws(api: Api, url: str, *, with_instance: bool = True) -> tuple[dict[str, Any], Any]:
    """An aws silo tenant whose module "applied": RDS instance, admin secret, stack outputs."""
    target = api.ok(
        "POST", "/v1/cloud-targets", 201,
        json={"cloud": "aws", "name": f"aws-{uuid.uuid4().hex[:8]}", "default_region": REGION,
              "account_ref": "123456789012", "credentials": CREDS},
    )  # fmt: skip
    tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
    tenant = make_tenant(api, tier["key"], cloud="aws", region=REGION, cloud_target_id=target["id"])
    instance = f"pb-silo-{tenant['id'][:8]}"
    boto("rds").create_db_instance(
        DBInstanceIdentifier=instance, DBInstanceClass="db.t4g.micro", Engine="postgres",
        AllocatedStorage=20, MasterUsername="postgres", MasterUserPassword="module-password",
    )  # fmt: skip
    secret = boto("secretsmanager").create_secret(
        Name=f"rds!{instance}",
        SecretString=json.dumps({"username": "postgres", "password": "module-password"}),
    )["ARN"]
    outputs = {
        "database_host": RDS_HOST,
        "database_port": 5432,
        "database_name": "app",
        "database_admin_username": ADMIN,
        "database_admin_secret": secret,
    }
    if with_instance:
        outputs["database_instance_id"] = instance
    (stack_id,) = sql(
        url, "UPDATE stacks SET outputs = CAST(:o AS jsonb) WHERE tenant_id = :t RETURNING id",
        o=json.dumps(outputs), t=tenant["id"],
    )[0]  # fmt: skip
    return tenant, stack_id


def apply(settings: Settings, url: str, stack_id: uuid.UUID, *, suspended: bool = False) -> str:
    sql(
        url, "UPDATE stacks SET variables = CAST(:v AS jsonb) WHERE id = :s",
        v=json.dumps({"suspended": suspended}), s=stack_id,
    )  # fmt: skip
    outputs = sql(url, "SELECT outputs FROM stacks WHERE id = :s", s=stack_id)[0][0]
    return call(
        settings, url, lambda ctx: converge_stack(ctx, stack_id, "apply", outputs, actor="test")
    )


def test_a_managed_silo_gets_roles_rotation_suspension_and_an_rds_snapshot(
    api: Api, managed_settings: Settings, database_url: str
) -> None:
    tenant, stack_id = silo_on_aws(api, database_url)
    detail = apply(managed_settings, database_url, stack_id)
    assert detail.startswith("aws ") and detail.endswith(" available")
    db = api.ok("GET", f"/v1/tenants/{tenant['id']}/database")
    # The application is told the module's endpoint, never the test override.
    assert (db["cloud"], db["host"], db["port"], db["status"]) == (
        "aws",
        RDS_HOST,
        5432,
        "available",
    )
    assert db["database"].endswith(uuid.UUID(tenant["id"]).hex)

    creds = api.ok("POST", f"/v1/tenants/{tenant['id']}/database/credentials")
    app_db = creds | {"host": "127.0.0.1", "port": make_url(database_url).port or 5432}
    with connect_as(app_db, creds["password"]) as conn:
        conn.execute("CREATE TABLE orders (id int PRIMARY KEY)")
        conn.execute("INSERT INTO orders SELECT generate_series(1, 10)")
    audit = api.ok("GET", f"/v1/audit-events?tenant_id={tenant['id']}")["items"]
    assert {"database.created", "database.credentials_rotated"} <= {e["action"] for e in audit}
    assert "module-password" not in json.dumps(audit) and creds["password"] not in json.dumps(audit)

    apply(managed_settings, database_url, stack_id, suspended=True)
    assert api.ok("GET", f"/v1/tenants/{tenant['id']}/database")["status"] == "suspended"
    apply(managed_settings, database_url, stack_id, suspended=False)
    assert api.ok("GET", f"/v1/tenants/{tenant['id']}/database")["status"] == "available"

    snapshot = api.ok("POST", f"/v1/tenants/{tenant['id']}/snapshots", 202)
    assert take(managed_settings, database_url, snapshot["id"]) is SnapshotStatus.completed
    done = api.ok("GET", f"/v1/tenants/{tenant['id']}/snapshots/{snapshot['id']}")
    assert done["status"] == "completed" and done["checksum"] is None
    assert [s["name"] for s in done["steps"]] == ["instance snapshot"]
    name = f"pb-{uuid.UUID(snapshot['id']).hex}"
    rds = boto("rds").describe_db_snapshots(DBSnapshotIdentifier=name)["DBSnapshots"]
    assert rds[0]["Status"] == "available"
    # A job run again (a worker killed after the cloud finished) finds the same snapshot.
    assert take(managed_settings, database_url, snapshot["id"]) is None


def test_without_an_instance_id_the_silo_is_snapshot_by_pg_dump(
    api: Api, managed_settings: Settings, database_url: str, tmp_path: Any
) -> None:
    settings = managed_settings.model_copy(update={"data_dir": tmp_path})
    tenant, stack_id = silo_on_aws(api, database_url, with_instance=False)
    apply(settings, database_url, stack_id)
    snapshot = api.ok("POST", f"/v1/tenants/{tenant['id']}/snapshots", 202)
    assert take(settings, database_url, snapshot["id"]) is SnapshotStatus.completed
    done = api.ok("GET", f"/v1/tenants/{tenant['id']}/snapshots/{snapshot['id']}")
    assert done["status"] == "completed" and len(done["checksum"]) == 64
    assert [s["name"] for s in done["steps"]] == ["dump", "publish"]


def test_an_unreadable_admin_secret_fails_the_snapshot_with_a_clear_error(
    api: Api, managed_settings: Settings, database_url: str
) -> None:
    # An RDS snapshot needs no password; the logical dump (no instance id output) does.
    tenant, stack_id = silo_on_aws(api, database_url, with_instance=False)
    apply(managed_settings, database_url, stack_id)
    sql(
        database_url,
        'UPDATE stacks SET outputs = outputs || \'{"database_admin_secret": "arn:gone"}\' '
        "WHERE id = :s",
        s=stack_id,
    )
    refused = api.post(f"/v1/tenants/{tenant['id']}/database/credentials")
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/managed-database-unavailable")
    snapshot = api.ok("POST", f"/v1/tenants/{tenant['id']}/snapshots", 202)
    assert take(managed_settings, database_url, snapshot["id"]) is SnapshotStatus.failed
    failed = api.ok("GET", f"/v1/tenants/{tenant['id']}/snapshots/{snapshot['id']}")
    assert failed["status"] == "failed" and "secret store" in failed["error"]
    assert CREDS["secret_access_key"] not in failed["error"]


def test_a_module_without_admin_outputs_stays_unmanaged(
    api: Api, managed_settings: Settings, database_url: str
) -> None:
    tenant, stack_id = silo_on_aws(api, database_url)
    sql(
        database_url,
        "UPDATE stacks SET outputs = outputs - 'database_admin_secret' WHERE id = :s",
        s=stack_id,
    )
    assert apply(managed_settings, database_url, stack_id) == "aws database app recorded"
    db = api.ok("GET", f"/v1/tenants/{tenant['id']}/database")
    assert db["status"] == "unmanaged"
    refused = api.post(f"/v1/tenants/{tenant['id']}/snapshots")
    assert refused.status_code == 409 and refused.json()["type"].endswith("/no-data-tier")


def test_an_rds_snapshot_is_restored_into_a_new_instance_never_in_place(
    api: Api, managed_settings: Settings, database_url: str
) -> None:
    tenant, stack_id = silo_on_aws(api, database_url)
    apply(managed_settings, database_url, stack_id)
    snapshot = api.ok("POST", f"/v1/tenants/{tenant['id']}/snapshots", 202)
    take(managed_settings, database_url, snapshot["id"])
    base = f"/v1/tenants/{tenant['id']}/snapshots/{snapshot['id']}/restore"
    refused = api.post(base, json={"mode": "in_place"})
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/instance-snapshot-not-in-place")
    restore_row = api.ok("POST", base, 202, json={"mode": "new_database"})
    assert restore(managed_settings, database_url, restore_row["id"]) is RestoreStatus.completed
    done = api.ok("GET", f"/v1/tenants/{tenant['id']}/restores/{restore_row['id']}")
    assert done["status"] == "completed"
    assert [s["name"] for s in done["steps"]] == ["instance restore"]
    new_id = f"pb-r{uuid.UUID(restore_row['id']).hex[:20]}"
    made = boto("rds").describe_db_instances(DBInstanceIdentifier=new_id)["DBInstances"]
    assert made[0]["Engine"] == "postgres"


def test_a_logical_snapshot_is_restored_on_the_managed_server(
    api: Api, managed_settings: Settings, database_url: str, tmp_path: Any
) -> None:
    settings = managed_settings.model_copy(update={"data_dir": tmp_path})
    tenant, stack_id = silo_on_aws(api, database_url, with_instance=False)
    apply(settings, database_url, stack_id)
    creds = api.ok("POST", f"/v1/tenants/{tenant['id']}/database/credentials")
    app_db = creds | {"host": "127.0.0.1", "port": make_url(database_url).port or 5432}
    with connect_as(app_db, creds["password"]) as conn:
        conn.execute("CREATE TABLE orders (id int PRIMARY KEY)")
        conn.execute("INSERT INTO orders SELECT generate_series(1, 25)")
    snapshot = api.ok("POST", f"/v1/tenants/{tenant['id']}/snapshots", 202)
    assert take(settings, database_url, snapshot["id"]) is SnapshotStatus.completed
    with connect_as(app_db, creds["password"]) as conn:
        conn.execute("DELETE FROM orders WHERE id > 5")
    base = f"/v1/tenants/{tenant['id']}/snapshots/{snapshot['id']}/restore"
    restore_row = api.ok("POST", base, 202, json={"mode": "in_place"})
    assert restore(settings, database_url, restore_row["id"]) is RestoreStatus.completed
    with connect_as(app_db, creds["password"]) as conn:
        assert conn.execute("SELECT count(*) FROM orders").fetchone() == (25,)


def test_pooled_tenants_get_schemas_on_the_pool_server_and_pg_dump_snapshots(
    api: Api, managed_settings: Settings, database_url: str, tmp_path: Any
) -> None:
    settings = managed_settings.model_copy(update={"data_dir": tmp_path})
    target = api.ok(
        "POST", "/v1/cloud-targets", 201,
        json={"cloud": "aws", "name": f"aws-{uuid.uuid4().hex[:8]}", "default_region": REGION,
              "account_ref": "123456789012", "credentials": CREDS},
    )  # fmt: skip
    tier = make_tier(api, default_isolation="pooled", allowed_isolation=["pooled"])
    tenant = make_tenant(api, tier["key"], cloud="aws", region=REGION, cloud_target_id=target["id"])
    secret = boto("secretsmanager").create_secret(
        Name=f"pool-{tenant['id'][:8]}", SecretString=json.dumps({"password": "pool-password"})
    )["ARN"]
    outputs = {"database_host": RDS_HOST, "database_name": "pool", "database_admin_username": ADMIN,
               "database_admin_secret": secret, "database_instance_id": "pb-pool"}  # fmt: skip
    members = json.dumps({"tenants": [{"tenant_id": tenant["id"], "suspended": False}]})
    (stack_id,) = sql(
        database_url,
        "UPDATE stacks SET outputs = CAST(:o AS jsonb), variables = CAST(:v AS jsonb) "
        "WHERE kind = 'pool' AND pool_id = CAST(:p AS uuid) RETURNING id",
        o=json.dumps(outputs), v=members, p=tenant["pool_id"],
    )[0]  # fmt: skip
    detail = call(
        settings, database_url,
        lambda ctx: converge_stack(ctx, stack_id, "apply", outputs, actor="test"),
    )  # fmt: skip
    assert detail == "1 pooled databases on the aws module's server"
    db = api.ok("GET", f"/v1/tenants/{tenant['id']}/database")
    assert (db["status"], db["host"]) == ("available", RDS_HOST)
    assert db["schema"] == f"t_{uuid.UUID(tenant['id']).hex}"
    # Pooled tenants share the server: their snapshot is their schema's pg_dump, not the RDS one.
    snapshot = api.ok("POST", f"/v1/tenants/{tenant['id']}/snapshots", 202)
    assert take(settings, database_url, snapshot["id"]) is SnapshotStatus.completed
    done = api.ok("GET", f"/v1/tenants/{tenant['id']}/snapshots/{snapshot['id']}")
    assert [s["name"] for s in done["steps"]] == ["dump", "publish"]
    # The tenant leaves the pool: a final snapshot, then its schema and roles are dropped.
    sql(database_url, "UPDATE stacks SET applied_variables = variables WHERE id = :s", s=stack_id)
    sql(database_url, "UPDATE stacks SET variables = '{\"tenants\": []}' WHERE id = :s", s=stack_id)
    call(
        settings, database_url,
        lambda ctx: converge_stack(ctx, stack_id, "apply", outputs, actor="test"),
    )  # fmt: skip
    gone = api.get(f"/v1/tenants/{tenant['id']}/database")
    assert gone.status_code == 404
    kinds = [s["kind"] for s in api.ok("GET", f"/v1/tenants/{tenant['id']}/snapshots")["items"]]
    assert "final" in kinds


def test_a_worker_killed_mid_snapshot_leaves_one_rds_snapshot_listed_only_when_available(
    api: Api, managed_settings: Settings, database_url: str
) -> None:
    tenant, stack_id = silo_on_aws(api, database_url)
    apply(managed_settings, database_url, stack_id)
    snapshot = api.ok("POST", f"/v1/tenants/{tenant['id']}/snapshots", 202)
    name = f"pb-{uuid.UUID(snapshot['id']).hex}"
    instance = sql(
        database_url,
        "SELECT outputs->>'database_instance_id' FROM stacks WHERE id = :s",
        s=stack_id,
    )[0][0]
    # What a worker killed (kill -9) right after asking RDS for the snapshot leaves behind: the
    # row claimed and `running`, the cloud's snapshot started.
    boto("rds").create_db_snapshot(DBSnapshotIdentifier=name, DBInstanceIdentifier=instance)
    sql(
        database_url, "UPDATE tenant_snapshots SET status = 'running', attempt = 1 WHERE id = :i",
        i=snapshot["id"],
    )  # fmt: skip
    listed = api.ok("GET", f"/v1/tenants/{tenant['id']}/snapshots?status=completed")["items"]
    assert snapshot["id"] not in [s["id"] for s in listed]
    assert take(managed_settings, database_url, snapshot["id"]) is SnapshotStatus.completed
    manual = boto("rds").describe_db_snapshots(DBInstanceIdentifier=instance, SnapshotType="manual")
    assert [s["DBSnapshotIdentifier"] for s in manual["DBSnapshots"]] == [name]
    done = api.ok("GET", f"/v1/tenants/{tenant['id']}/snapshots/{snapshot['id']}")
    assert done["status"] == "completed" and done["attempt"] == 2


def test_a_silo_in_its_own_aws_account_is_reached_through_the_member_role(aws: None) -> None:
    from paybill_control_plane.clouds import CloudTargetConfig
    from paybill_control_plane.clouds.managed_db import managed_ops
    from paybill_control_plane.datatier.managed import CloudAccess, in_boundary

    config = CloudTargetConfig("aws", "main", REGION, "123456789012")
    member_role = "arn:aws:iam::210987654321:role/OrganizationAccountAccessRole"
    boundary = {
        "kind": "aws_account",
        "id": "210987654321",
        "attributes": {"role_arn": member_role},
    }
    plain = CloudAccess(config, dict(CREDS), managed_ops("aws"))
    assert asyncio.run(in_boundary(plain, {"kind": "tags"})) is plain
    inside = asyncio.run(in_boundary(plain, boundary))
    assert inside.creds == CREDS | {"role_arn": member_role}
    # A target that itself assumes a role: its session first (STS, moto), then the member role.
    chained = CloudAccess(
        config,
        CREDS | {"role_arn": "arn:aws:iam::123456789012:role/paybill", "external_id": "ext-1"},
        managed_ops("aws"),
    )
    hop = asyncio.run(in_boundary(chained, boundary)).creds
    assert hop["role_arn"] == member_role and "external_id" not in hop
    assert hop["access_key_id"] != CREDS["access_key_id"] and hop["session_token"]
