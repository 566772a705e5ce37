"""IBM Cloud adapter against a fake IAM token endpoint and Resource Manager on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest

from paybill_control_plane.clouds.base import (
    Boundary,
    BoundaryConflictError,
    BoundaryRequest,
    CloudError,
    CloudTargetConfig,
)
from paybill_control_plane.clouds.ibm import IbmAdapter

from .conftest import TENANT_ID
from .fakeserver import FakeServer, Request

ACCOUNT = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"
API_KEY = "ibm-api-key-0123456789abcdef"
CREDS = {"api_key": API_KEY}


def unsigned_jwt(claims: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}.sig"


class FakeIbm:
    """IAM's API-key token exchange plus Resource Manager v2 resource groups."""

    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.groups: dict[str, dict[str, Any]] = {}
        now = int(time.time())
        self.token = unsigned_jwt({"iat": now, "exp": now + 3600, "account": {"bss": ACCOUNT}})
        server.route("POST", r"/identity/token")(self.issue_token)
        server.route("GET", r"/v2/resource_groups")(self.list)
        server.route("POST", r"/v2/resource_groups")(self.create)
        server.route("GET", r"/v2/resource_groups/([^/]+)")(self.get)
        server.route("DELETE", r"/v2/resource_groups/([^/]+)")(self.delete)

    def add(self, name: str, state: str = "ACTIVE") -> str:
        group_id = f"rg{len(self.groups):030d}"
        self.groups[group_id] = {
            "id": group_id,
            "crn": f"crn:v1:bluemix:public:resource-controller::a/{ACCOUNT}::resource-group:{group_id}",
            "account_id": ACCOUNT,
            "name": name,
            "state": state,
            "default": False,
        }
        return group_id

    def issue_token(self, req: Request) -> Any:
        if req.form().get("apikey") != API_KEY:
            return (
                400,
                {"errorCode": "BXNIM0415E", "errorMessage": "Provided API key could not be found."},
                {},
            )
        body = {
            "access_token": self.token,
            "refresh_token": "r",
            "token_type": "Bearer",
            "expires_in": 3600,
        }
        return 200, body, {}

    def authorized(self, req: Request) -> bool:
        return req.headers.get("authorization") == f"Bearer {self.token}"

    def list(self, req: Request) -> Any:
        groups = [
            g
            for g in self.groups.values()
            if g["account_id"] == req.param("account_id") and req.param("name") in (None, g["name"])
        ]
        return 200, {"resources": groups}, {}

    def create(self, req: Request) -> Any:
        body = req.json()
        group_id = self.add(body["name"])
        return 201, {"id": group_id, "crn": self.groups[group_id]["crn"]}, {}

    def get(self, req: Request, group_id: str) -> Any:
        if group_id not in self.groups:
            return 404, {"message": "resource group not found", "status_code": 404}, {}
        return 200, self.groups[group_id], {}

    def delete(self, req: Request, group_id: str) -> Any:
        self.groups[group_id]["state"] = "DELETED"
        return 204, None, {}


@pytest.fixture
def ibm(fake_server: FakeServer) -> FakeIbm:
    return FakeIbm(fake_server)


def ibm_target(server: FakeServer) -> CloudTargetConfig:
    return CloudTargetConfig(
        cloud="ibm",
        name="ibm-main",
        default_region="eu-de",
        account_ref=ACCOUNT,
        settings={"iam_url": server.base_url},
        endpoint_url=server.base_url,
    )


def calls(server: FakeServer) -> list[tuple[str, str]]:
    return [(r.method, r.raw_target) for r in server.requests]


def assert_authorized(ibm: FakeIbm) -> None:
    for req in ibm.server.requests:
        if req.path.startswith("/v2/"):
            assert ibm.authorized(req), req.raw_target


def test_validate_exchanges_the_api_key_and_lists_groups(ibm: FakeIbm) -> None:
    ibm.add("default")
    result = IbmAdapter().validate_credentials(ibm_target(ibm.server), CREDS)
    assert result.ok
    assert result.identity == f"account {ACCOUNT}"
    assert result.details == {"account_id": ACCOUNT, "resource_groups": "1"}
    assert calls(ibm.server) == [
        ("POST", "/identity/token"),
        ("GET", f"/v2/resource_groups?account_id={ACCOUNT}"),
    ]
    token_request = ibm.server.requests[0].form()
    assert token_request["grant_type"] == "urn:ibm:params:oauth:grant-type:apikey"
    assert_authorized(ibm)


def test_a_rejected_api_key_fails_validation_without_echoing_it(ibm: FakeIbm) -> None:
    result = IbmAdapter().validate_credentials(
        ibm_target(ibm.server), {"api_key": "wrong-key-987654321"}
    )
    assert not result.ok
    assert "Provided API key could not be found" in result.details["error"]
    assert "wrong-key-987654321" not in str(result)
    assert calls(ibm.server) == [("POST", "/identity/token")]


def test_ensure_creates_the_resource_group_once(
    ibm: FakeIbm, silo_request: BoundaryRequest
) -> None:
    target = ibm_target(ibm.server)
    boundary = IbmAdapter().ensure_boundary(target, CREDS, silo_request)
    group_id = next(iter(ibm.groups))
    assert calls(ibm.server) == [
        ("POST", "/identity/token"),
        ("GET", f"/v2/resource_groups?account_id={ACCOUNT}&name=paybill-acme-corp"),
        ("POST", "/v2/resource_groups"),
    ]
    assert ibm.server.requests[2].json() == {"name": "paybill-acme-corp", "account_id": ACCOUNT}
    assert_authorized(ibm)
    assert boundary == Boundary(
        kind="ibm_resource_group",
        id=group_id,
        attributes={
            "tenant_id": TENANT_ID,
            "name": "paybill-acme-corp",
            "crn": ibm.groups[group_id]["crn"],
            "account_id": ACCOUNT,
            "region": "eu-de",
        },
    )

    ibm.server.requests.clear()
    assert IbmAdapter().ensure_boundary(target, CREDS, silo_request) == boundary
    assert [m for m, _ in calls(ibm.server)] == ["POST", "GET"]  # token, list: found
    assert len(ibm.groups) == 1


def test_long_slugs_are_cut_to_ibm_limit(ibm: FakeIbm) -> None:
    req = BoundaryRequest(TENANT_ID, "a" * 38 + "zz", "silo")
    boundary = IbmAdapter().ensure_boundary(ibm_target(ibm.server), CREDS, req)
    assert len(boundary.attributes["name"]) == 40
    assert ibm.server.calls("POST", "/v2/")[0].json()["name"] == boundary.attributes["name"]


def test_remove_deletes_once(ibm: FakeIbm, silo_request: BoundaryRequest) -> None:
    target = ibm_target(ibm.server)
    boundary = IbmAdapter().ensure_boundary(target, CREDS, silo_request)
    ibm.server.requests.clear()

    IbmAdapter().remove_boundary(target, CREDS, boundary)
    assert [(m, p) for m, p in calls(ibm.server) if p.startswith("/v2/")] == [
        ("GET", f"/v2/resource_groups/{boundary.id}"),
        ("DELETE", f"/v2/resource_groups/{boundary.id}"),
    ]
    assert_authorized(ibm)

    ibm.server.requests.clear()
    IbmAdapter().remove_boundary(target, CREDS, boundary)  # state DELETED
    gone = Boundary("ibm_resource_group", "rg-gone", {"tenant_id": TENANT_ID, "name": "paybill-x"})
    IbmAdapter().remove_boundary(target, CREDS, gone)  # 404
    assert not ibm.server.calls("DELETE")


def test_remove_refuses_a_group_with_another_name(ibm: FakeIbm) -> None:
    group_id = ibm.add("Default")
    boundary = Boundary(
        "ibm_resource_group", group_id, {"tenant_id": TENANT_ID, "name": "paybill-acme"}
    )
    with pytest.raises(BoundaryConflictError, match="'Default'"):
        IbmAdapter().remove_boundary(ibm_target(ibm.server), CREDS, boundary)
    assert not ibm.server.calls("DELETE")


def test_an_unreachable_iam_is_a_retryable_failure(
    closed_port_url: str, silo_request: BoundaryRequest
) -> None:
    target = CloudTargetConfig(
        "ibm", "ibm-main", "eu-de", ACCOUNT, {"iam_url": closed_port_url}, closed_port_url
    )
    assert IbmAdapter().validate_credentials(target, CREDS).details["code"] == "unreachable"
    with pytest.raises(CloudError) as info:
        IbmAdapter().ensure_boundary(target, CREDS, silo_request)
    assert info.value.retryable
    assert API_KEY not in str(info.value)


def test_terraform_env() -> None:
    target = CloudTargetConfig("ibm", "ibm-main", "eu-de", ACCOUNT)
    assert IbmAdapter().terraform_env(target, CREDS) == {
        "IC_API_KEY": API_KEY,
        "IC_REGION": "eu-de",
    }
