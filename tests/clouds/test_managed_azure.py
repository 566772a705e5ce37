"""Azure managed databases against a fake ARM and Key Vault on 127.0.0.1: flexible server
on-demand backups, restore to a new server, the admin password from Key Vault."""

from __future__ import annotations

from typing import Any

import pytest

from paybill_control_plane.clouds.azure_pg import API_VERSION, AzurePgOps
from paybill_control_plane.clouds.base import CloudError
from paybill_control_plane.clouds.managed_db import ManagedInstance, SnapshotState

from .fakeserver import FakeServer, Request
from .test_azure import CREDS, SUBSCRIPTION, TOKEN, StaticToken, azure_target

GROUP = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/paybill-acme"
SERVER = f"{GROUP}/providers/Microsoft.DBforPostgreSQL/flexibleServers/pb-acme"
INSTANCE = ManagedInstance("azure", SERVER)
COMPLETED = "2026-11-30T10:00:00Z"


class FakeFlexibleServers:
    """Generic ARM resources by id; a new backup completes on the second read."""

    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.resources: dict[str, dict[str, Any]] = {
            SERVER.lower(): {"id": SERVER, "location": "westeurope", "properties": {}}
        }
        self.reads: dict[str, int] = {}
        server.route("GET", r"(/subscriptions/.+)")(self.get)
        server.route("PUT", r"(/subscriptions/.+)")(self.put)
        server.route("DELETE", r"(/subscriptions/.+)")(self.delete)
        server.route("GET", r"/secrets/([^/]+)")(self.secret)

    def get(self, req: Request, path: str) -> Any:
        found = self.resources.get(path.lower())
        if found is None:
            return 404, {"error": {"code": "ResourceNotFound", "message": "not found"}}, {}
        self.reads[path.lower()] = self.reads.get(path.lower(), 0) + 1
        if "/backups/" in path and self.reads[path.lower()] >= 2:
            found["properties"]["completedTime"] = COMPLETED
        return 200, found, {}

    def put(self, req: Request, path: str) -> Any:
        body = req.json() or {}
        resource = {
            "id": path,
            "location": body.get("location"),
            "properties": body.get("properties") or {},
        }
        self.resources[path.lower()] = resource
        return 200, resource, {}

    def delete(self, req: Request, path: str) -> Any:
        gone = self.resources.pop(path.lower(), None)
        return (200 if gone else 204), None, {}

    def secret(self, req: Request, name: str) -> Any:
        if name != "pg-admin":
            return 404, {"error": {"code": "SecretNotFound", "message": "no such secret"}}, {}
        return 200, {"value": "vault-held-password", "id": req.path}, {}


@pytest.fixture
def arm(fake_server: FakeServer) -> FakeFlexibleServers:
    return FakeFlexibleServers(fake_server)


def ops() -> AzurePgOps:
    return AzurePgOps(authentication_policy=StaticToken())


def test_on_demand_backup_is_created_once_and_polled_until_completed(
    arm: FakeFlexibleServers,
) -> None:
    target = azure_target(arm.server)
    assert ops().snapshot_status(target, CREDS, INSTANCE, "pb-1") is None
    started = ops().create_snapshot(target, CREDS, INSTANCE, "pb-1")
    assert started.state is SnapshotState.creating
    again = ops().create_snapshot(target, CREDS, INSTANCE, "pb-1")  # a retried job finds it
    assert again.state is SnapshotState.creating
    done = ops().snapshot_status(target, CREDS, INSTANCE, "pb-1")
    assert done is not None and done.state is SnapshotState.available
    puts = arm.server.calls("PUT")
    assert [r.path for r in puts] == [f"{SERVER}/backups/pb-1"]
    assert all(r.param("api-version") == API_VERSION for r in arm.server.requests)
    assert all(r.headers["authorization"] == TOKEN for r in arm.server.requests)


def test_restore_is_a_point_in_time_restore_into_a_new_server(arm: FakeFlexibleServers) -> None:
    target = azure_target(arm.server)
    ops().create_snapshot(target, CREDS, INSTANCE, "pb-1")
    with pytest.raises(CloudError, match="not complete"):
        ops().restore_to_new(target, CREDS, INSTANCE, "pb-1", "pb-acme-r1")
    ops().snapshot_status(target, CREDS, INSTANCE, "pb-1")  # completes
    new_id = ops().restore_to_new(target, CREDS, INSTANCE, "pb-1", "pb-acme-r1")
    assert new_id == f"{GROUP}/providers/Microsoft.DBforPostgreSQL/flexibleServers/pb-acme-r1"
    body = arm.server.calls("PUT")[-1].json()
    assert body["location"] == "westeurope"
    assert body["properties"] == {
        "createMode": "PointInTimeRestore",
        "sourceServerResourceId": SERVER,
        "pointInTimeUTC": COMPLETED,
    }
    assert ops().restore_to_new(target, CREDS, INSTANCE, "pb-1", "pb-acme-r1") == new_id
    assert len(arm.server.calls("PUT")) == 2  # the retry found the new server
    ops().delete_instance(target, CREDS, ManagedInstance("azure", new_id))
    ops().delete_instance(target, CREDS, ManagedInstance("azure", new_id))
    ops().delete_snapshot(target, CREDS, INSTANCE, "pb-1")
    assert list(arm.resources) == [SERVER.lower()]


def test_admin_password_comes_from_key_vault(arm: FakeFlexibleServers) -> None:
    target = azure_target(arm.server)
    secret = f"{arm.server.base_url}/secrets/pg-admin"
    assert ops().admin_password(target, CREDS, secret) == "vault-held-password"
    request = arm.server.calls("GET", "/secrets/")[0]
    assert request.param("api-version") == "7.4" and request.headers["authorization"] == TOKEN
    with pytest.raises(CloudError) as caught:
        ops().admin_password(target, CREDS, f"{arm.server.base_url}/secrets/other")
    assert caught.value.code == "SecretNotFound" or caught.value.code == "404"
    assert CREDS["client_secret"] not in str(caught.value)
