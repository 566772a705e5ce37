"""Google Cloud managed databases against a fake Cloud SQL Admin API, Secret Manager and OAuth
token endpoint on 127.0.0.1: backup runs, restore by clone, the admin password."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from paybill_control_plane.clouds.base import CloudError
from paybill_control_plane.clouds.gcp_sql import GcpSqlOps
from paybill_control_plane.clouds.managed_db import ManagedInstance, SnapshotState

from .conftest import RsaKey
from .fakeserver import FakeServer, Request
from .test_gcp import SA_EMAIL, gcp_target

INSTANCE = ManagedInstance("gcp", "pb-acme-1a2b3c:europe-west1:pb-acme")
RUNS = "/v1/projects/pb-acme-1a2b3c/instances/pb-acme/backupRuns"
TOKEN = "ya29.fake-gcp-token"


class FakeCloudSql:
    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.runs: list[dict[str, Any]] = []
        self.instances = {"pb-acme"}
        server.route("POST", r"/token")(self.token)
        base = r"/v1/projects/pb-acme-1a2b3c/instances/([^/]+)"
        server.route("GET", base + "/backupRuns")(self.list_runs)
        server.route("POST", base + "/backupRuns")(self.insert_run)
        server.route("DELETE", base + r"/backupRuns/(\d+)")(self.delete_run)
        server.route("POST", base + "/clone")(self.clone)
        server.route("GET", base)(self.get_instance)
        server.route("DELETE", base)(self.delete_instance)
        server.route("GET", r"/v1/projects/p/secrets/([^/]+)/versions/([^/:]+):access")(self.secret)

    def token(self, req: Request) -> Any:
        return 200, {"access_token": TOKEN, "expires_in": 3600, "token_type": "Bearer"}, {}

    def list_runs(self, req: Request, instance: str) -> Any:
        for run in self.runs:  # each read moves a run on, as Cloud SQL would
            run["status"] = {"ENQUEUED": "RUNNING", "RUNNING": "SUCCESSFUL"}.get(
                run["status"], run["status"]
            )
            if run["status"] == "SUCCESSFUL":
                run["endTime"] = "2026-11-30T10:00:00.000Z"
        return 200, {"kind": "sql#backupRunsList", "items": list(self.runs)}, {}

    def insert_run(self, req: Request, instance: str) -> Any:
        run_id = str(1700000000000 + len(self.runs))
        self.runs.append({"id": run_id, "status": "ENQUEUED", "type": "ON_DEMAND", **req.json()})
        return 200, {"kind": "sql#operation", "name": "op-1", "status": "PENDING"}, {}

    def delete_run(self, req: Request, instance: str, run_id: str) -> Any:
        self.runs = [r for r in self.runs if r["id"] != run_id]
        return 200, {"kind": "sql#operation", "name": "op-2"}, {}

    def clone(self, req: Request, instance: str) -> Any:
        self.instances.add(req.json()["cloneContext"]["destinationInstanceName"])
        return 200, {"kind": "sql#operation", "name": "op-3"}, {}

    def get_instance(self, req: Request, instance: str) -> Any:
        if instance not in self.instances:
            return 404, {"error": {"code": 404, "status": "NOT_FOUND", "message": "nope"}}, {}
        return 200, {"name": instance, "state": "RUNNABLE"}, {}

    def delete_instance(self, req: Request, instance: str) -> Any:
        if instance not in self.instances:
            return 404, {"error": {"code": 404, "status": "NOT_FOUND", "message": "nope"}}, {}
        self.instances.discard(instance)
        return 200, {"kind": "sql#operation", "name": "op-4"}, {}

    def secret(self, req: Request, name: str, version: str) -> Any:
        data = base64.b64encode(b"secret-manager-password").decode()
        return 200, {"name": f"projects/p/secrets/{name}/versions/1", "payload": {"data": data}}, {}


@pytest.fixture
def creds(rsa_key: RsaKey, fake_server: FakeServer) -> dict[str, str]:
    key_file = {
        "type": "service_account",
        "private_key": rsa_key.pem,
        "client_email": SA_EMAIL,
        "token_uri": f"{fake_server.base_url}/token",
    }
    return {"service_account_json": json.dumps(key_file)}


@pytest.fixture
def sql(fake_server: FakeServer) -> FakeCloudSql:
    return FakeCloudSql(fake_server)


def target(server: FakeServer) -> Any:
    return gcp_target(
        server, sqladmin_endpoint=server.base_url, secretmanager_endpoint=server.base_url
    )


def test_a_backup_run_is_found_again_by_its_description(
    sql: FakeCloudSql,
    creds: dict[str, str],
) -> None:
    ops, t = GcpSqlOps(), target(sql.server)
    assert ops.snapshot_status(t, creds, INSTANCE, "pb-1") is None
    assert ops.create_snapshot(t, creds, INSTANCE, "pb-1").state is SnapshotState.creating
    again = ops.create_snapshot(t, creds, INSTANCE, "pb-1")  # a retried job: no second run
    assert again.state is SnapshotState.creating and len(sql.runs) == 1
    done = ops.snapshot_status(t, creds, INSTANCE, "pb-1")
    assert done is not None and done.state is SnapshotState.available
    assert all(
        r.headers["authorization"] == f"Bearer {TOKEN}" for r in sql.server.calls("GET", "/v1")
    )
    ops.delete_snapshot(t, creds, INSTANCE, "pb-1")
    ops.delete_snapshot(t, creds, INSTANCE, "pb-1")
    assert sql.runs == [] and [r.path for r in sql.server.calls("DELETE")] == [
        f"{RUNS}/1700000000000"
    ]


def test_a_failed_run_reports_its_error(sql: FakeCloudSql, creds: dict[str, str]) -> None:
    sql.runs.append(
        {"id": "9", "status": "FAILED", "description": "pb-2", "error": {"message": "disk full"}}
    )
    found = GcpSqlOps().snapshot_status(target(sql.server), creds, INSTANCE, "pb-2")
    assert found is not None and found.state is SnapshotState.failed and found.error == "disk full"


def test_restore_clones_at_the_backup_end_time(sql: FakeCloudSql, creds: dict[str, str]) -> None:
    ops, t = GcpSqlOps(), target(sql.server)
    ops.create_snapshot(t, creds, INSTANCE, "pb-1")
    with pytest.raises(CloudError, match="not complete"):
        ops.restore_to_new(t, creds, INSTANCE, "pb-1", "pb-acme-r1")
    ops.snapshot_status(t, creds, INSTANCE, "pb-1")
    new_id = ops.restore_to_new(t, creds, INSTANCE, "pb-1", "pb-acme-r1")
    assert new_id == "pb-acme-1a2b3c:europe-west1:pb-acme-r1"
    clone = sql.server.calls("POST", "/v1/projects/pb-acme-1a2b3c/instances/pb-acme/clone")
    assert clone[0].json() == {
        "cloneContext": {
            "destinationInstanceName": "pb-acme-r1",
            "pointInTime": "2026-11-30T10:00:00.000Z",
        }
    }
    assert ops.restore_to_new(t, creds, INSTANCE, "pb-1", "pb-acme-r1") == new_id
    assert len(sql.server.calls("POST", "/v1/projects/pb-acme-1a2b3c/instances/pb-acme/clone")) == 1
    ops.delete_instance(t, creds, ManagedInstance("gcp", new_id))
    ops.delete_instance(t, creds, ManagedInstance("gcp", new_id))
    assert sql.instances == {"pb-acme"}


def test_admin_password_from_secret_manager_and_bad_instance_ids(
    sql: FakeCloudSql,
    creds: dict[str, str],
) -> None:
    ops, t = GcpSqlOps(), target(sql.server)
    assert ops.admin_password(t, creds, "projects/p/secrets/pg-admin") == "secret-manager-password"
    assert sql.server.calls("GET", "/v1/projects/p/secrets/")[0].path.endswith(
        "/versions/latest:access"
    )
    with pytest.raises(CloudError, match="connection name"):
        ops.create_snapshot(t, creds, ManagedInstance("gcp", "just-a-name"), "pb-1")
