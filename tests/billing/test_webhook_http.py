"""POST /v1/webhooks/stripe over real HTTP: what is refused (and not stored), what is stored once."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest

from paybill_control_plane.config import Settings
from paybill_control_plane.db.embedded import to_libpq_url
from tests.billing import events
from tests.billing.live_billing import OLD_SECRET, SECRET, post, stored, wait_event
from tests.live import Api
from tests.provisioning.stack_env import stack_environment

PROBLEM = "https://paybill.dev/problems/"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    # Rolling the secret: both the new and the old one are configured.
    with stack_environment(
        tmp_path_factory.mktemp("webhooks"), stripe_webhook_secrets=[SECRET, OLD_SECRET]
    ) as (api, _):
        yield api


def _event(type: str = "customer.created") -> tuple[dict[str, object], bytes]:
    event = events.make_event(type, events.resource("customer"), created=int(time.time()))
    return event, events.encode(event)


def _refused(response: object, slug: str, status: int = 400) -> None:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]
    assert response.json()["type"] == PROBLEM + slug  # type: ignore[attr-defined]


def test_valid_event_is_stored_once_and_unknown_types_are_ignored(api: Api) -> None:
    event, body = _event("customer.created")
    first = post(api, body)
    assert first.status_code == 200, first.text
    assert first.json() == {
        "received": True,
        "event_id": event["id"],
        "type": "customer.created",
        "duplicate": False,
    }
    again = post(api, body)  # Stripe's retry: same event, newly signed
    assert again.status_code == 200 and again.json()["duplicate"] is True
    done = wait_event(api, str(event["id"]), "ignored")
    assert done["attempts"] == 1 and done["error"] is None
    assert "does not act on customer.created" in done["outcome"]
    assert done["payload"] == event  # the raw event, as received
    listed = api.ok("GET", "/v1/billing/events", params={"type": "customer.created"})
    assert [e["id"] for e in listed["items"]].count(event["id"]) == 1


def test_re_serialised_body_is_refused_and_not_stored(api: Api) -> None:
    event, body = _event()
    signature = events.sign(body, SECRET)
    compact = json.dumps(event, separators=(",", ":")).encode()  # same JSON, other bytes
    assert json.loads(compact) == json.loads(body)
    _refused(post(api, compact, signature=signature), "webhook-signature-invalid")
    assert stored(api, str(event["id"])).status_code == 404


# Over real HTTP the clock moves between signing and checking (and int() drops up to a second), so
# these stay well clear of the 300 s edge; test_signature.py checks the edge itself on a fixed clock.
@pytest.mark.parametrize(("offset", "accepted"), [(-330, False), (330, False), (-250, True)])
def test_timestamps_outside_the_tolerance_are_refused_both_ways(
    api: Api, offset: int, accepted: bool
) -> None:
    event, body = _event()
    response = post(api, body, timestamp=int(time.time()) + offset)
    if accepted:
        assert response.status_code == 200, response.text
    else:
        _refused(response, "webhook-timestamp-out-of-tolerance")
        assert stored(api, str(event["id"])).status_code == 404


def test_rotation_two_secrets_and_two_v1_signatures(api: Api) -> None:
    # While Stripe rolls the secret it sends one v1 per active secret.
    _, body = _event()
    assert post(api, body, secret=["whsec_someone_else", OLD_SECRET]).status_code == 200
    _, body = _event()
    assert post(api, body, secret=OLD_SECRET).status_code == 200  # only the old one configured
    event, body = _event()
    _refused(post(api, body, secret="whsec_not_ours"), "webhook-signature-invalid")
    assert stored(api, str(event["id"])).status_code == 404


def test_missing_and_malformed_signatures(api: Api) -> None:
    event, body = _event()
    missing = api.post(
        "/v1/webhooks/stripe", content=body, headers={"Content-Type": "application/json"}
    )
    _refused(missing, "webhook-signature-missing")
    _refused(post(api, body, signature="v1=abc"), "webhook-signature-malformed")
    _refused(post(api, body, signature=f"t={int(time.time())}"), "webhook-signature-malformed")
    assert stored(api, str(event["id"])).status_code == 404


def test_an_empty_secret_configuration_refuses_everything(
    database_url: str, tmp_path: Path
) -> None:
    from paybill_control_plane.app import create_app
    from tests.live import LiveServer

    for secrets in ([], ["", "  "]):
        settings = Settings(
            database_url=database_url,
            data_dir=tmp_path,
            embedded_worker=False,
            stripe_webhook_secrets=secrets,
        )
        server = LiveServer(create_app(settings)).start()
        try:
            with Api(server.url, None) as anon:
                event, body = _event()
                _refused(post(anon, body, secret=""), "webhook-secret-not-configured", 503)
                _refused(post(anon, body), "webhook-secret-not-configured", 503)
        finally:
            server.stop()
        with psycopg.connect(to_libpq_url(database_url)) as conn:
            row = conn.execute(
                "SELECT count(*) FROM billing_events WHERE stripe_event_id = %s", (event["id"],)
            ).fetchone()
            assert row == (0,)


def test_oversized_bodies_are_refused_and_request_ids_echoed(api: Api) -> None:
    _, body = _event()
    padded = body[:-1] + b', "pad": "' + b"x" * (1024 * 1024) + b'"}'
    _refused(post(api, padded), "payload-too-large", 413)
    ok = api.post(
        "/v1/webhooks/stripe",
        content=body,
        headers={"Stripe-Signature": events.sign(body, SECRET), "X-Request-ID": "req-abc.1"},
    )
    assert ok.status_code == 200 and ok.headers["x-request-id"] == "req-abc.1"


def test_operators_page_and_filter_events_by_role(api: Api) -> None:
    ids = []
    for _ in range(3):
        event, body = _event("product.created")
        assert post(api, body).status_code == 200
        ids.append(event["id"])
    for event_id in ids:
        wait_event(api, event_id, "ignored")

    def key(role: str) -> Api:
        made = api.ok("POST", "/v1/api-keys", 201, json={"name": role, "role": role})
        return Api(str(api.base_url), made["key"])

    with key("viewer") as viewer, key("billing") as billing, key("operator") as operator:
        seen: list[str] = []
        cursor = None
        while True:
            params = {"type": "product.created", "status": "ignored", "limit": 2}
            page = viewer.ok("GET", "/v1/billing/events", params={**params, "cursor": cursor})
            seen += [e["id"] for e in page["items"]]
            assert all("payload" not in e for e in page["items"])
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen[:3] == ids[::-1]  # newest first
        assert operator.ok("GET", f"/v1/billing/events/{ids[0]}")["type"] == "product.created"
        denied = viewer.post(f"/v1/billing/events/{ids[0]}/replay")
        assert denied.status_code == 403
        replayed = billing.ok("POST", f"/v1/billing/events/{ids[0]}/replay", 202)
        assert replayed["status"] == "received"
        assert wait_event(api, ids[0], "ignored")["attempts"] == 2


def test_an_event_postgres_cannot_store_fails_alone(api: Api) -> None:
    bad = events.make_event(
        "customer.created", events.resource("customer"), created=int(time.time())
    )
    bad["data"]["object"]["metadata"] = {"note": "\x00"}  # JSONB refuses \\u0000
    good = [_event() for _ in range(12)]
    bodies = [events.encode(bad)] + [body for _, body in good]
    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        responses = list(pool.map(lambda body: post(api, body), bodies))
    assert responses[0].status_code == 500
    assert responses[0].json()["type"] == PROBLEM + "internal-error"
    assert all(r.status_code == 200 for r in responses[1:])
    for event, _ in good:
        assert stored(api, str(event["id"])).status_code == 200
    assert stored(api, str(bad["id"])).status_code == 404
