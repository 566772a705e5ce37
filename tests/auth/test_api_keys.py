from __future__ import annotations

from collections.abc import Callable

import psycopg

from paybill_control_plane.db.embedded import to_libpq_url
from tests.factories import make_tenant, make_tier, tier_body
from tests.live import Api


def test_authentication_required_everywhere_but_health(anon: Api) -> None:
    for path in ("/v1/tenants", "/v1/tiers", "/v1/plans", "/v1/api-keys", "/v1/audit-events"):
        response = anon.get(path)
        assert response.status_code == 401, path
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["WWW-Authenticate"] == "Bearer"
    assert anon.get("/healthz").status_code == 200
    assert anon.get("/readyz").status_code == 200
    bogus = anon.get("/v1/tenants", headers={"Authorization": "Bearer pbk_not-a-key"})
    assert bogus.status_code == 401
    basic = anon.get("/v1/tenants", headers={"Authorization": "Basic abc"})
    assert basic.status_code == 401


def test_roles(admin: Api, client_for: Callable[..., Api]) -> None:
    tier = make_tier(admin)
    tenant = make_tenant(admin, tier["key"])
    viewer, operator, billing = client_for("viewer"), client_for("operator"), client_for("billing")
    assert viewer.get("/v1/tenants").status_code == 200
    assert viewer.get(f"/v1/tenants/{tenant['id']}").status_code == 200
    denied = viewer.post(
        "/v1/tenants",
        json={
            "slug": "zz-view",
            "name": "x",
            "tier": tier["key"],
            "cloud": "local",
            "region": "local-1",
        },
    )
    assert denied.status_code == 403 and denied.json()["type"].endswith("/forbidden")
    assert viewer.post("/v1/tiers", json=tier_body()).status_code == 403
    assert viewer.get("/v1/api-keys").status_code == 403
    assert operator.get("/v1/api-keys").status_code == 403
    assert operator.post("/v1/api-keys", json={"name": "x", "role": "admin"}).status_code == 403
    assert operator.post("/v1/tiers", json=tier_body()).status_code == 403
    made = make_tenant(operator, tier["key"])
    assert operator.post(f"/v1/tenants/{made['id']}/deprovision").status_code == 202
    assert billing.get("/v1/tiers").status_code == 200
    assert billing.post(f"/v1/tenants/{made['id']}/suspend").status_code == 403


def test_keys_are_hashed_shown_once_and_revocable(
    admin: Api, live_server, database_url: str
) -> None:  # type: ignore[no-untyped-def]
    created = admin.ok("POST", "/v1/api-keys", 201, json={"name": "portal", "role": "viewer"})
    secret = created["key"]
    assert secret.startswith("pbk_") and created["prefix"] == secret[:10]
    fetched = admin.ok("GET", f"/v1/api-keys/{created['id']}")
    assert "key" not in fetched and secret not in str(fetched)
    listed = admin.ok("GET", "/v1/api-keys", params={"limit": 200})
    assert secret not in str(listed)
    with psycopg.connect(to_libpq_url(database_url)) as conn:
        row = conn.execute(
            "SELECT secret_hash FROM api_keys WHERE id = %s", (created["id"],)
        ).fetchone()
        assert row is not None and row[0] != secret and len(row[0]) == 64
        dumped = conn.execute(
            "SELECT count(*) FROM audit_events WHERE before::text LIKE %s OR after::text LIKE %s",
            (f"%{secret}%", f"%{secret}%"),
        ).fetchone()
        assert dumped == (0,)
    with Api(live_server.url, secret) as viewer:
        assert viewer.get("/v1/tiers").status_code == 200
        revoked = admin.ok("DELETE", f"/v1/api-keys/{created['id']}")
        assert revoked["revoked_at"] is not None
        response = viewer.get("/v1/tiers")
        assert response.status_code == 401 and "revoked" in response.json()["detail"]


def test_key_validation(admin: Api) -> None:
    assert admin.post("/v1/api-keys", json={"name": "t", "role": "tenant"}).status_code == 422
    assert (
        admin.post(
            "/v1/api-keys",
            json={
                "name": "t",
                "role": "viewer",
                "tenant_id": "00000000-0000-0000-0000-000000000000",
            },
        ).status_code
        == 422
    )
    missing = admin.post(
        "/v1/api-keys",
        json={"name": "t", "role": "tenant", "tenant_id": "00000000-0000-0000-0000-000000000000"},
    )
    assert missing.status_code == 404
    assert admin.post("/v1/api-keys", json={"name": "t", "role": "root"}).status_code == 422
