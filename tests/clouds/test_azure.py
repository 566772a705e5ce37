"""Azure adapter against a fake Azure Resource Manager on 127.0.0.1."""

from __future__ import annotations

from typing import Any

import pytest
from azure.core.pipeline import PipelineRequest
from azure.core.pipeline.policies import SansIOHTTPPolicy

from paybill_control_plane.clouds.azure import AzureAdapter
from paybill_control_plane.clouds.base import (
    Boundary,
    BoundaryConflictError,
    BoundaryRequest,
    CloudTargetConfig,
)

from .conftest import OTHER_TENANT_ID, TENANT_ID
from .fakeserver import FakeServer, Request

SUBSCRIPTION = "5f6e7d8c-0000-4000-8000-000000000001"
CREDS = {
    "tenant_id": "entra-tenant",
    "client_id": "app-client-id",
    "client_secret": "s3cr3t-Value~",
}
RG_PATH = f"/subscriptions/{SUBSCRIPTION}/resourcegroups/"
TOKEN = "Bearer fake-arm-token"


class StaticToken(SansIOHTTPPolicy):  # type: ignore[type-arg]
    """The test's authentication policy: a fixed bearer token, no Entra ID round trip."""

    def on_request(self, request: PipelineRequest) -> None:  # type: ignore[type-arg]
        request.http_request.headers["Authorization"] = TOKEN


class FakeArm:
    """Resource groups as ARM serves them, deletion as a 202 long-running operation."""

    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.groups: dict[str, dict[str, Any]] = {}
        self.pending_polls = 0
        self.deleting = ""
        sub = r"/subscriptions/([^/]+)/resourcegroups"
        server.route("GET", sub)(self.list)
        server.route("GET", sub + "/([^/]+)")(self.get)
        server.route("PUT", sub + "/([^/]+)")(self.put)
        server.route("DELETE", sub + "/([^/]+)")(self.delete)
        server.route("GET", r"/operationresults/([^/]+)")(self.operation)

    def add(self, name: str, tags: dict[str, str], location: str = "westeurope") -> None:
        self.groups[name.lower()] = {
            "id": f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{name}",
            "name": name,
            "type": "Microsoft.Resources/resourceGroups",
            "location": location,
            "tags": tags,
            "properties": {"provisioningState": "Succeeded"},
        }

    def list(self, req: Request, sub: str) -> Any:
        return 200, {"value": list(self.groups.values())[: int(req.param("$top") or 100)]}, {}

    def get(self, req: Request, sub: str, name: str) -> Any:
        group = self.groups.get(name.lower())
        if group is None:
            error = {
                "code": "ResourceGroupNotFound",
                "message": f"Resource group '{name}' could not be found.",
            }
            return 404, {"error": error}, {}
        return 200, group, {}

    def put(self, req: Request, sub: str, name: str) -> Any:
        body = req.json()
        self.add(name, body.get("tags", {}), body["location"])
        return 201, self.groups[name.lower()], {}

    def delete(self, req: Request, sub: str, name: str) -> Any:
        self.groups[name.lower()]["properties"]["provisioningState"] = "Deleting"
        self.deleting = name.lower()
        self.pending_polls = 2
        location = f"{self.server.base_url}/operationresults/op-1"
        return 202, None, {"Location": location, "Retry-After": "0"}

    def operation(self, req: Request, op: str) -> Any:
        if self.pending_polls > 0:
            self.pending_polls -= 1
            return 202, None, {"Location": f"{self.server.base_url}/operationresults/{op}"}
        self.groups.pop(self.deleting, None)
        return 200, None, {}


@pytest.fixture
def arm(fake_server: FakeServer) -> FakeArm:
    return FakeArm(fake_server)


def azure_target(server: FakeServer) -> CloudTargetConfig:
    return CloudTargetConfig(
        cloud="azure",
        name="azure-main",
        default_region="westeurope",
        account_ref=SUBSCRIPTION,
        settings={"poll_interval_seconds": "0.01"},
        endpoint_url=server.base_url,
    )


def adapter() -> AzureAdapter:
    return AzureAdapter(authentication_policy=StaticToken())


def assert_arm_calls(server: FakeServer, *expected: tuple[str, str]) -> None:
    calls = [(r.method, r.path) for r in server.requests]
    assert calls == list(expected)
    for r in server.requests:
        assert r.headers["authorization"] == TOKEN
        if r.path.startswith("/subscriptions/"):
            assert r.param("api-version") == "2025-04-01"


def test_validate_lists_one_page_of_resource_groups(arm: FakeArm) -> None:
    arm.add("existing", {})
    result = adapter().validate_credentials(azure_target(arm.server), CREDS)
    assert result.ok
    assert result.identity == "app-client-id@entra-tenant"
    assert result.details == {"subscription_id": SUBSCRIPTION, "tenant_id": "entra-tenant"}
    assert_arm_calls(arm.server, ("GET", RG_PATH.rstrip("/")))
    assert arm.server.requests[0].param("$top") == "1"


def test_validate_reports_a_refusal_without_secrets(fake_server: FakeServer) -> None:
    @fake_server.route("GET", r"/subscriptions/[^/]+/resourcegroups")
    def refuse(req: Request) -> Any:
        message = "The client 'app-client-id' does not have authorization"
        return 403, {"error": {"code": "AuthorizationFailed", "message": message}}, {}

    result = adapter().validate_credentials(azure_target(fake_server), CREDS)
    assert not result.ok
    assert result.details["code"] == "AuthorizationFailed"
    assert "does not have authorization" in result.details["error"]
    assert CREDS["client_secret"] not in str(result)


def test_ensure_creates_a_tagged_resource_group_once(
    arm: FakeArm, silo_request: BoundaryRequest
) -> None:
    target = azure_target(arm.server)
    boundary = adapter().ensure_boundary(target, CREDS, silo_request)

    put = arm.server.calls("PUT")[0]
    assert put.path == RG_PATH + "paybill-acme-corp"
    assert put.json() == {
        "location": "westeurope",
        "tags": {
            "cost-center": "cc-42",
            "paybill-tenant-id": TENANT_ID,
            "paybill-tenant-slug": "acme-corp",
            "paybill-isolation-model": "silo",
            "paybill-managed-by": "paybill-control-plane",
        },
    }
    assert boundary == Boundary(
        kind="azure_resource_group",
        id=f"/subscriptions/{SUBSCRIPTION}/resourceGroups/paybill-acme-corp",
        attributes={
            "tenant_id": TENANT_ID,
            "name": "paybill-acme-corp",
            "location": "westeurope",
            "subscription_id": SUBSCRIPTION,
        },
    )

    assert adapter().ensure_boundary(target, CREDS, silo_request) == boundary
    assert_arm_calls(
        arm.server,
        ("GET", RG_PATH + "paybill-acme-corp"),
        ("PUT", RG_PATH + "paybill-acme-corp"),
        ("GET", RG_PATH + "paybill-acme-corp"),  # second call: found, nothing written
    )


def test_a_group_of_another_tenant_is_not_adopted(
    arm: FakeArm, silo_request: BoundaryRequest
) -> None:
    arm.add("paybill-acme-corp", {"paybill-tenant-id": OTHER_TENANT_ID})
    with pytest.raises(BoundaryConflictError, match=f"belongs to tenant {OTHER_TENANT_ID}"):
        adapter().ensure_boundary(azure_target(arm.server), CREDS, silo_request)
    arm.add("paybill-acme-corp", {})
    with pytest.raises(BoundaryConflictError, match="nothing managed by paybill"):
        adapter().ensure_boundary(azure_target(arm.server), CREDS, silo_request)
    assert not arm.server.calls("PUT")


def test_remove_deletes_and_waits_for_the_operation(
    arm: FakeArm, silo_request: BoundaryRequest
) -> None:
    target = azure_target(arm.server)
    boundary = adapter().ensure_boundary(target, CREDS, silo_request)
    arm.server.requests.clear()

    adapter().remove_boundary(target, CREDS, boundary)
    assert "paybill-acme-corp" not in arm.groups
    op = "/operationresults/op-1"
    assert_arm_calls(
        arm.server,
        ("GET", RG_PATH + "paybill-acme-corp"),
        ("DELETE", RG_PATH + "paybill-acme-corp"),
        ("GET", op),
        ("GET", op),
        ("GET", op),  # 202, 202, then 200: the adapter waited for the end
    )

    arm.server.requests.clear()
    adapter().remove_boundary(target, CREDS, boundary)  # already gone
    assert_arm_calls(arm.server, ("GET", RG_PATH + "paybill-acme-corp"))


def test_remove_refuses_a_group_of_another_tenant(arm: FakeArm) -> None:
    arm.add("paybill-acme-corp", {"paybill-tenant-id": OTHER_TENANT_ID})
    boundary = Boundary(
        "azure_resource_group",
        f"/subscriptions/{SUBSCRIPTION}/resourceGroups/paybill-acme-corp",
        {"tenant_id": TENANT_ID, "name": "paybill-acme-corp"},
    )
    with pytest.raises(BoundaryConflictError):
        adapter().remove_boundary(azure_target(arm.server), CREDS, boundary)
    assert not arm.server.calls("DELETE")


def test_terraform_env() -> None:
    target = CloudTargetConfig(
        "azure", "gov", "usgovvirginia", SUBSCRIPTION, {"environment": "usgovernment"}
    )
    assert AzureAdapter().terraform_env(target, CREDS) == {
        "ARM_CLIENT_ID": "app-client-id",
        "ARM_CLIENT_SECRET": "s3cr3t-Value~",
        "ARM_TENANT_ID": "entra-tenant",
        "ARM_SUBSCRIPTION_ID": SUBSCRIPTION,
        "ARM_ENVIRONMENT": "usgovernment",
    }
