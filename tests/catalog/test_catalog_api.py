from __future__ import annotations

from tests.catalog.pages import every_item
from tests.conftest import unique
from tests.factories import make_plan, make_tenant, make_tier, tier_body
from tests.live import Api

PROBLEM = "application/problem+json"


def test_tier_crud_with_etag(admin: Api) -> None:
    tier = make_tier(admin)
    key = tier["key"]
    got = admin.get(f"/v1/tiers/{key}")
    assert got.status_code == 200 and got.headers["ETag"] == '"1"'
    assert got.json()["features"][0] == {
        "key": "seats",
        "type": "numeric",
        "name": None,
        "value": 10,
        "unit": "seat",
        "unlimited": False,
    }
    assert key in [t["key"] for t in every_item(admin, "/v1/tiers")]

    updated = admin.ok(
        "PATCH", f"/v1/tiers/{key}", json={"name": "Renamed"}, headers={"If-Match": '"1"'}
    )
    assert updated["name"] == "Renamed" and updated["version"] == 2
    stale = admin.patch(f"/v1/tiers/{key}", json={"rank": 3}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412 and stale.headers["content-type"] == PROBLEM
    assert stale.json()["type"].endswith("/stale-version") and stale.json()["current_version"] == 2

    same = admin.ok("PATCH", f"/v1/tiers/{key}", json={"name": "Renamed"})
    assert same["version"] == 2, "a no-op update must not bump the version"

    admin.ok("DELETE", f"/v1/tiers/{key}", 204)
    missing = admin.get(f"/v1/tiers/{key}")
    assert missing.status_code == 404 and missing.json()["type"].endswith("/tier-not-found")


def test_tier_invariants_are_enforced(admin: Api) -> None:
    bad_default = admin.post(
        "/v1/tiers", json=tier_body(default_isolation="silo", allowed_isolation=["pooled"])
    )
    assert bad_default.status_code == 422
    dup_feature = admin.post(
        "/v1/tiers",
        json=tier_body(
            features=[
                {"key": "a", "type": "boolean", "enabled": True},
                {"key": "a", "type": "boolean", "enabled": False},
            ]
        ),
    )
    assert dup_feature.status_code == 422
    bad_sizing = admin.post("/v1/tiers", json=tier_body(sizing={"db_class": "huge"}))
    assert bad_sizing.status_code == 422
    unknown_field = admin.post("/v1/tiers", json={**tier_body(), "status": "x"})
    assert unknown_field.status_code == 422
    regions_cloud = admin.post(
        "/v1/tiers", json=tier_body(allowed_clouds=["aws"], allowed_regions={"gcp": ["x"]})
    )
    assert regions_cloud.status_code == 422
    tier = make_tier(admin)
    dup = admin.post("/v1/tiers", json=tier_body(key=tier["key"]))
    assert dup.status_code == 409 and dup.json()["type"].endswith("/already-exists")
    merged_bad = admin.patch(
        f"/v1/tiers/{tier['key']}",
        json={"default_isolation": "silo", "allowed_isolation": ["pooled"]},
    )
    assert merged_bad.status_code == 422


def test_plans_map_prices_uniquely(admin: Api) -> None:
    tier = make_tier(admin)
    plan = make_plan(admin, tier["key"])
    assert plan["tier"] == tier["key"]
    clash = admin.post(
        "/v1/plans",
        json={
            "key": unique("plan"),
            "name": "x",
            "tier": tier["key"],
            "stripe_price_ids": plan["stripe_price_ids"],
        },
    )
    assert clash.status_code == 409 and clash.json()["type"].endswith(
        "/stripe-price-already-mapped"
    )
    no_tier = admin.post("/v1/plans", json={"key": unique("plan"), "name": "x", "tier": "nope"})
    assert no_tier.status_code == 404 and no_tier.json()["type"].endswith("/tier-not-found")
    moved = admin.ok(
        "PATCH", f"/v1/plans/{plan['key']}", json={"stripe_price_ids": ["price_new_" + plan["key"]]}
    )
    assert moved["stripe_price_ids"] == ["price_new_" + plan["key"]] and moved["version"] == 2
    assert plan["key"] in [p["key"] for p in every_item(admin, "/v1/plans")]


def test_tier_in_use_cannot_be_deleted(admin: Api) -> None:
    tier = make_tier(admin)
    make_plan(admin, tier["key"])
    make_tenant(admin, tier["key"])
    response = admin.delete(f"/v1/tiers/{tier['key']}")
    assert response.status_code == 409
    body = response.json()
    assert body["type"].endswith("/in-use") and body["plans"] == 1 and body["tenants"] == 1


def test_catalog_lists_are_cursor_paged(admin: Api) -> None:
    """Tiers and plans are listed oldest first, a page at a time, like every other list."""
    tiers = [make_tier(admin) for _ in range(3)]
    plans = [make_plan(admin, tiers[0]["key"]) for _ in range(3)]
    for path, made in (("/v1/tiers", tiers), ("/v1/plans", plans)):
        listed = [item["key"] for item in every_item(admin, path, limit=2)]
        assert len(listed) == len(set(listed)), "a row was repeated across pages"
        assert [key for key in listed if key in {m["key"] for m in made}] == [
            m["key"] for m in made
        ]
        first = admin.ok("GET", path, params={"limit": 1})
        assert len(first["items"]) == 1 and first["next_cursor"]
    bad = admin.get("/v1/tiers", params={"cursor": "not-a-cursor"})
    assert bad.status_code == 400 and bad.json()["type"].endswith("/invalid-cursor")
