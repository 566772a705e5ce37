"""Per-key rate limits over HTTP: 429 with headers, per-key budgets, shared across processes."""

from __future__ import annotations

import uuid

from paybill_control_plane.config import Settings
from tests.conftest import create_key_sync
from tests.kit.controls import server_with
from tests.live import Api

# A window of ~3 years: a test never straddles a window boundary, so counts are exact.
LONG_WINDOW = 100_000_000


def test_small_limit_answers_429_with_headers(settings: Settings, database_url: str) -> None:
    viewer = create_key_sync(database_url, "viewer")
    with (
        server_with(settings, rate_limit_viewer=3, rate_limit_window_seconds=LONG_WINDOW) as s,
        Api(s.url, viewer) as api,
    ):
        seen = [api.get("/v1/tenants") for _ in range(3)]
        refused = api.get("/v1/tenants")
    assert [r.status_code for r in seen] == [200, 200, 200]
    assert [r.headers["RateLimit-Remaining"] for r in seen] == ["2", "1", "0"]
    assert all(r.headers["RateLimit-Limit"] == "3" for r in seen)
    assert seen[0].headers["RateLimit-Policy"] == f"3;w={LONG_WINDOW}"
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    problem = refused.json()
    assert problem["type"] == "https://paybill.dev/problems/rate-limited"
    assert problem["limit"] == 3
    assert refused.headers["RateLimit-Remaining"] == "0"
    retry_after = int(refused.headers["Retry-After"])
    assert 0 < retry_after <= LONG_WINDOW
    assert refused.headers["RateLimit-Reset"] == refused.headers["Retry-After"]


def test_headers_on_error_responses_and_budgets_are_per_key(
    settings: Settings, database_url: str
) -> None:
    first, second = (create_key_sync(database_url, "admin") for _ in range(2))
    with server_with(settings, rate_limit_admin=2, rate_limit_window_seconds=LONG_WINDOW) as server:
        with Api(server.url, first) as api:
            missing = api.get(f"/v1/tenants/{uuid.uuid4()}")
            api.get("/v1/tiers")
            assert api.get("/v1/tiers").status_code == 429
        with Api(server.url, second) as other:
            assert other.get("/v1/tiers").status_code == 200
    assert missing.status_code == 404
    assert missing.headers["RateLimit-Remaining"] == "1"


def test_two_app_instances_share_one_limit(settings: Settings, database_url: str) -> None:
    key = create_key_sync(database_url, "operator")
    limited = {"rate_limit_operator": 4, "rate_limit_window_seconds": LONG_WINDOW}
    with (
        server_with(settings, **limited) as a,
        server_with(settings, **limited) as b,
        Api(a.url, key) as on_a,
        Api(b.url, key) as on_b,
    ):
        statuses = [
            on_a.get("/v1/tiers").status_code,
            on_b.get("/v1/tiers").status_code,
            on_a.get("/v1/tiers").status_code,
            on_b.get("/v1/tiers").status_code,
        ]
        refused_on_a = on_a.get("/v1/tiers")
        refused_on_b = on_b.get("/v1/tiers")
    assert statuses == [200, 200, 200, 200]
    assert refused_on_a.status_code == refused_on_b.status_code == 429


def test_a_refused_post_is_not_stored_for_replay(settings: Settings, database_url: str) -> None:
    key = create_key_sync(database_url, "admin")
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"name": "limited", "role": "viewer"}
    limited = {"rate_limit_admin": 1, "rate_limit_window_seconds": LONG_WINDOW}
    with server_with(settings, **limited) as server, Api(server.url, key) as api:
        assert api.get("/v1/tiers").status_code == 200
        refused = api.post("/v1/api-keys", json=body, headers=headers)
    assert refused.status_code == 429
    with server_with(settings) as unlimited, Api(unlimited.url, key) as api:
        created = api.post("/v1/api-keys", json=body, headers=headers)
    assert created.status_code == 201 and "Idempotent-Replayed" not in created.headers
