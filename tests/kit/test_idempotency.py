"""Idempotency-Key over HTTP against live servers: replay, reuse, in-flight, secrets, expiry."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

import httpx
import psycopg
from pydantic import SecretStr

from paybill_control_plane.config import Settings
from paybill_control_plane.db.embedded import to_libpq_url
from tests.conftest import create_key_sync, unique
from tests.factories import make_tier, tier_body
from tests.kit.controls import lock_waiters, server_with, sql, wait_until
from tests.live import Api

PROBLEMS = "https://paybill.dev/problems/"


def idem() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def test_two_identical_api_key_posts_make_one_key(admin: Api, database_url: str) -> None:
    """Regression: a retried POST /v1/api-keys used to create a second key."""
    name = unique("retry")
    headers = idem()
    body = {"name": name, "role": "viewer"}
    first = admin.post("/v1/api-keys", json=body, headers=headers)
    second = admin.post("/v1/api-keys", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.content == first.content  # byte for byte, the one secret included
    assert second.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert second.headers["content-type"] == first.headers["content-type"]
    keys = sql(database_url, "SELECT id FROM api_keys WHERE name = %s", name)
    assert [str(k[0]) for k in keys] == [first.json()["id"]]
    # The stored copy is sealed: the secret is not readable in the table.
    stored = sql(
        database_url,
        "SELECT body_format, body FROM idempotency_records WHERE idempotency_key = %s",
        headers["Idempotency-Key"],
    )
    assert stored[0][0] == "sealed"
    assert first.json()["key"].encode() not in bytes(stored[0][1])
    # Without the header each POST is its own request, as before.
    admin.ok("POST", "/v1/api-keys", 201, json=body)
    assert len(sql(database_url, "SELECT id FROM api_keys WHERE name = %s", name)) == 2


def test_replay_keeps_status_location_etag_and_changes_nothing(
    admin: Api, database_url: str
) -> None:
    tier = make_tier(admin)
    slug = unique("idem")
    body = {"slug": slug, "name": "Idem", "tier": tier["key"], "cloud": "local"}
    body["region"] = "local-1"
    headers = idem()
    first = admin.post("/v1/tenants", json=body, headers=headers)
    assert first.status_code == 201, first.text
    replay = admin.post("/v1/tenants", json=body, headers=headers)
    assert replay.status_code == 201
    assert replay.content == first.content
    for header in ("Location", "ETag", "content-type"):
        assert replay.headers[header] == first.headers[header]
    assert replay.headers["Idempotent-Replayed"] == "true"
    tenant_id = first.json()["id"]
    assert sql(database_url, "SELECT count(*) FROM tenants WHERE slug = %s", slug) == [(1,)]
    created = sql(
        database_url,
        "SELECT count(*) FROM audit_events WHERE action = 'tenant.created' AND target_id = %s",
        tenant_id,
    )
    assert created == [(1,)]


def test_same_key_for_another_body_or_path_is_refused(admin: Api) -> None:
    headers = idem()
    admin.ok("POST", "/v1/tiers", 201, json=tier_body(), headers=headers)
    other_body = admin.post("/v1/tiers", json=tier_body(), headers=headers)
    assert other_body.status_code == 422
    problem = other_body.json()
    assert problem["type"] == PROBLEMS + "idempotency-key-reuse"
    assert problem["original_path"] == "/v1/tiers"
    assert other_body.headers["content-type"] == "application/problem+json"
    other_path = admin.post("/v1/api-keys", json={"name": "x", "role": "viewer"}, headers=headers)
    assert other_path.status_code == 422
    assert other_path.json()["type"] == PROBLEMS + "idempotency-key-reuse"


def test_keys_are_scoped_to_the_api_key(admin: Api, client_for: Callable[..., Api]) -> None:
    other_admin = client_for("admin")
    headers = idem()
    body = tier_body()
    assert admin.post("/v1/tiers", json=body, headers=headers).status_code == 201
    # Same Idempotency-Key, another caller: its own request (the tier exists now: 409).
    theirs = other_admin.post("/v1/tiers", json=body, headers=headers)
    assert theirs.status_code == 409 and "Idempotent-Replayed" not in theirs.headers


def test_4xx_is_replayed_but_409_is_not_stored(admin: Api, database_url: str) -> None:
    missing_tier = {"slug": unique("t"), "name": "x", "tier": "no-such-tier"}
    missing_tier |= {"cloud": "local", "region": "local-1"}
    headers = idem()
    first = admin.post("/v1/tenants", json=missing_tier, headers=headers)
    assert first.status_code == 404, first.text
    replay = admin.post("/v1/tenants", json=missing_tier, headers=headers)
    assert replay.status_code == 404 and replay.content == first.content
    assert replay.headers["Idempotent-Replayed"] == "true"
    # A 409 is about the moment: the retry runs again and may succeed.
    tier = make_tier(admin)
    again = tier_body(tier["key"])
    conflict_key = idem()
    conflict = admin.post("/v1/tiers", json=again, headers=conflict_key)
    assert conflict.status_code == 409
    assert not sql(
        database_url,
        "SELECT 1 FROM idempotency_records WHERE idempotency_key = %s",
        conflict_key["Idempotency-Key"],
    )
    assert admin.delete(f"/v1/tiers/{tier['key']}").status_code == 204
    retried = admin.post("/v1/tiers", json=again, headers=conflict_key)
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried.headers


def test_key_length_is_checked(admin: Api) -> None:
    too_long = {"Idempotency-Key": "k" * 256}
    refused = admin.post("/v1/tiers", json=tier_body(), headers=too_long)
    assert refused.status_code == 422
    assert refused.json()["type"] == PROBLEMS + "validation-error"
    empty = admin.post("/v1/tiers", json=tier_body(), headers={"Idempotency-Key": ""})
    assert empty.status_code == 422
    longest = {"Idempotency-Key": uuid.uuid4().hex + "k" * 223}
    assert admin.post("/v1/tiers", json=tier_body(), headers=longest).status_code == 201


def test_expired_records_are_purged_and_the_key_runs_again(admin: Api, database_url: str) -> None:
    old, fresh = idem(), idem()
    admin.ok("POST", "/v1/tiers", 201, json=tier_body(), headers=old)
    body = tier_body()
    admin.ok("POST", "/v1/tiers", 201, json=body, headers=fresh)
    sql(
        database_url,
        "UPDATE idempotency_records SET expires_at = now() - interval '1 minute' "
        "WHERE idempotency_key = ANY(%s)",
        [old["Idempotency-Key"], fresh["Idempotency-Key"]],
    )
    # An expired key is free again: the same request runs anew (the tier exists now: 409).
    rerun = admin.post("/v1/tiers", json=body, headers=fresh)
    assert rerun.status_code == 409 and "Idempotent-Replayed" not in rerun.headers
    # Claiming a key purges expired records of any key on the way (committed with the
    # request, so with a stored response: the 409 above rolled its purge back).
    admin.ok("POST", "/v1/tiers", 201, json=tier_body(), headers=idem())
    assert not sql(
        database_url,
        "SELECT 1 FROM idempotency_records WHERE idempotency_key = %s",
        old["Idempotency-Key"],
    )


def _post_in_thread(url: str, key: str, body: dict[str, object], headers: dict[str, str]):  # type: ignore[no-untyped-def]
    results: list[httpx.Response] = []

    def run() -> None:
        with Api(url, key) as api:
            results.append(api.post("/v1/tiers", json=body, headers=headers))

    thread = threading.Thread(target=run)
    thread.start()
    return thread, results


def test_concurrent_duplicate_waits_for_the_first_then_replays(
    settings: Settings, database_url: str
) -> None:
    key = create_key_sync(database_url, "admin")
    body, headers = tier_body(), idem()
    with server_with(settings, idempotency_wait_seconds=60) as server:
        # Hold the tiers table so the first request stays in flight after claiming its key.
        with psycopg.connect(to_libpq_url(database_url)) as blocker:
            blocker.execute("LOCK TABLE tiers IN SHARE ROW EXCLUSIVE MODE")
            first, first_result = _post_in_thread(server.url, key, body, headers)
            wait_until(lambda: lock_waiters(database_url) >= 1, "the first request to block")
            second, second_result = _post_in_thread(server.url, key, body, headers)
            wait_until(lambda: lock_waiters(database_url) >= 2, "the duplicate to queue")
            blocker.rollback()
        first.join(60)
        second.join(60)
    assert first_result[0].status_code == 201
    assert second_result[0].status_code == 201
    assert second_result[0].content == first_result[0].content
    assert second_result[0].headers["Idempotent-Replayed"] == "true"


def test_concurrent_duplicate_gets_409_in_flight_when_waiting_is_off(
    settings: Settings, database_url: str
) -> None:
    key = create_key_sync(database_url, "admin")
    body, headers = tier_body(), idem()
    with server_with(settings, idempotency_wait_seconds=0) as server:
        with psycopg.connect(to_libpq_url(database_url)) as blocker:
            blocker.execute("LOCK TABLE tiers IN SHARE ROW EXCLUSIVE MODE")
            first, first_result = _post_in_thread(server.url, key, body, headers)
            wait_until(lambda: lock_waiters(database_url) >= 1, "the first request to block")
            with Api(server.url, key) as api:
                duplicate = api.post("/v1/tiers", json=body, headers=headers)
            blocker.rollback()
        first.join(60)
    assert duplicate.status_code == 409
    assert duplicate.json()["type"] == PROBLEMS + "idempotency-key-in-flight"
    assert duplicate.headers["Retry-After"] == "1"
    assert first_result[0].status_code == 201


def test_secret_response_is_withheld_without_a_secret_key(
    settings: Settings, database_url: str
) -> None:
    key = create_key_sync(database_url, "admin")
    name, headers = unique("withheld"), idem()
    with server_with(settings, secret_key=None) as server, Api(server.url, key) as api:
        first = api.post("/v1/api-keys", json={"name": name, "role": "viewer"}, headers=headers)
        again = api.post("/v1/api-keys", json={"name": name, "role": "viewer"}, headers=headers)
        # Responses without secrets are still kept (in clear) and replayed.
        tier_headers, body = idem(), tier_body()
        made = api.post("/v1/tiers", json=body, headers=tier_headers)
        replayed = api.post("/v1/tiers", json=body, headers=tier_headers)
    assert first.status_code == 201
    assert again.status_code == 409
    assert again.json()["type"] == PROBLEMS + "idempotency-response-withheld"
    assert len(sql(database_url, "SELECT 1 FROM api_keys WHERE name = %s", name)) == 1
    assert replayed.content == made.content and replayed.headers["Idempotent-Replayed"] == "true"


def test_a_sealed_response_that_no_longer_decrypts_is_not_run_again(
    admin: Api, settings: Settings, database_url: str
) -> None:
    name, headers = unique("rotated"), idem()
    body = {"name": name, "role": "viewer"}
    assert admin.post("/v1/api-keys", json=body, headers=headers).status_code == 201
    rotated = SecretStr("another-secret-key-0123456789abcdefghijklmnop")
    with server_with(settings, secret_key=rotated) as server, Api(server.url, admin.key) as api:
        again = api.post("/v1/api-keys", json=body, headers=headers)
    assert again.status_code == 409
    assert again.json()["type"] == PROBLEMS + "idempotency-response-withheld"
    assert len(sql(database_url, "SELECT 1 FROM api_keys WHERE name = %s", name)) == 1
