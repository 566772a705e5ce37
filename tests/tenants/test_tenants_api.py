from __future__ import annotations

from tests.conftest import unique
from tests.factories import make_tenant, make_tier
from tests.live import Api


def test_create_read_and_constraints(admin: Api) -> None:
    tier = make_tier(
        admin,
        allowed_clouds=["local", "aws"],
        allowed_regions={"aws": ["eu-west-1"]},
        default_isolation="pooled",
        allowed_isolation=["pooled", "silo"],
    )
    tenant = make_tenant(
        admin, tier["key"], labels={"team": "a"}, contacts=[{"email": "ops@a.example"}]
    )
    assert tenant["status"] == "pending" or tenant["status"] == "provisioning"
    assert tenant["isolation_model"] == "pooled" and tenant["labels"] == {"team": "a"}
    got = admin.get(f"/v1/tenants/{tenant['id']}")
    assert got.status_code == 200 and got.headers["ETag"] == f'"{got.json()["version"]}"'
    silo = make_tenant(admin, tier["key"], isolation_model="silo")
    assert silo["isolation_model"] == "silo"

    def rejected(expected_status: int, type_suffix: str, **overrides: object) -> None:
        body = {
            "slug": unique("t"),
            "name": "x",
            "tier": tier["key"],
            "cloud": "local",
            "region": "local-1",
        }
        body.update(overrides)
        response = admin.post("/v1/tenants", json=body)
        assert response.status_code == expected_status, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"].endswith(type_suffix)

    rejected(422, "/validation-error", slug="Not_DNS")
    rejected(422, "/validation-error", slug="-x")
    rejected(422, "/validation-error", cloud="mars")
    rejected(422, "/validation-error", status="active")
    rejected(422, "/tier-constraint-violation", cloud="gcp")
    rejected(422, "/tier-constraint-violation", cloud="aws", region="us-east-1")
    rejected(422, "/tier-constraint-violation", isolation_model="bridge")
    rejected(404, "/tier-not-found", tier="no-such-tier")
    rejected(409, "/already-exists", slug=tenant["slug"])
    missing = admin.get("/v1/tenants/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404 and missing.json()["type"].endswith("/tenant-not-found")
    assert admin.get("/v1/tenants/not-a-uuid").status_code == 422


def test_list_with_cursor_and_filters(admin: Api) -> None:
    tier = make_tier(admin)
    created = {make_tenant(admin, tier["key"])["id"] for _ in range(5)}
    seen: list[str] = []
    cursor = None
    while True:
        params = {"tier": tier["key"], "limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = admin.ok("GET", "/v1/tenants", params=params)
        assert len(page["items"]) <= 2
        seen += [t["id"] for t in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert set(seen) == created and len(seen) == 5
    assert (
        admin.ok("GET", "/v1/tenants", params={"tier": tier["key"], "cloud": "aws"})["items"] == []
    )
    bad = admin.get("/v1/tenants", params={"cursor": "garbage!"})
    assert bad.status_code == 400 and bad.json()["type"].endswith("/invalid-cursor")
    assert admin.get("/v1/tenants", params={"status": "bogus"}).status_code == 422
    assert admin.get("/v1/tenants", params={"limit": 0}).status_code == 422


def test_update_requires_if_match(admin: Api) -> None:
    tier = make_tier(admin)
    tenant = make_tenant(admin, tier["key"])
    url = f"/v1/tenants/{tenant['id']}"
    missing = admin.patch(url, json={"name": "n"})
    assert missing.status_code == 428 and missing.json()["type"].endswith("/precondition-required")
    version = admin.get(url).json()["version"]
    updated = admin.ok(
        "PATCH", url, json={"name": "New name"}, headers={"If-Match": f'"{version}"'}
    )
    assert updated["name"] == "New name" and updated["version"] == version + 1
    stale = admin.patch(url, json={"name": "Other"}, headers={"If-Match": f'"{version}"'})
    assert stale.status_code == 412 and stale.json()["current_version"] == version + 1
    forbidden_field = admin.patch(url, json={"status": "active"}, headers={"If-Match": "*"})
    assert forbidden_field.status_code == 422
    assert admin.get(url).json()["name"] == "New name"


def test_invalid_transition_lists_allowed(admin: Api) -> None:
    tier = make_tier(admin)
    tenant = make_tenant(admin, tier["key"])
    response = admin.post(f"/v1/tenants/{tenant['id']}/resume")
    assert response.status_code == 409
    body = response.json()
    assert body["type"].endswith("/invalid-transition")
    assert body["current_status"] == tenant["status"]
    assert "deprovision" in body["allowed_actions"]
    assert set(body["allowed_transitions"]) >= {"deprovisioning"}


def test_entitlements_merge_overrides(admin: Api) -> None:
    tier = make_tier(admin)
    tenant = make_tenant(admin, tier["key"])
    url = f"/v1/tenants/{tenant['id']}"
    ent = admin.ok("GET", f"{url}/entitlements")
    assert ent["limits"] == {"seats": 10} and ent["flags"] == {"sso": False}
    version = admin.get(url).json()["version"]
    admin.ok(
        "PATCH",
        url,
        headers={"If-Match": f'"{version}"'},
        json={
            "entitlement_overrides": [
                {"key": "seats", "type": "numeric", "unlimited": True},
                {"key": "beta", "type": "boolean", "enabled": True},
            ]
        },
    )
    ent = admin.ok("GET", f"{url}/entitlements")
    assert ent["limits"] == {"seats": None} and ent["flags"] == {"beta": True, "sso": False}
    assert [f["key"] for f in ent["features"]] == ["beta", "regions", "seats", "sso"]
