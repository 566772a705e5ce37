"""The role dependency (`Authorize`): one dependency for the key, the rate limit, the tenant
scope and the role, in that order, each request counted once (docs/performance.md)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.routing import APIRoute

from paybill_control_plane.app import create_app
from paybill_control_plane.auth.dependencies import Authorize
from paybill_control_plane.config import Settings
from paybill_control_plane.http_controls import (
    ControlledRoute,
    claim_idempotency_key,
    enforce_rate_limit,
)
from tests.conftest import create_key_sync
from tests.factories import make_tenant, make_tier
from tests.kit.controls import server_with
from tests.live import Api

LONG_WINDOW = 100_000_000


def _controlled_routes() -> list[ControlledRoute]:
    found: list[ControlledRoute] = []
    for item in create_app().routes:
        routes = getattr(getattr(item, "original_router", None), "routes", [item])
        found += [r for r in routes if isinstance(r, ControlledRoute) and r.controlled]
    return found


def _calls(route: APIRoute) -> list[Any]:
    return [d.call for d in route.dependant.dependencies]


def test_every_controlled_route_limits_each_request_once() -> None:
    routes = _controlled_routes()
    assert len(routes) > 80
    for route in routes:
        calls = _calls(route)
        limiters = calls.count(enforce_rate_limit) + int(route.limit_in_authorize)
        assert limiters == 1, route.path
        if route.limit_in_authorize and route.idempotent:
            # The role dependency (with the rate limit) runs before the idempotency claim.
            assert isinstance(calls[0], Authorize), route.path
            assert calls.index(claim_idempotency_key) == 1, route.path


def test_each_request_counts_once_whatever_its_answer(
    admin: Api, settings: Settings, database_url: str
) -> None:
    tenant = make_tenant(admin, make_tier(admin)["key"])
    viewer = create_key_sync(database_url, "viewer")
    limited = {"rate_limit_viewer": 6, "rate_limit_window_seconds": LONG_WINDOW}
    with server_with(settings, **limited) as server, Api(server.url, viewer) as api:
        answers = [
            api.get(f"/v1/tenants/{tenant['id']}"),  # role dependency: 200
            api.get(f"/v1/tenants/{uuid.uuid4()}"),  # 404
            api.post("/v1/tiers", json={}, headers={"Idempotency-Key": str(uuid.uuid4())}),
            # PrincipalDep alone, with its own rate limit (404 without an audit signing key)
            api.get("/v1/audit/public-key"),
            api.get("/v1/tenants"),
            api.get("/v1/tiers"),
        ]
        refused = api.get(f"/v1/tenants/{tenant['id']}")
    assert [a.status_code for a in answers] == [200, 404, 403, answers[3].status_code, 200, 200]
    assert answers[3].status_code in (200, 404)
    assert [a.headers["RateLimit-Remaining"] for a in answers] == ["5", "4", "3", "2", "1", "0"]
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"


def test_a_tenant_key_sees_its_tenant_only(
    admin: Api, settings: Settings, database_url: str
) -> None:
    tier = make_tier(admin)
    mine, other = make_tenant(admin, tier["key"]), make_tenant(admin, tier["key"])
    key = create_key_sync(database_url, "tenant", mine["id"])
    limited = {"rate_limit_tenant": 10, "rate_limit_window_seconds": LONG_WINDOW}
    with server_with(settings, **limited) as server, Api(server.url, key) as api:
        own = api.get(f"/v1/tenants/{mine['id']}")
        hidden = api.get(f"/v1/tenants/{other['id']}")
        hidden_upper = api.get(f"/v1/tenants/{str(other['id']).upper()}")
        listed = api.get("/v1/tenants")
        forbidden = api.post(f"/v1/tenants/{mine['id']}/suspend")
    assert own.status_code == 200 and own.json()["id"] == mine["id"]
    assert hidden.status_code == hidden_upper.status_code == 404
    assert hidden.json()["type"].endswith("/tenant-not-found")
    assert hidden.headers["RateLimit-Remaining"] == "8"  # counted like any other request
    assert [t["id"] for t in listed.json()["items"]] == [mine["id"]]
    assert forbidden.status_code == 403


def test_missing_malformed_and_revoked_keys_are_refused(
    admin: Api, settings: Settings, database_url: str
) -> None:
    tenant = make_tenant(admin, make_tier(admin)["key"])
    path = f"/v1/tenants/{tenant['id']}"
    for cache_seconds in (0, 5):
        with server_with(settings, api_key_cache_seconds=cache_seconds) as server:
            with Api(server.url, None) as anon:
                assert anon.get(path).status_code == 401
                for header in ("Basic abc", "Bearer", "pbk_only", "Token pbk_x"):
                    answer = anon.get(path, headers={"Authorization": header})
                    assert answer.status_code == 401, header
                    assert answer.json()["type"].endswith("/unauthenticated")
            with Api(server.url, "pbk_unknown") as unknown:
                assert unknown.get(path).status_code == 401
    # Revoked: refused at once when the key is not cached (0 s) and when it is revoked through
    # the process that has it cached (the cache bound itself: tests/auth/test_key_cache.py).
    for cache_seconds in (0, 5):
        created = admin.ok("POST", "/v1/api-keys", 201, json={"name": "gone", "role": "viewer"})
        with (
            server_with(settings, api_key_cache_seconds=cache_seconds) as server,
            Api(server.url, created["key"]) as api,
            Api(server.url, admin.key) as same,
        ):
            assert api.get(path).status_code == 200
            same.ok("DELETE", f"/v1/api-keys/{created['id']}")
            refused = api.get(path)
            assert refused.status_code == 401, cache_seconds
            assert api.get("/v1/tenants").status_code == 401
