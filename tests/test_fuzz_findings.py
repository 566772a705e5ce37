"""Regressions for what Schemathesis found (tests/test_fuzz_api.py), one plain case each."""

from __future__ import annotations

from typing import Any

from tests.factories import make_tier, tier_body
from tests.live import Api

PROBLEMS = "https://paybill.dev/problems/"


def _problem(response: Any, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["type"] == PROBLEMS + slug, body
    return body


def test_405_allow_lists_every_method_of_the_path(admin: Api) -> None:
    # Starlette listed only the first matching route's methods (GET for /v1/tiers).
    response = admin.put("/v1/tiers")
    _problem(response, 405, "method-not-allowed")
    assert response.headers["Allow"] == "GET, POST"
    tier = make_tier(admin)
    assert admin.post(f"/v1/tiers/{tier['key']}").headers["Allow"] == "DELETE, GET, PATCH"


def test_nul_characters_are_refused_not_a_500(admin: Api) -> None:
    # Postgres text cannot hold NUL: the insert failed with a 500.
    body = _problem(admin.post("/v1/tiers", json=tier_body(name="a\x00b")), 422, "validation-error")
    assert body["errors"][0]["type"] == "value_error"
    _problem(admin.get("/v1/tiers/a%00b"), 422, "validation-error")
    _problem(admin.get("/v1/audit-events", params={"actor": "a\x00"}), 422, "validation-error")
    _problem(admin.get("/v1/tenants", params={"tier": "a\x00"}), 422, "validation-error")


def test_integers_beyond_the_column_are_refused_not_a_500(admin: Api) -> None:
    _problem(admin.post("/v1/tiers", json=tier_body(rank=2**31)), 422, "validation-error")
    assert admin.post("/v1/tiers", json=tier_body(rank=2**31 - 1)).status_code == 201


def test_json_types_are_not_coerced(admin: Api) -> None:
    # Lax pydantic took `false` for 0 days and `0` for false; the schema says integer/boolean.
    sizing = {**tier_body()["sizing"], "backup_retention_days": False}
    _problem(admin.post("/v1/tiers", json=tier_body(sizing=sizing)), 422, "validation-error")
    sizing = {**tier_body()["sizing"], "replicas": "2"}
    _problem(admin.post("/v1/tiers", json=tier_body(sizing=sizing)), 422, "validation-error")
    tier = make_tier(admin)
    plan = {"key": f"p-{tier['key']}", "name": "P", "tier": tier["key"], "active": 0}
    _problem(admin.post("/v1/plans", json=plan), 422, "validation-error")
    # 7.0 is an integer in JSON Schema.
    sizing = {**tier_body()["sizing"], "replicas": 2.0}
    created = admin.post("/v1/tiers", json=tier_body(sizing=sizing))
    assert created.status_code == 201 and created.json()["sizing"]["replicas"] == 2


def test_feature_type_is_required_as_documented(admin: Api) -> None:
    features = [{"key": "regions", "values": ["eu"]}]
    _problem(admin.post("/v1/tiers", json=tier_body(features=features)), 422, "validation-error")


def test_names_follow_the_documented_pattern(admin: Api) -> None:
    # "\x85" satisfied minLength 1 but str.strip() emptied it: a schema-valid 422.
    created = admin.post("/v1/tiers", json=tier_body(name="\x85"))
    assert created.status_code == 201 and created.json()["name"] == "\x85"
    assert admin.post("/v1/tiers", json=tier_body(name="  Gold  ")).json()["name"] == "Gold"
    _problem(admin.post("/v1/tiers", json=tier_body(name=" \t ")), 422, "validation-error")


def test_patch_null_only_where_nullable(admin: Api) -> None:
    tier = make_tier(admin, pool_capacity=5)
    url = f"/v1/tiers/{tier['key']}"
    body = _problem(admin.patch(url, json={"sizing": None}), 422, "validation-error")
    assert body["errors"][0]["type"] == "null_not_allowed"
    cleared = admin.patch(url, json={"pool_capacity": None})
    assert cleared.status_code == 200 and cleared.json()["pool_capacity"] is None
    # An empty If-Match is no If-Match.
    assert admin.patch(url, json={"rank": 3}, headers={"If-Match": ""}).status_code == 200


def test_patch_that_breaks_a_tier_rule_lists_the_errors(admin: Api) -> None:
    tier = make_tier(admin, allowed_clouds=["local"])
    response = admin.patch(f"/v1/tiers/{tier['key']}", json={"allowed_regions": {"aws": ["x"]}})
    body = _problem(response, 422, "validation-error")
    assert body["detail"] == "The tier would not be valid after this change; see `errors`."
    assert body["errors"] == [
        {
            "loc": ["body"],
            "msg": "Value error, allowed_regions names cloud 'aws' not in allowed_clouds",
            "type": "value_error",
        }
    ]


def test_tenant_patch_without_if_match_is_428(admin: Api) -> None:
    response = admin.patch(
        "/v1/tenants/00000000-0000-0000-0000-000000000000", json={"name": "New name"}
    )
    _problem(response, 428, "precondition-required")
