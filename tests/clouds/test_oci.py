"""OCI adapter against a fake Identity service on 127.0.0.1 that checks request signatures."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from paybill_control_plane.clouds.base import (
    Boundary,
    BoundaryConflictError,
    BoundaryRequest,
    CloudTargetConfig,
)
from paybill_control_plane.clouds.oci import OciAdapter

from .conftest import OTHER_TENANT_ID, TENANT_ID, RsaKey
from .fakeserver import FakeServer, Request

TENANCY = "ocid1.tenancy.oc1..aaaatenancy"
PARENT = "ocid1.compartment.oc1..aaaaparent"
USER = "ocid1.user.oc1..aaaauser"
API = "/20160918"


class FakeIdentity:
    """Compartments and users as OCI Identity serves them; list pages hold one item."""

    def __init__(self, server: FakeServer, key: RsaKey) -> None:
        self.server = server
        self.key = key
        self.compartments: dict[str, dict[str, Any]] = {}
        server.route("GET", API + r"/users/([^/]+)")(self.get_user)
        server.route("POST", API + r"/compartments")(self.create)
        server.route("GET", API + r"/compartments")(self.list)
        server.route("GET", API + r"/compartments/([^/]+)")(self.get)
        server.route("DELETE", API + r"/compartments/([^/]+)")(self.delete)

    def add(
        self, name: str, tags: dict[str, str], state: str = "ACTIVE", parent: str = PARENT
    ) -> str:
        ocid = f"ocid1.compartment.oc1..tenant{len(self.compartments)}"
        self.compartments[ocid] = {
            "id": ocid,
            "compartmentId": parent,
            "name": name,
            "description": "",
            "timeCreated": "2026-01-01T00:00:00.000Z",
            "lifecycleState": state,
            "freeformTags": tags,
        }
        return ocid

    def get_user(self, req: Request, ocid: str) -> Any:
        user = {
            "id": ocid,
            "compartmentId": TENANCY,
            "name": "paybill-automation",
            "description": "",
            "timeCreated": "2026-01-01T00:00:00.000Z",
            "lifecycleState": "ACTIVE",
        }
        return 200, user, {"opc-request-id": "req-1"}

    def create(self, req: Request) -> Any:
        body = req.json()
        ocid = self.add(body["name"], body["freeformTags"], "CREATING", body["compartmentId"])
        self.compartments[ocid]["description"] = body["description"]
        return 200, self.compartments[ocid], {"etag": "1"}

    def list(self, req: Request) -> Any:
        found = [
            c
            for c in self.compartments.values()
            if c["compartmentId"] == req.param("compartmentId")
            and req.param("name") in (None, c["name"])
        ]
        start = int(req.param("page") or 0)
        headers = {"opc-next-page": str(start + 1)} if start + 1 < len(found) else {}
        return 200, found[start : start + 1], headers

    def get(self, req: Request, ocid: str) -> Any:
        compartment = self.compartments.get(ocid)
        if compartment is None:
            return (
                404,
                {
                    "code": "NotAuthorizedOrNotFound",
                    "message": "Authorization failed or requested resource not found.",
                },
                {},
            )
        if compartment["lifecycleState"] == "CREATING":
            compartment["lifecycleState"] = "ACTIVE"  # ready by the time anyone asks
        return 200, compartment, {}

    def delete(self, req: Request, ocid: str) -> Any:
        self.compartments[ocid]["lifecycleState"] = "DELETING"
        return 202, None, {"opc-work-request-id": "ocid1.workrequest.oc1..delete"}


def verify_signature(req: Request, key: RsaKey, fingerprint: str) -> None:
    """Check the request's OCI (draft-cavage HTTP signature) Authorization header."""
    params = dict(re.findall(r'(\w+)="([^"]*)"', req.headers["authorization"]))
    assert req.headers["authorization"].startswith("Signature ")
    assert params["keyId"] == f"{TENANCY}/{USER}/{fingerprint}"
    assert params["algorithm"] == "rsa-sha256"
    signed = params["headers"].split()
    required = ["date", "(request-target)", "host"]
    if req.method in ("POST", "PUT"):
        required += ["content-length", "content-type", "x-content-sha256"]
        digest = base64.b64encode(hashlib.sha256(req.body).digest()).decode()
        assert req.headers["x-content-sha256"] == digest
    assert set(required) <= set(signed)
    lines = [
        f"(request-target): {req.method.lower()} {req.raw_target}"
        if name == "(request-target)"
        else f"{name}: {req.headers[name]}"
        for name in signed
    ]
    key.public_key.verify(
        base64.b64decode(params["signature"]),
        "\n".join(lines).encode(),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )


@pytest.fixture
def identity(fake_server: FakeServer, rsa_key: RsaKey) -> FakeIdentity:
    return FakeIdentity(fake_server, rsa_key)


@pytest.fixture
def creds(rsa_key: RsaKey) -> dict[str, str]:
    return {
        "user_ocid": USER,
        "fingerprint": rsa_key.md5_fingerprint,
        "private_key_pem": rsa_key.pem,
        "region": "eu-frankfurt-1",
    }


def oci_target(server: FakeServer) -> CloudTargetConfig:
    return CloudTargetConfig(
        cloud="oci",
        name="oci-main",
        default_region="eu-amsterdam-1",
        account_ref=TENANCY,
        settings={"parent_compartment_ocid": PARENT, "poll_interval_seconds": "0.01"},
        endpoint_url=server.base_url,
    )


def calls(server: FakeServer) -> list[tuple[str, str]]:
    return [(r.method, r.raw_target) for r in server.requests]


def assert_all_signed(identity: FakeIdentity, creds: dict[str, str]) -> None:
    assert identity.server.requests
    for req in identity.server.requests:
        verify_signature(req, identity.key, creds["fingerprint"])


def test_validate_gets_the_user(identity: FakeIdentity, creds: dict[str, str]) -> None:
    result = OciAdapter().validate_credentials(oci_target(identity.server), creds)
    assert result.ok
    assert result.identity == USER
    assert result.details == {"user_name": "paybill-automation", "tenancy_ocid": TENANCY}
    assert calls(identity.server) == [("GET", f"{API}/users/{USER}")]
    assert_all_signed(identity, creds)


def test_ensure_creates_the_compartment_and_waits_until_active(
    identity: FakeIdentity, creds: dict[str, str], silo_request: BoundaryRequest
) -> None:
    target = oci_target(identity.server)
    boundary = OciAdapter().ensure_boundary(target, creds, silo_request)

    ocid = "ocid1.compartment.oc1..tenant0"
    assert calls(identity.server) == [
        ("GET", f"{API}/compartments?compartmentId={PARENT}&name=paybill-acme-corp"),
        ("POST", f"{API}/compartments"),
        ("GET", f"{API}/compartments/{ocid}"),  # CREATING -> ACTIVE
    ]
    create = identity.server.requests[1]
    assert create.json() == {
        "compartmentId": PARENT,
        "name": "paybill-acme-corp",
        "description": f"Paybill tenant acme-corp ({TENANT_ID})",
        "freeformTags": {
            "cost-center": "cc-42",
            "paybill-tenant-id": TENANT_ID,
            "paybill-tenant-slug": "acme-corp",
            "paybill-isolation-model": "silo",
            "paybill-managed-by": "paybill-control-plane",
        },
    }
    assert create.headers["opc-retry-token"]  # the SDK makes creates safely retryable
    assert_all_signed(identity, creds)
    assert boundary == Boundary(
        kind="oci_compartment",
        id=ocid,
        attributes={
            "tenant_id": TENANT_ID,
            "name": "paybill-acme-corp",
            "parent_compartment_ocid": PARENT,
            "tenancy_ocid": TENANCY,
            "region": "eu-amsterdam-1",
        },
    )

    identity.server.requests.clear()
    assert OciAdapter().ensure_boundary(target, creds, silo_request) == boundary
    assert [m for m, _ in calls(identity.server)] == ["GET"]  # listed, found, nothing created


def test_lookup_pages_through_results_and_skips_deleted_namesakes(
    identity: FakeIdentity, creds: dict[str, str], silo_request: BoundaryRequest
) -> None:
    identity.add("paybill-acme-corp", {"paybill-tenant-id": OTHER_TENANT_ID}, state="DELETED")
    live = identity.add("paybill-acme-corp", {"paybill-tenant-id": TENANT_ID})
    boundary = OciAdapter().ensure_boundary(oci_target(identity.server), creds, silo_request)
    assert boundary.id == live
    assert [r.param("page") for r in identity.server.requests] == [None, "1"]


def test_a_compartment_of_another_tenant_is_not_adopted(
    identity: FakeIdentity, creds: dict[str, str], silo_request: BoundaryRequest
) -> None:
    identity.add("paybill-acme-corp", {"paybill-tenant-id": OTHER_TENANT_ID})
    with pytest.raises(BoundaryConflictError, match=f"belongs to tenant {OTHER_TENANT_ID}"):
        OciAdapter().ensure_boundary(oci_target(identity.server), creds, silo_request)
    assert not identity.server.calls("POST")


def test_remove_deletes_once(
    identity: FakeIdentity, creds: dict[str, str], silo_request: BoundaryRequest
) -> None:
    target = oci_target(identity.server)
    boundary = OciAdapter().ensure_boundary(target, creds, silo_request)
    identity.server.requests.clear()

    OciAdapter().remove_boundary(target, creds, boundary)
    assert calls(identity.server) == [
        ("GET", f"{API}/compartments/{boundary.id}"),
        ("DELETE", f"{API}/compartments/{boundary.id}"),
    ]
    assert_all_signed(identity, creds)

    identity.server.requests.clear()
    OciAdapter().remove_boundary(target, creds, boundary)  # DELETING: nothing more to do
    missing = Boundary("oci_compartment", "ocid1.compartment.oc1..gone", {"tenant_id": TENANT_ID})
    OciAdapter().remove_boundary(target, creds, missing)  # 404: fine
    assert [m for m, _ in calls(identity.server)] == ["GET", "GET"]


def test_remove_refuses_a_compartment_of_another_tenant(
    identity: FakeIdentity, creds: dict[str, str]
) -> None:
    ocid = identity.add("shared-services", {})
    boundary = Boundary("oci_compartment", ocid, {"tenant_id": TENANT_ID})
    with pytest.raises(BoundaryConflictError):
        OciAdapter().remove_boundary(oci_target(identity.server), creds, boundary)
    assert not identity.server.calls("DELETE")


def test_unreadable_key_fails_validation_without_echoing_it(
    fake_server: FakeServer, creds: dict[str, str]
) -> None:
    bad = {
        **creds,
        "private_key_pem": "-----BEGIN PRIVATE KEY-----\nbm90LWEta2V5\n-----END PRIVATE KEY-----",
    }
    result = OciAdapter().validate_credentials(oci_target(fake_server), bad)
    assert not result.ok
    assert result.details["code"] == "invalid-key"
    assert "bm90LWEta2V5" not in str(result)
    malformed = {**creds, "fingerprint": "not-a-fingerprint"}
    result = OciAdapter().validate_credentials(oci_target(fake_server), malformed)
    assert result.details == {
        "error": "load credentials failed: invalid credentials: {'fingerprint': 'malformed'}",
        "code": "invalid-credentials",
    }
    assert not fake_server.requests


def test_terraform_env_uses_the_providers_oci_variables(
    fake_server: FakeServer, creds: dict[str, str]
) -> None:
    env = OciAdapter().terraform_env(
        oci_target(fake_server), {**creds, "private_key_passphrase": "pw-123456"}
    )
    assert env == {
        "OCI_TENANCY_OCID": TENANCY,
        "OCI_USER_OCID": USER,
        "OCI_FINGERPRINT": creds["fingerprint"],
        "OCI_PRIVATE_KEY": creds["private_key_pem"],
        "OCI_PRIVATE_KEY_PASSWORD": "pw-123456",
        "OCI_REGION": "eu-amsterdam-1",
    }
