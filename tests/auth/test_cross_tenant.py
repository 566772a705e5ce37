"""Two-user method (WSTG-ATHZ-02): tenant A's key against every route with tenant B's resources."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from paybill_control_plane.app import create_app
from tests.factories import make_tenant, make_tier
from tests.live import Api

PUBLIC = {"/healthz", "/readyz", "/metrics", "/v1/webhooks/stripe"}
# Routes that list a tenant's own data and must answer 200 with A's data only.
SCOPED_LISTS = {"/v1/tenants"}
# Routes every key may read that hold no tenant's data (the licence public keys).
SHARED = {"/v1/licences/public-key"}


def _routes() -> list[tuple[str, str]]:
    """Every documented operation (the OpenAPI document lists all routes of the app)."""
    paths = create_app().openapi()["paths"]
    return [
        (method.upper(), path)
        for path, operations in sorted(paths.items())
        if path not in PUBLIC
        for method in sorted(operations)
    ]


ROUTES = _routes()


@pytest.fixture(scope="module")
def two_tenants(admin: Api, client_for: Callable[..., Api]) -> dict[str, Any]:
    # Silo tenants: no shared pool run, so every run of B is B's alone.
    tier = make_tier(admin, default_isolation="silo", allowed_isolation=["silo"])
    a = make_tenant(admin, tier["key"])
    b = make_tenant(admin, tier["key"])
    return {"a": a, "b": b, "tier": tier, "key_a": client_for("tenant", tenant_id=a["id"])}


def _b_resource_ids(admin: Api, b: dict[str, Any]) -> dict[str, str]:
    """B's id for every path parameter a route can take; extend when routes gain parameters."""
    ids = {
        "tenant_id": b["id"],
        "key": "anything",
        "name": "anything",  # a policy's name (catalog data: not a tenant's)
        "key_id": "00000000-0000-0000-0000-000000000001",
    }
    migrations = admin.get(f"/v1/tenants/{b['id']}/migrations")
    if migrations.status_code == 200 and migrations.json()["items"]:
        ids["migration_id"] = migrations.json()["items"][0]["id"]
    runs = admin.get(f"/v1/tenants/{b['id']}/runs")
    if runs.status_code == 200 and runs.json()["items"]:
        ids["run_id"] = runs.json()["items"][0]["id"]
    for name, listing in (
        ("stack_id", "/v1/stacks"),
        ("pool_id", "/v1/pools"),
        ("event_id", "/v1/billing/events"),
        ("target_id", "/v1/cloud-targets"),
    ):
        response = admin.get(listing)
        if response.status_code == 200:
            items = response.json()
            items = items["items"] if isinstance(items, dict) else items
            if items:
                ids[name] = items[0]["id"]
    return ids


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_tenant_key_never_sees_another_tenant(
    method: str, path: str, two_tenants: dict[str, Any], admin: Api
) -> None:
    a, b, api = two_tenants["a"], two_tenants["b"], two_tenants["key_a"]
    ids = _b_resource_ids(admin, b)
    params = re.findall(r"{(\w+)}", path)
    for name in params:
        if name not in ids:
            # (B has no data tier here: its snapshots and restores are ids that match nothing.)
            if name in {
                "run_id",
                "stack_id",
                "pool_id",
                "event_id",
                "target_id",
                "migration_id",
                "endpoint_id",
                "rollout_id",
                "finding_id",
                "snapshot_id",
                "restore_id",
            }:
                ids[name] = "00000000-0000-0000-0000-0000000000ff"
            else:
                pytest.fail(f"no tenant-B resource known for path parameter '{name}' of {path}")
    url = path.format(**ids)

    def call(target: str) -> Any:
        return api.request(
            method,
            target,
            json={} if method in {"POST", "PATCH", "PUT"} else None,
            headers={"If-Match": "*"},
        )

    response = call(url)
    text = response.text
    assert b["slug"] not in text, f"{method} {url} leaked tenant B"
    # B's resources must be indistinguishable from resources that do not exist at all.
    nowhere = "00000000-0000-0000-0000-00000000dead"
    ghost_ids = {name: (nowhere if value in text else value) for name, value in ids.items()}
    ghost = call(path.format(**ghost_ids))
    assert response.status_code == ghost.status_code
    scrubbed = text
    for name, value in ids.items():
        scrubbed = scrubbed.replace(value, ghost_ids[name])
    assert scrubbed == ghost.text, f"{method} {url} answers differently for B than for nothing"
    if path in SCOPED_LISTS and method == "GET":
        assert response.status_code == 200
        assert [t["id"] for t in response.json()["items"]] == [a["id"]]
    elif path in SHARED and method == "GET":
        assert response.status_code == 200
    elif "tenant_id" in params or "run_id" in params:
        assert response.status_code == 404, (method, url, response.status_code, text)
    else:
        assert response.status_code in {403, 404}, (method, url, response.status_code, text)
    assert response.headers["content-type"].startswith(
        ("application/json", "application/problem+json")
    )


def test_tenant_key_sees_its_own_tenant(two_tenants: dict[str, Any]) -> None:
    a, api = two_tenants["a"], two_tenants["key_a"]
    assert api.ok("GET", f"/v1/tenants/{a['id']}")["id"] == a["id"]
    assert api.ok("GET", f"/v1/tenants/{a['id']}/entitlements")["tenant_id"] == a["id"]
    assert api.post(f"/v1/tenants/{a['id']}/suspend").status_code == 403
