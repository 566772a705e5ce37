"""IBM managed databases: the admin password from a fake Secrets Manager (IAM token exchange
included) on 127.0.0.1; instance snapshots are refused (IBM tenants get the logical dump)."""

from __future__ import annotations

from typing import Any

import pytest

from paybill_control_plane.clouds.base import CloudError
from paybill_control_plane.clouds.ibm_pg import IbmPgOps
from paybill_control_plane.clouds.managed_db import ManagedInstance

from .fakeserver import FakeServer, Request
from .test_ibm import API_KEY, CREDS, FakeIbm, ibm_target

SECRET_PATH = "/api/v2/secrets/0b5571f7-21e6-4b0b-a1a4-1a2b3c4d5e6f"


@pytest.fixture
def ibm(fake_server: FakeServer) -> FakeIbm:
    fake = FakeIbm(fake_server)

    @fake_server.route("GET", r"/api/v2/secrets/([^/]+)")
    def secret(req: Request, secret_id: str) -> Any:
        if req.headers.get("authorization") != f"Bearer {fake.token}":
            return 401, {"errors": [{"message": "unauthorized"}]}, {}
        if not SECRET_PATH.endswith(secret_id):
            return 404, {"errors": [{"message": "secret not found"}]}, {}
        return 200, {"id": secret_id, "secret_type": "username_password",
                     "username": "admin", "password": "secrets-manager-password"}, {}  # fmt: skip

    return fake


def test_admin_password_comes_from_secrets_manager(ibm: FakeIbm) -> None:
    target = ibm_target(ibm.server)
    url = f"{ibm.server.base_url}{SECRET_PATH}"
    assert IbmPgOps().admin_password(target, CREDS, url) == "secrets-manager-password"
    assert [r.path for r in ibm.server.requests] == ["/identity/token", SECRET_PATH]
    with pytest.raises(CloudError) as caught:
        IbmPgOps().admin_password(target, CREDS, f"{ibm.server.base_url}/api/v2/secrets/other")
    assert caught.value.code == "404" and API_KEY not in str(caught.value)


def test_instance_snapshots_are_refused_with_the_reason(ibm: FakeIbm) -> None:
    ops = IbmPgOps()
    assert ops.instance_snapshots is False
    with pytest.raises(CloudError, match="pg_dump") as caught:
        ops.create_snapshot(ibm_target(ibm.server), CREDS, ManagedInstance("ibm", "crn:x"), "pb-1")
    assert caught.value.code == "not-supported"
    assert ibm.server.requests == []
