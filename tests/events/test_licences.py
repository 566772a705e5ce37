"""Signed licences, verified with PyJWT (not with the project's code) against the JWKS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import jwt
import pytest

from tests.conftest import TEST_SECRET_KEY
from tests.factories import make_tenant, make_tier
from tests.live import Api


def verify_licence(token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    kid = jwt.get_unverified_header(token)["kid"]
    [jwk] = [k for k in jwks["keys"] if k["kid"] == kid]
    key = jwt.PyJWK.from_json(json.dumps(jwk))
    return jwt.decode(token, key, algorithms=["EdDSA"], audience="paybill-application")


def test_licence_verifies_offline_and_rotation_keeps_old_keys(
    admin: Api, client_for: Callable[..., Api]
) -> None:
    tier = make_tier(admin, default_isolation="pooled", allowed_isolation=["pooled"])
    tenant = make_tenant(admin, tier["key"])
    out = admin.ok("GET", f"/v1/tenants/{tenant['id']}/licence")
    jwks = admin.ok("GET", "/v1/licences/public-key")
    claims = verify_licence(out["licence"], jwks)
    assert claims["tenant_id"] == tenant["id"] and claims["tier"] == tier["key"]
    assert claims["isolation_model"] == "pooled"
    assert claims["exp"] - claims["iat"] <= 7 * 24 * 3600
    entitlements = admin.ok("GET", f"/v1/tenants/{tenant['id']}/entitlements")
    assert claims["entitlements"]["features"] == entitlements["features"]
    # A tampered licence does not verify.
    head, body, sig = out["licence"].split(".")
    with pytest.raises(jwt.InvalidSignatureError):
        verify_licence(f"{head}.{body}.{sig[:-4]}AAAA", jwks)

    rotated = admin.ok("POST", "/v1/licences/rotate-key")
    both = admin.ok("GET", "/v1/licences/public-key")
    kids = [k["kid"] for k in both["keys"]]
    assert kids[0] == rotated["kid"] and jwt.get_unverified_header(out["licence"])["kid"] in kids
    assert verify_licence(out["licence"], both)["jti"] == claims["jti"]
    fresh = admin.ok("GET", f"/v1/tenants/{tenant['id']}/licence")["licence"]
    assert jwt.get_unverified_header(fresh)["kid"] == rotated["kid"]
    assert verify_licence(fresh, both)["tenant_id"] == tenant["id"]


def test_tenant_keys_get_their_own_and_suspended_tenants_none(
    admin: Api, client_for: Callable[..., Api]
) -> None:
    tier = make_tier(admin, default_isolation="pooled", allowed_isolation=["pooled"])
    mine, other = make_tenant(admin, tier["key"]), make_tenant(admin, tier["key"])
    with client_for("tenant", mine["id"]) as key:
        assert key.ok("GET", f"/v1/tenants/{mine['id']}/licence")["claims"]["sub"] == mine["id"]
        assert key.get(f"/v1/tenants/{other['id']}/licence").status_code == 404
        assert key.get("/v1/licences/public-key").status_code == 200
        assert key.post("/v1/licences/rotate-key").status_code == 403
    admin.ok("POST", f"/v1/tenants/{other['id']}/suspend", 202)
    refused = admin.get(f"/v1/tenants/{other['id']}/licence")
    assert refused.status_code == 409 and refused.json()["type"].endswith("/licence-not-issued")


def test_cli_rotates_the_signing_key(admin: Api, database_url: str) -> None:
    env = {
        **os.environ,
        "PAYBILL_DATABASE_URL": database_url,
        "PAYBILL_SECRET_KEY": TEST_SECRET_KEY,
    }
    done = subprocess.run(
        [sys.executable, "-m", "paybill_control_plane.cli.main", "licences", "rotate-key"],
        env=env, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    kid = done.stdout.strip().removeprefix("kid: ")
    assert admin.ok("GET", "/v1/licences/public-key")["keys"][0]["kid"] == kid
