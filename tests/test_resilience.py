"""No 500s: the database unreachable or killed mid-request is a 503 with Retry-After, and
hostile values on every parameter of every operation are 4xx problems."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
import psycopg
import pytest

from paybill_control_plane.app import create_app
from paybill_control_plane.billing.webhook.asgi import StripeWebhookFastPath
from paybill_control_plane.config import Settings
from paybill_control_plane.db.embedded import to_libpq_url
from tests.billing import events
from tests.conftest import TEST_SECRET_KEY, create_key_sync
from tests.db import create_database, drop_database
from tests.factories import make_tenant, make_tier
from tests.live import Api, LiveServer, free_port


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"].endswith("/database-unavailable")
    assert int(response.headers["Retry-After"]) > 0


def test_database_unreachable_is_503_with_retry_after() -> None:
    closed = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/paybill"
    server = LiveServer(create_app(Settings(database_url=closed, embedded_worker=False))).start()
    try:
        with Api(server.url, "pbk_whatever") as api:
            assert_unavailable(api.get("/v1/tenants"))
            assert_unavailable(api.post("/v1/api-keys", json={"name": "k", "role": "viewer"}))
    finally:
        server.stop()


def test_backend_killed_mid_request_is_503(admin: Api, database_url: str) -> None:
    libpq = to_libpq_url(database_url)
    name = f"killed-{uuid.uuid4().hex[:8]}"
    result: dict[str, httpx.Response] = {}
    with psycopg.connect(libpq) as holder:
        # Hold the audit chain's lock: the request blocks inside its transaction, where its
        # backend is terminated.
        holder.execute("SELECT pg_advisory_xact_lock(7311, 1)")

        def call() -> None:
            result["response"] = admin.post("/v1/api-keys", json={"name": name, "role": "viewer"})

        thread = threading.Thread(target=call)
        thread.start()
        with psycopg.connect(libpq, autocommit=True) as watcher:
            pid = None
            while pid is None and thread.is_alive():
                row = watcher.execute(
                    "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND query LIKE %s AND pid <> %s",
                    ("%pg_advisory_xact_lock%", holder.info.backend_pid),
                ).fetchone()
                pid = row[0] if row else None
            assert pid is not None, "the request never waited for the lock"
            watcher.execute("SELECT pg_terminate_backend(%s)", (pid,))
        thread.join()
        holder.rollback()
    assert_unavailable(result["response"])
    keys = admin.ok("GET", "/v1/api-keys", params={"limit": 200})["items"]
    assert name not in {k["name"] for k in keys}  # nothing was half-done
    assert admin.get("/v1/api-keys").status_code == 200  # the pool recovered


# -- hostile inputs on every parameter of every operation -------------------------------------

DEEP = b"[" * 100_000 + b"]" * 100_000
HOSTILE: list[Any] = [
    99999999999999999999,
    -99999999999999999999,
    "99999999999999999999",
    "x" * 20_000,
    "nul\x00byte",
    "\ud800",  # a lone surrogate: not encodable as UTF-8
    {"a": {"b": {"c": [1, [2, [3]]]}}},
    None,
]
# Query strings and paths: what a URL can carry (invalid UTF-8 as percent escapes).
HOSTILE_URL = [
    "99999999999999999999",
    "-99999999999999999999",
    "1e999",
    "x" * 6000,
    "%00",
    "nul%00byte",
    "%ff%fe%fd",
    "%c0%80",
    "..%2f..%2fetc%2fpasswd",
]


@pytest.fixture(scope="module")
def hostile_target() -> Iterator[tuple[str, str, dict[str, Any]]]:
    url = create_database("hostile")
    settings = Settings(
        database_url=url,
        embedded_worker=False,
        secret_key=TEST_SECRET_KEY,
        stripe_webhook_secrets=["whsec_hostile"],
    )
    app = create_app(settings)
    server = LiveServer(app).start()
    try:
        key = create_key_sync(url, "admin")
        with Api(server.url, key) as api:
            ids = seed(api)
        yield server.url, key, {"spec": app.openapi(), "ids": ids}
    finally:
        server.stop()
        drop_database(url)


def seed(api: Api) -> dict[str, str]:
    """Real rows, so hostile values reach the code behind a successful lookup."""
    tier = make_tier(api)
    tenant = make_tenant(api, tier["key"])
    run = api.ok("GET", f"/v1/tenants/{tenant['id']}/runs")["items"][0]
    target = api.ok(
        "POST",
        "/v1/cloud-targets",
        201,
        json={
            "cloud": "local",
            "name": "hostile-local",
            "default_region": "local-1",
            "account_ref": "local",
        },
    )
    key = api.ok("POST", "/v1/api-keys", 201, json={"name": "victim", "role": "viewer"})
    return {
        "key": tier["key"],
        "tenant_id": tenant["id"],
        "run_id": run["id"],
        "stack_id": run["stack_id"],
        "target_id": target["id"],
        "key_id": key["id"],
    }


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _requests(
    spec: dict[str, Any], ids: dict[str, str]
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(method, url, httpx request kwargs) with one hostile value in one place each."""
    # Deletions last, so the seeded rows serve every other operation first.
    operations = sorted(
        ((path, method, op) for path, item in spec["paths"].items() for method, op in item.items()),
        key=lambda entry: entry[1] == "delete",
    )
    for path, method, op in operations:
        params = op.get("parameters", [])

        def fill(template: str, params: list[dict[str, Any]] = params) -> str:
            for other in params:
                if other["in"] == "path":
                    real = ids.get(other["name"], str(uuid.uuid4()))
                    template = template.replace("{" + other["name"] + "}", real)
            return template

        plain = fill(path)
        for p in params:
            for value in HOSTILE_URL:
                if p["in"] == "path":
                    yield method, fill(path.replace("{" + p["name"] + "}", value)), {}
                elif p["in"] == "query":
                    yield method, f"{plain}?{quote(p['name'])}={value}", {}
                elif p["in"] == "header":
                    yield method, plain, {"headers": {p["name"]: value.replace("%", "")}}
        body = op.get("requestBody", {}).get("content", {}).get("application/json")
        if body is None:
            continue
        schema = _resolve(spec, body["schema"])
        # A valid-looking base (the schema's example) so one hostile field is all that is wrong.
        base = dict((schema.get("examples") or [{}])[0])
        yield method, plain, {"content": DEEP}
        yield method, plain, {"content": b'{"a": "\xff\xfe"}'}
        yield method, plain, {"content": b'{"a": "\\u0000"}'}
        for field in schema.get("properties", {}):
            for value in HOSTILE:
                try:
                    content = httpx.Request("POST", "http://x", json={**base, field: value}).content
                except UnicodeEncodeError:
                    content = json.dumps({**base, field: "\ud800"}).encode()
                yield method, plain, {"content": content}


@pytest.mark.slow
def test_hostile_inputs_never_cause_a_500(hostile_target: tuple[str, str, dict[str, Any]]) -> None:
    base, key, seeded = hostile_target
    failures: list[str] = []
    sent = 0
    status: int | str
    with Api(base, key) as api:
        for method, url, kwargs in _requests(seeded["spec"], seeded["ids"]):
            kwargs.setdefault("headers", {}).setdefault("content-type", "application/json")
            if "/webhooks/" in url:
                kwargs["headers"]["stripe-signature"] = "t=1,v1=00"
            sent += 1
            try:
                status = api.request(method.upper(), url, **kwargs).status_code
            except httpx.TransportError as exc:  # the server dropped the connection: a crash
                status = f"dropped ({type(exc).__name__})"
            if not isinstance(status, int) or status >= 500:
                failures.append(f"{method.upper()} {url[:120]} {kwargs} -> {status}"[:400])
    assert sent > 500
    assert not failures, "\n".join(failures[:40])


@pytest.mark.parametrize("fast_path", [True, False], ids=["asgi-fast-path", "fastapi-route"])
def test_a_signed_webhook_nested_100000_deep_is_a_400(database_url: str, fast_path: bool) -> None:
    settings = Settings(
        database_url=database_url, embedded_worker=False, stripe_webhook_secrets=["whsec_deep"]
    )
    app = create_app(settings)
    if not fast_path:  # the documented FastAPI route, which the middleware normally answers
        app.user_middleware = [m for m in app.user_middleware if m.cls is not StripeWebhookFastPath]
    server = LiveServer(app).start()
    try:
        with Api(server.url, None) as anon:
            body = b'{"id": "evt_deep", "type": "customer.created", "data": ' + DEEP + b"}"
            response = anon.post(
                "/v1/webhooks/stripe",
                content=body,
                headers={
                    "Content-Type": "application/json",
                    "Stripe-Signature": events.sign(body, "whsec_deep"),
                },
            )
    finally:
        server.stop()
    assert response.status_code == 400, response.text
    assert response.json()["type"].endswith("/webhook-payload-invalid")
