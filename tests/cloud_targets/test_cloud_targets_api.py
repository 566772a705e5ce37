"""/v1/cloud-targets: CRUD, write-only encrypted credentials, validation through the SDK
(AWS against moto), and which target a tenant gets."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from moto import mock_aws

from paybill_control_plane.app import create_app
from paybill_control_plane.clouds.credentials import decrypt_credentials
from paybill_control_plane.config import Settings
from paybill_control_plane.db.embedded import to_libpq_url
from tests.conftest import TEST_SECRET_KEY, create_key_sync, unique
from tests.db import create_database, drop_database
from tests.factories import make_tenant, make_tier
from tests.live import Api, LiveServer

MOTO_ACCOUNT = "123456789012"  # moto's default account


def secret(label: str) -> str:
    """A recognisable secret value, unique per test run."""
    return f"{label}-{uuid.uuid4().hex}{uuid.uuid4().hex}"


def aws_body(**overrides: Any) -> tuple[dict[str, Any], dict[str, str]]:
    creds = {
        "access_key_id": "AKIA" + uuid.uuid4().hex[:16].upper(),
        "secret_access_key": secret("sak"),
    }
    body: dict[str, Any] = {
        "cloud": "aws",
        "name": unique("aws"),
        "default_region": "eu-west-1",
        "account_ref": MOTO_ACCOUNT,
        "settings": {"create_account": "false", "postgres_version": "16"},
        "credentials": creds,
    }
    body.update(overrides)
    return body, creds


def sql(database_url: str, query: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(to_libpq_url(database_url)) as conn:
        return conn.execute(query, params).fetchall()


@pytest.fixture
def cleanup(admin: Api) -> Iterator[list[str]]:
    """Targets to delete after the test, so "the cloud's only target" stays predictable."""
    ids: list[str] = []
    yield ids
    for target_id in ids:
        admin.delete(f"/v1/cloud-targets/{target_id}")


def create(admin: Api, cleanup: list[str], body: dict[str, Any]) -> dict[str, Any]:
    created: dict[str, Any] = admin.ok("POST", "/v1/cloud-targets", 201, json=body)
    cleanup.append(created["id"])
    return created


def test_crud_and_credentials_are_write_only(
    admin: Api, cleanup: list[str], database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body, creds = aws_body()
    responses: list[str] = []

    response = admin.post("/v1/cloud-targets", json=body)
    assert response.status_code == 201, response.text
    responses.append(response.text)
    target = response.json()
    cleanup.append(target["id"])
    assert response.headers["Location"] == f"/v1/cloud-targets/{target['id']}"
    assert response.headers["ETag"] == '"1"'
    assert target["credential_keys"] == ["access_key_id", "secret_access_key"]
    assert target["has_credentials"] is True and "credentials" not in target
    assert target["state_backend"] == {"kind": "pg", "config": {}}
    assert target["last_validation"] is None and target["tenants"] == 0

    got = admin.get(f"/v1/cloud-targets/{target['id']}")
    responses.append(got.text)
    assert got.json() == target and got.headers["ETag"] == '"1"'
    listed = admin.get("/v1/cloud-targets", params={"cloud": "aws", "limit": 200})
    responses.append(listed.text)
    assert target["id"] in {t["id"] for t in listed.json()["items"]}

    # Replace the credentials (with a session token) and a setting; If-Match is honoured.
    new_creds = {**creds, "secret_access_key": secret("sak2"), "session_token": secret("tok")}
    stale = admin.patch(
        f"/v1/cloud-targets/{target['id']}",
        json={"credentials": new_creds},
        headers={"If-Match": '"7"'},
    )
    assert stale.status_code == 412 and stale.json()["current_version"] == 1
    responses.append(stale.text)
    patched = admin.patch(
        f"/v1/cloud-targets/{target['id']}",
        json={"credentials": new_creds, "settings": {"postgres_version": "17"}},
        headers={"If-Match": '"1"'},
    )
    assert patched.status_code == 200, patched.text
    responses.append(patched.text)
    assert patched.headers["ETag"] == '"2"'
    assert patched.json()["credential_keys"] == [
        "access_key_id",
        "secret_access_key",
        "session_token",
    ]
    assert patched.json()["settings"] == {"postgres_version": "17"}

    # Encrypted at rest, bound to the target's id.
    [(blob, keys)] = sql(
        database_url,
        "SELECT credentials_encrypted, credential_keys FROM cloud_targets WHERE id = %s",
        uuid.UUID(target["id"]),
    )
    blob = bytes(blob)
    for value in (*creds.values(), *new_creds.values()):
        assert value.encode() not in blob
    assert keys == ["access_key_id", "secret_access_key", "session_token"]
    assert decrypt_credentials(TEST_SECRET_KEY, target["id"], blob) == new_creds

    # Never in an answer, the audit log or the logs.
    audit = sql(
        database_url,
        "SELECT action, coalesce(before::text, ''), coalesce(after::text, '') FROM audit_events "
        "WHERE target_id = %s ORDER BY seq",
        target["id"],
    )
    assert [a for a, _, _ in audit] == ["cloud_target.created", "cloud_target.updated"]
    created_after = json.loads(audit[0][2])
    assert created_after["credentials"] == {"access_key_id": "***", "secret_access_key": "***"}
    everything = "\n".join([*responses, *(b + a for _, b, a in audit), caplog.text])
    for value in (*creds.values(), *new_creds.values()):
        assert value not in everything

    # Removing the credentials, then deleting the target.
    cleared = admin.ok("PATCH", f"/v1/cloud-targets/{target['id']}", json={"credentials": None})
    assert cleared["has_credentials"] is False and cleared["credential_keys"] == []
    admin.ok("DELETE", f"/v1/cloud-targets/{target['id']}", 204, headers={"If-Match": '"3"'})
    gone = admin.get(f"/v1/cloud-targets/{target['id']}")
    assert gone.status_code == 404
    assert gone.json()["type"].endswith("/cloud-target-not-found")


def test_invalid_bodies_are_refused_without_echoing_secrets(admin: Api, cleanup: list[str]) -> None:
    leaked = secret("leak")

    def rejected(body: dict[str, Any], status: int = 422) -> dict[str, Any]:
        response = admin.post("/v1/cloud-targets", json=body)
        assert response.status_code == status, response.text
        assert leaked not in response.text
        return response.json()  # type: ignore[no-any-return]

    body, creds = aws_body()
    problem = rejected({**body, "credentials": {**creds, "password": leaked}})
    assert "unknown aws credential key(s) password" in json.dumps(problem)
    problem = rejected({**body, "credentials": {"access_key_id": leaked}})
    assert "missing aws credential key(s): secret_access_key" in json.dumps(problem)
    problem = rejected({**body, "settings": {"client_secret": leaked}})
    assert "looks like a secret" in json.dumps(problem)
    rejected({**body, "endpoint_url": "http://169.254.169.254/latest"})
    rejected({**body, "endpoint_url": "https://user:pw@example.com"})
    rejected({**body, "state_backend": {"kind": "gcs", "config": {"bucket": "b"}}})
    rejected({**body, "state_backend": {"kind": "s3", "config": {"bucket": "b"}}})
    rejected({**body, "cloud": "azure"})  # aws credential keys on an azure target
    rejected({**body, "status": "active"})  # extra fields are refused

    first = create(admin, cleanup, body)
    dup = rejected({**body, "credentials": creds}, 409)
    assert dup["type"].endswith("/already-exists")
    local = create(admin, cleanup, {**aws_body()[0], "cloud": "local", "credentials": None})
    assert local["has_credentials"] is False
    with_backend = create(
        admin,
        cleanup,
        {
            **aws_body()[0],
            "state_backend": {"kind": "s3", "config": {"bucket": "tf", "region": "eu-west-1"}},
        },
    )
    assert with_backend["state_backend"]["kind"] == "s3"
    assert first["id"] != with_backend["id"]


def test_only_admins_manage_targets(
    admin: Api, client_for: Callable[..., Api], cleanup: list[str]
) -> None:
    target = create(admin, cleanup, aws_body()[0])
    for role in ("operator", "viewer", "billing"):
        with client_for(role) as api:
            for method, url in (
                ("GET", "/v1/cloud-targets"),
                ("GET", f"/v1/cloud-targets/{target['id']}"),
                ("POST", f"/v1/cloud-targets/{target['id']}/validate"),
                ("DELETE", f"/v1/cloud-targets/{target['id']}"),
            ):
                response = api.request(method, url)
                assert response.status_code == 403, (role, method, url, response.text)


def test_validate_against_moto(
    admin: Api,
    cleanup: list[str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # botocore logs requests at DEBUG
    for var in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    body, creds = aws_body()
    target = create(admin, cleanup, body)
    wrong = create(admin, cleanup, {**aws_body()[0], "account_ref": "999999999999"})
    with mock_aws():  # process-wide: the live server's worker thread is intercepted too
        response = admin.post(f"/v1/cloud-targets/{target['id']}/validate")
        assert response.status_code == 200, response.text
        result = response.json()
        mismatch = admin.ok("POST", f"/v1/cloud-targets/{wrong['id']}/validate")
    assert result["ok"] is True and result["details"]["account_id"] == MOTO_ACCOUNT
    assert result["identity"].startswith(f"arn:aws:sts::{MOTO_ACCOUNT}:")
    assert all(value not in response.text for value in creds.values())
    # botocore's DEBUG log shows the access key *id* in the signed Authorization header (an
    # identifier, like a user name); the secret key never appears.
    assert creds["secret_access_key"] not in caplog.text
    recorded = admin.ok("GET", f"/v1/cloud-targets/{target['id']}")["last_validation"]
    assert recorded["ok"] is True and recorded["identity"] == result["identity"]
    assert mismatch["ok"] is False
    assert "target expects account 999999999999" in mismatch["details"]["error"]

    local = create(admin, cleanup, {**aws_body()[0], "cloud": "local", "credentials": None})
    assert admin.ok("POST", f"/v1/cloud-targets/{local['id']}/validate")["ok"] is True
    bare = create(admin, cleanup, {**aws_body()[0], "credentials": None})
    missing = admin.post(f"/v1/cloud-targets/{bare['id']}/validate")
    assert missing.status_code == 409 and missing.json()["type"].endswith("/credentials-missing")


@pytest.fixture
def fresh_api() -> Iterator[Api]:
    """An admin client on a database of its own: "the cloud's only target" must hold."""
    url = create_database("targets")
    settings = Settings(database_url=url, embedded_worker=False, secret_key=TEST_SECRET_KEY)
    server = LiveServer(create_app(settings)).start()
    try:
        with Api(server.url, create_key_sync(url, "admin")) as api:
            yield api
    finally:
        server.stop()
        drop_database(url)


def test_tenants_bind_to_a_target_of_their_cloud(fresh_api: Api) -> None:
    api = fresh_api
    tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo", "pooled"])
    unbound = make_tenant(api, tier["key"], cloud="gcp", region="europe-west1")
    assert unbound["cloud_target_id"] is None  # none registered yet: the plan can be reviewed
    gcp_body = {
        "cloud": "gcp",
        "name": "gcp-main",
        "default_region": "europe-west1",
        "account_ref": "paybill-management",
        "settings": {"folder_id": "folders/1234"},
    }
    only = api.ok("POST", "/v1/cloud-targets", 201, json=gcp_body)
    default = make_tenant(api, tier["key"], cloud="gcp", region="europe-west1")
    assert default["cloud_target_id"] == only["id"]  # the cloud's only target
    second = api.ok("POST", "/v1/cloud-targets", 201, json={**gcp_body, "name": "gcp-other"})
    where = {"cloud": "gcp", "region": "europe-west1"}
    new_tenant = {"name": "t", "tier": tier["key"], **where}
    ambiguous = api.post("/v1/tenants", json={**new_tenant, "slug": unique("t")})
    assert ambiguous.status_code == 422 and "choose one with cloud_target_id" in ambiguous.text
    chosen = make_tenant(api, tier["key"], **where, cloud_target_id=second["id"])
    assert chosen["cloud_target_id"] == second["id"]
    assert api.ok("GET", f"/v1/tenants/{chosen['id']}")["cloud_target_id"] == second["id"]
    wrong_cloud = api.post(
        "/v1/tenants",
        json={
            **new_tenant,
            "slug": unique("t"),
            "cloud": "local",
            "region": "local-1",
            "cloud_target_id": second["id"],
        },
    )
    assert wrong_cloud.status_code == 422 and "is a gcp target" in wrong_cloud.text
    missing = api.post(
        "/v1/tenants",
        json={**new_tenant, "slug": unique("t"), "cloud_target_id": str(uuid.uuid4())},
    )
    assert missing.status_code == 404
    assert missing.json()["type"].endswith("/cloud-target-not-found")
    assert make_tenant(api, tier["key"])["cloud_target_id"] is None  # local needs none

    assert api.ok("GET", f"/v1/cloud-targets/{second['id']}")["tenants"] == 1
    in_use = api.delete(f"/v1/cloud-targets/{second['id']}")
    assert in_use.status_code == 409 and in_use.json()["type"].endswith("/in-use")
    assert in_use.json()["tenants"] == 1


def test_secret_key_is_required_to_store_credentials(database_url: str) -> None:
    for key in (None, "too-short"):
        settings = Settings(database_url=database_url, embedded_worker=False, secret_key=key)
        server = LiveServer(create_app(settings)).start()
        try:
            with Api(server.url, create_key_sync(database_url, "admin")) as api:
                body, creds = aws_body()
                response = api.post("/v1/cloud-targets", json=body)
                assert response.status_code == 409, response.text
                problem = response.json()
                assert problem["type"].endswith("/secret-key-not-configured")
                assert "PAYBILL_SECRET_KEY" in problem["detail"]
                assert all(v not in response.text for v in creds.values())
                # Without credentials a target can still be registered (plan review).
                body.pop("credentials")
                created = api.ok("POST", "/v1/cloud-targets", 201, json=body)
                api.ok("DELETE", f"/v1/cloud-targets/{created['id']}", 204)
        finally:
            server.stop()
