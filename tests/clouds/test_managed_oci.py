"""OCI managed databases against a fake OCI Database with PostgreSQL and Vault secrets API on
127.0.0.1 (requests signed with the API key, checked): backups, restore, the admin password."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from paybill_control_plane.clouds.base import CloudError, CloudTargetConfig
from paybill_control_plane.clouds.managed_db import ManagedInstance, SnapshotState
from paybill_control_plane.clouds.oci_pg import OciPgOps

from .conftest import RsaKey
from .fakeserver import FakeServer, Request
from .test_oci import TENANCY, USER, verify_signature

PSQL = "/20220915"
SYSTEM = "ocid1.postgresqldbsystem.oc1..acme"
COMPARTMENT = "ocid1.compartment.oc1..acme"
INSTANCE = ManagedInstance("oci", SYSTEM)


class FakePsql:
    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.backups: dict[str, dict[str, Any]] = {}
        self.systems: dict[str, dict[str, Any]] = {SYSTEM: self._system(SYSTEM, "pb-acme")}
        server.route("GET", PSQL + r"/dbSystems/([^/]+)")(self.get_system)
        server.route("GET", PSQL + r"/dbSystems")(self.list_systems)
        server.route("POST", PSQL + r"/dbSystems")(self.create_system)
        server.route("DELETE", PSQL + r"/dbSystems/([^/]+)")(self.delete_system)
        server.route("GET", PSQL + r"/backups")(self.list_backups)
        server.route("POST", PSQL + r"/backups")(self.create_backup)
        server.route("DELETE", PSQL + r"/backups/([^/]+)")(self.delete_backup)
        server.route("GET", r"/20190301/secretbundles/([^/]+)")(self.secret)

    @staticmethod
    def _system(ocid: str, name: str) -> dict[str, Any]:
        return {
            "id": ocid, "displayName": name, "compartmentId": COMPARTMENT,
            "lifecycleState": "ACTIVE", "dbVersion": "16", "shape": "PostgreSQL.VM.Standard.E5.Flex",
            "instanceOcpuCount": 2, "instanceMemorySizeInGBs": 32, "systemType": "OCI_OPTIMIZED_STORAGE",
            "storageDetails": {"systemType": "OCI_OPTIMIZED_STORAGE", "isRegionallyDurable": True},
            "networkDetails": {"subnetId": "ocid1.subnet.oc1..db"},
            "timeCreated": "2026-01-01T00:00:00.000Z",
        }  # fmt: skip

    def get_system(self, req: Request, ocid: str) -> Any:
        if ocid not in self.systems:
            return 404, {"code": "NotAuthorizedOrNotFound", "message": "not found"}, {}
        return 200, self.systems[ocid], {}

    def list_systems(self, req: Request) -> Any:
        name = req.param("displayName")
        items = [s for s in self.systems.values() if s["displayName"] == name]
        return 200, {"items": items}, {}

    def create_system(self, req: Request) -> Any:
        body = req.json()
        ocid = f"ocid1.postgresqldbsystem.oc1..r{len(self.systems)}"
        self.systems[ocid] = self._system(ocid, body["displayName"]) | {"created_from": body}
        return 200, self.systems[ocid], {}

    def delete_system(self, req: Request, ocid: str) -> Any:
        self.systems.pop(ocid)
        return 202, None, {}

    def list_backups(self, req: Request) -> Any:
        name = req.param("displayName")
        items = [b for b in self.backups.values() if b["displayName"] == name]
        for b in items:  # a backup becomes ACTIVE once it has been listed
            if b["lifecycleState"] == "CREATING" and b.get("listed"):
                b["lifecycleState"] = "ACTIVE"
            b["listed"] = True
        return 200, {"items": items}, {}

    def create_backup(self, req: Request) -> Any:
        body = req.json()
        ocid = f"ocid1.postgresqlbackup.oc1..b{len(self.backups)}"
        self.backups[ocid] = {
            "id": ocid, "displayName": body["displayName"], "compartmentId": body["compartmentId"],
            "dbSystemId": body["dbSystemId"], "lifecycleState": "CREATING", "backupSize": 3,
            "timeCreated": "2026-11-30T10:00:00.000Z",
        }  # fmt: skip
        return 202, None, {"opc-work-request-id": "ocid1.workrequest.oc1..backup"}

    def delete_backup(self, req: Request, ocid: str) -> Any:
        self.backups[ocid]["lifecycleState"] = "DELETING"
        return 202, None, {}

    def secret(self, req: Request, secret_id: str) -> Any:
        content = base64.b64encode(b"vault-password").decode()
        return 200, {
            "secretId": secret_id, "versionNumber": 1,
            "secretBundleContent": {"contentType": "BASE64", "content": content},
        }, {}  # fmt: skip


@pytest.fixture
def creds(rsa_key: RsaKey) -> dict[str, str]:
    return {
        "user_ocid": USER,
        "fingerprint": rsa_key.md5_fingerprint,
        "private_key_pem": rsa_key.pem,
        "region": "eu-frankfurt-1",
    }


@pytest.fixture
def psql(fake_server: FakeServer) -> FakePsql:
    return FakePsql(fake_server)


def target(server: FakeServer) -> CloudTargetConfig:
    return CloudTargetConfig(
        cloud="oci", name="oci-main", default_region="eu-amsterdam-1", account_ref=TENANCY,
        settings={"psql_endpoint": server.base_url, "secrets_endpoint": server.base_url},
    )  # fmt: skip


def test_backup_is_made_once_and_becomes_available(
    psql: FakePsql,
    creds: dict[str, str],
    rsa_key: RsaKey,
) -> None:
    ops, t = OciPgOps(), target(psql.server)
    assert ops.snapshot_status(t, creds, INSTANCE, "pb-1") is None
    assert ops.create_snapshot(t, creds, INSTANCE, "pb-1").state is SnapshotState.creating
    again = ops.create_snapshot(t, creds, INSTANCE, "pb-1")  # a retried job finds it
    assert again.state is SnapshotState.creating and len(psql.backups) == 1
    done = ops.snapshot_status(t, creds, INSTANCE, "pb-1")
    assert done is not None and done.state is SnapshotState.available
    body = psql.server.calls("POST", PSQL + "/backups")[0].json()
    assert (body["compartmentId"], body["dbSystemId"]) == (COMPARTMENT, SYSTEM)
    assert done.size_bytes == 3 * 2**30
    for req in psql.server.requests:
        verify_signature(req, rsa_key, creds["fingerprint"])
    ops.delete_snapshot(t, creds, INSTANCE, "pb-1")
    ops.delete_snapshot(t, creds, INSTANCE, "pb-1")  # DELETING counts as gone
    assert len(psql.server.calls("DELETE")) == 1


def test_restore_makes_a_db_system_like_the_source_from_the_backup(
    psql: FakePsql,
    creds: dict[str, str],
) -> None:
    ops, t = OciPgOps(), target(psql.server)
    ops.create_snapshot(t, creds, INSTANCE, "pb-1")
    with pytest.raises(CloudError, match="not active"):
        ops.restore_to_new(t, creds, INSTANCE, "pb-1", "pb-acme-r1")
    new_id = ops.restore_to_new(t, creds, INSTANCE, "pb-1", "pb-acme-r1")
    made = psql.systems[new_id]["created_from"]
    assert made["source"] == {"sourceType": "BACKUP", "backupId": "ocid1.postgresqlbackup.oc1..b0"}
    assert (made["shape"], made["networkDetails"]["subnetId"]) == (
        "PostgreSQL.VM.Standard.E5.Flex", "ocid1.subnet.oc1..db",
    )  # fmt: skip
    assert ops.restore_to_new(t, creds, INSTANCE, "pb-1", "pb-acme-r1") == new_id
    ops.delete_instance(t, creds, ManagedInstance("oci", new_id))
    ops.delete_instance(t, creds, ManagedInstance("oci", new_id))
    assert list(psql.systems) == [SYSTEM]


def test_admin_password_comes_from_the_vault(psql: FakePsql, creds: dict[str, str]) -> None:
    secret = "ocid1.vaultsecret.oc1..pg"
    assert OciPgOps().admin_password(target(psql.server), creds, secret) == "vault-password"
    assert psql.server.requests[-1].path == f"/20190301/secretbundles/{secret}"
