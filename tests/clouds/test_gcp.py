"""GCP adapter against a fake Cloud Resource Manager v3 (REST) on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from paybill_control_plane.clouds.base import (
    Boundary,
    BoundaryConflictError,
    BoundaryRequest,
    CloudConfigError,
    CloudError,
    CloudTargetConfig,
)
from paybill_control_plane.clouds.gcp import GcpAdapter, project_id_for

from .conftest import OTHER_TENANT_ID, TENANT_ID, RsaKey
from .fakeserver import FakeServer, Request

SA_EMAIL = "paybill@mgmt-project.iam.gserviceaccount.com"
PROJECT_TYPE = "type.googleapis.com/google.cloud.resourcemanager.v3.Project"
EXPECTED_ID = project_id_for("acme-corp", TENANT_ID)


class FakeResourceManager:
    """Projects and their long-running operations, as Resource Manager v3 serves them."""

    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.projects: dict[str, dict[str, Any]] = {}
        self.taken: set[str] = set()  # ids used by someone we cannot see
        self.operations: dict[str, str] = {}  # operation name -> project id
        server.route("GET", r"/v3/projects:search")(self.search)
        server.route("POST", r"/v3/projects")(self.create)
        server.route("GET", r"/v3/projects/([^/:]+)")(self.get)
        server.route("DELETE", r"/v3/projects/([^/:]+)")(self.delete)
        server.route("GET", r"/v3/operations/(.+)")(self.operation)

    def add(self, project_id: str, labels: dict[str, str], state: str = "ACTIVE") -> None:
        self.projects[project_id] = {
            "name": f"projects/{100000 + len(self.projects)}",
            "projectId": project_id,
            "parent": "folders/4242",
            "displayName": project_id,
            "labels": labels,
            "state": state,
        }

    def _operation(self, project_id: str) -> Any:
        name = f"operations/cp.{len(self.operations) + 1}"
        self.operations[name] = project_id
        return 200, {"name": name, "done": False}, {}

    def search(self, req: Request) -> Any:
        return (
            200,
            {"projects": list(self.projects.values())[: int(req.param("pageSize") or 50)]},
            {},
        )

    def create(self, req: Request) -> Any:
        body = req.json()
        if body["projectId"] in self.projects or body["projectId"] in self.taken:
            error = {
                "code": 409,
                "message": "Requested entity already exists",
                "status": "ALREADY_EXISTS",
            }
            return 409, {"error": error}, {}
        self.add(body["projectId"], body.get("labels", {}))
        self.projects[body["projectId"]].update(
            parent=body["parent"], displayName=body["displayName"]
        )
        return self._operation(body["projectId"])

    def get(self, req: Request, project_id: str) -> Any:
        if project_id not in self.projects:
            # Resource Manager does not tell "missing" from "not yours".
            error = {
                "code": 403,
                "message": "The caller does not have permission",
                "status": "PERMISSION_DENIED",
            }
            return 403, {"error": error}, {}
        return 200, self.projects[project_id], {}

    def delete(self, req: Request, project_id: str) -> Any:
        self.projects[project_id]["state"] = "DELETE_REQUESTED"
        return self._operation(project_id)

    def operation(self, req: Request, name: str) -> Any:
        project = self.projects[self.operations[f"operations/{name}"]]
        return (
            200,
            {
                "name": f"operations/{name}",
                "done": True,
                "response": {"@type": PROJECT_TYPE, **project},
            },
            {},
        )


@pytest.fixture
def crm(fake_server: FakeServer) -> FakeResourceManager:
    return FakeResourceManager(fake_server)


@pytest.fixture
def creds(rsa_key: RsaKey, fake_server: FakeServer) -> dict[str, str]:
    key_file = {
        "type": "service_account",
        "project_id": "mgmt-project",
        "private_key_id": "key-1",
        "private_key": rsa_key.pem,
        "client_email": SA_EMAIL,
        "client_id": "1234567890",
        "token_uri": f"{fake_server.base_url}/token",
    }
    return {"service_account_json": json.dumps(key_file)}


def gcp_target(server: FakeServer, **settings: str) -> CloudTargetConfig:
    return CloudTargetConfig(
        cloud="gcp",
        name="gcp-main",
        default_region="europe-west1",
        account_ref="mgmt-project",
        settings={"folder_id": "4242", **settings},
        endpoint_url=server.base_url,
    )


def b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def assert_signed_by_service_account(req: Request, rsa_key: RsaKey) -> None:
    """Each request carries a JWT the service account key signed (RS256), naming it."""
    scheme, _, token = req.headers["authorization"].partition(" ")
    assert scheme == "Bearer"
    header, payload, signature = token.split(".")
    rsa_key.public_key.verify(
        b64decode(signature), f"{header}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256()
    )
    claims = json.loads(b64decode(payload))
    assert claims["iss"] == claims["sub"] == SA_EMAIL


def calls(server: FakeServer) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in server.requests]


def test_project_ids_respect_gcp_rules() -> None:
    for slug in ("acme-corp", "a" * 40, "x1", "ab-" * 13 + "c"):
        project_id = project_id_for(slug, TENANT_ID)
        assert re.fullmatch(r"[a-z][a-z0-9-]{4,28}[a-z0-9]", project_id), project_id
        assert "--" not in project_id
    assert project_id_for("acme-corp", TENANT_ID) == EXPECTED_ID
    assert project_id_for("acme-corp", OTHER_TENANT_ID) != EXPECTED_ID


def test_validate_searches_projects_under_the_parent(
    crm: FakeResourceManager, creds: dict[str, str], rsa_key: RsaKey
) -> None:
    result = GcpAdapter().validate_credentials(gcp_target(crm.server), creds)
    assert result.ok
    assert result.identity == SA_EMAIL
    assert result.details == {"client_email": SA_EMAIL, "parent": "folders/4242"}
    (search,) = crm.server.requests
    assert search.path == "/v3/projects:search"
    assert search.param("query") == "parent:folders/4242"
    assert search.param("pageSize") == "1"
    assert_signed_by_service_account(search, rsa_key)


def test_ensure_creates_the_project_and_waits_for_the_operation(
    crm: FakeResourceManager, creds: dict[str, str], rsa_key: RsaKey, silo_request: BoundaryRequest
) -> None:
    target = gcp_target(crm.server, billing_account="0A1B2C-3D4E5F-6A7B8C")
    boundary = GcpAdapter().ensure_boundary(target, creds, silo_request)

    assert calls(crm.server) == [
        ("GET", f"/v3/projects/{EXPECTED_ID}"),  # 403: not visible, so create it
        ("POST", "/v3/projects"),
        ("GET", "/v3/operations/cp.1"),
    ]
    assert crm.server.requests[1].json() == {
        "projectId": EXPECTED_ID,
        "displayName": "paybill-acme-corp",
        "parent": "folders/4242",
        "labels": {
            "cost-center": "cc-42",
            "paybill-tenant-id": TENANT_ID,
            "paybill-tenant-slug": "acme-corp",
            "paybill-isolation-model": "silo",
            "paybill-managed-by": "paybill-control-plane",
        },
    }
    for req in crm.server.requests:
        assert_signed_by_service_account(req, rsa_key)
    assert boundary == Boundary(
        kind="gcp_project",
        id=EXPECTED_ID,
        attributes={
            "tenant_id": TENANT_ID,
            "name": EXPECTED_ID,
            "project_id": EXPECTED_ID,
            "resource_name": "projects/100000",
            "project_number": "100000",
            "parent": "folders/4242",
            "region": "europe-west1",
            "billing_account": "0A1B2C-3D4E5F-6A7B8C",
        },
    )

    crm.server.requests.clear()
    assert GcpAdapter().ensure_boundary(target, creds, silo_request) == boundary
    assert calls(crm.server) == [("GET", f"/v3/projects/{EXPECTED_ID}")]


def test_labels_are_made_valid_for_gcp(crm: FakeResourceManager, creds: dict[str, str]) -> None:
    req = BoundaryRequest(TENANT_ID, "acme-corp", "bridge", labels={"Team Name": "Billing/Core"})
    GcpAdapter().ensure_boundary(gcp_target(crm.server), creds, req)
    labels = crm.server.calls("POST")[0].json()["labels"]
    assert labels["team_name"] == "billing_core"


def test_taken_or_foreign_projects_are_conflicts(
    crm: FakeResourceManager, creds: dict[str, str], silo_request: BoundaryRequest
) -> None:
    crm.taken.add(EXPECTED_ID)
    with pytest.raises(BoundaryConflictError, match="is taken"):
        GcpAdapter().ensure_boundary(gcp_target(crm.server), creds, silo_request)

    crm.add(EXPECTED_ID, {"paybill-tenant-id": OTHER_TENANT_ID})
    with pytest.raises(BoundaryConflictError, match=f"belongs to tenant {OTHER_TENANT_ID}"):
        GcpAdapter().ensure_boundary(gcp_target(crm.server), creds, silo_request)


def test_remove_requests_deletion_once(
    crm: FakeResourceManager, creds: dict[str, str], silo_request: BoundaryRequest
) -> None:
    target = gcp_target(crm.server)
    boundary = GcpAdapter().ensure_boundary(target, creds, silo_request)
    crm.server.requests.clear()

    GcpAdapter().remove_boundary(target, creds, boundary)
    assert calls(crm.server) == [
        ("GET", f"/v3/projects/{EXPECTED_ID}"),
        ("DELETE", f"/v3/projects/{EXPECTED_ID}"),
        ("GET", "/v3/operations/cp.2"),
    ]
    assert crm.projects[EXPECTED_ID]["state"] == "DELETE_REQUESTED"

    crm.server.requests.clear()
    GcpAdapter().remove_boundary(target, creds, boundary)  # pending deletion: done
    gone = Boundary("gcp_project", "pb-never-existed-abc123", {"tenant_id": TENANT_ID})
    GcpAdapter().remove_boundary(target, creds, gone)  # not visible: done
    assert [m for m, _ in calls(crm.server)] == ["GET", "GET"]

    with pytest.raises(CloudError, match="pending deletion") as info:
        GcpAdapter().ensure_boundary(target, creds, silo_request)
    assert info.value.code == "project-deleted"


def test_creating_needs_a_parent(
    crm: FakeResourceManager, creds: dict[str, str], silo_request: BoundaryRequest
) -> None:
    target = CloudTargetConfig(
        "gcp", "gcp-main", "europe-west1", "mgmt-project", endpoint_url=crm.server.base_url
    )
    with pytest.raises(CloudConfigError, match="'folder_id' or 'org_id'"):
        GcpAdapter().ensure_boundary(target, creds, silo_request)


def test_bad_service_account_json_is_reported_without_its_content(fake_server: FakeServer) -> None:
    target = gcp_target(fake_server)
    for bad in (
        '{"private_key": "-----BEGIN NOT A KEY-----"',
        '["x"]',
        '{"client_email": "a@b", "private_key": "garbage-key-material"}',
    ):
        result = GcpAdapter().validate_credentials(target, {"service_account_json": bad})
        assert not result.ok
        assert "garbage-key-material" not in str(result) and "NOT A KEY" not in str(result)
    assert not fake_server.requests


def test_an_unreachable_api_is_a_retryable_failure(
    creds: dict[str, str], closed_port_url: str, silo_request: BoundaryRequest
) -> None:
    target = CloudTargetConfig(
        "gcp", "gcp-main", "europe-west1", "mgmt-project", {"folder_id": "1"}, closed_port_url
    )
    result = GcpAdapter().validate_credentials(target, creds)
    assert result.details == {
        "error": "search projects failed: ConnectionError: cannot reach the API",
        "code": "unreachable",
    }
    with pytest.raises(CloudError) as info:
        GcpAdapter().ensure_boundary(target, creds, silo_request)
    assert info.value.retryable


def test_terraform_env(creds: dict[str, str], fake_server: FakeServer) -> None:
    env = GcpAdapter().terraform_env(gcp_target(fake_server), creds)
    assert env == {
        "GOOGLE_CREDENTIALS": creds["service_account_json"],
        "GOOGLE_REGION": "europe-west1",
        "GOOGLE_PROJECT": "mgmt-project",
    }
    org_target = CloudTargetConfig("gcp", "org", "europe-west1", "123456789012")
    assert "GOOGLE_PROJECT" not in GcpAdapter().terraform_env(org_target, creds)
