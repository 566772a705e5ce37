"""A cloud tenant's database is recorded from its stack's outputs (the module made it)."""

from __future__ import annotations

import uuid

from paybill_control_plane.config import Settings
from paybill_control_plane.datatier.cloud import (
    CloudDatabase,
    connection_from_outputs,
    record_cloud_database,
)
from paybill_control_plane.models.enums import IsolationModel
from tests.datatier.helpers import call
from tests.factories import make_tenant, make_tier
from tests.live import Api


def test_outputs_give_host_port_and_database() -> None:
    tenant = uuid.uuid4()
    assert connection_from_outputs(
        {"database_host": "db.example", "database_port": "6432", "database_name": "app"}, tenant
    ) == ("db.example", 6432, "app")
    pooled = {"database_host": "pool.example", "tenant_databases": {str(tenant): "t1"}}
    assert connection_from_outputs(pooled, tenant) == ("pool.example", 5432, "t1")
    assert connection_from_outputs({"database_host": "h"}, tenant) == ("h", 5432, None)


def test_a_cloud_database_is_recorded_unmanaged(
    admin: Api, settings: Settings, database_url: str
) -> None:
    tier = make_tier(admin, default_isolation="silo", allowed_isolation=["silo"])
    tenant = make_tenant(admin, tier["key"], cloud="aws", region="eu-west-1")
    outputs = {"database_host": "x.rds.amazonaws.com", "database_port": 5432, "database_name": "a"}
    detail = call(
        settings,
        database_url,
        lambda ctx: record_cloud_database(
            ctx,
            CloudDatabase(uuid.UUID(tenant["id"]), IsolationModel.silo, None, "aws", outputs),
            actor="test",
        ),
    )
    assert detail == "aws database a recorded"
    db = admin.ok("GET", f"/v1/tenants/{tenant['id']}/database")
    assert (db["cloud"], db["host"], db["port"], db["database"]) == (
        "aws", "x.rds.amazonaws.com", 5432, "a",
    )  # fmt: skip
    assert db["status"] == "unmanaged" and db["username"] is None
    refused = admin.post(f"/v1/tenants/{tenant['id']}/database/credentials")
    assert refused.status_code == 409 and refused.json()["type"].endswith("/database-not-ready")
