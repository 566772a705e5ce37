"""/metrics: database figures read at scrape time, webhook refusals, a database that is down."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest

from paybill_control_plane.app import create_app
from paybill_control_plane.billing.webhook.asgi import StripeWebhookFastPath
from paybill_control_plane.config import Settings
from tests.factories import make_tenant, make_tier
from tests.live import Api, LiveServer
from tests.telemetry.helpers import scrape, sql, value


def test_runs_queue_and_stuck_runs_are_read_from_the_database(
    admin: Api, anon: Api, database_url: str
) -> None:
    before = scrape(anon)
    assert value(before, "paybill_metrics_database_up") == 1
    tier = make_tier(admin, default_isolation="silo", allowed_isolation=["silo"])
    tenant = make_tenant(admin, tier["key"])  # no worker here: its run stays queued
    [(run_id,)] = sql(database_url, "SELECT id FROM runs WHERE tenant_ids ? %s", tenant["id"])

    queued = scrape(anon)
    assert (
        value(queued, "paybill_runs", status="queued")
        == value(before, "paybill_runs", status="queued") + 1
    )
    assert value(queued, "paybill_queue_depth", queue="runs") >= 1

    # The job waited ten minutes (its deferral is dated back rather than waited for).
    sql(
        database_url,
        "UPDATE procrastinate_events SET at = now() - interval '10 minutes' "
        "WHERE type = 'deferred' AND job_id = (SELECT min(id) FROM procrastinate_jobs "
        "WHERE status = 'todo' AND queue_name = 'runs' AND scheduled_at IS NULL)",
    )
    aged = scrape(anon)
    assert value(aged, "paybill_queue_oldest_job_age_seconds", queue="runs") >= 600

    # A run marked running that no live worker holds is stuck.
    sql(
        database_url, "UPDATE runs SET status = 'running', started_at = now() WHERE id = %s", run_id
    )
    stuck = scrape(anon)
    assert value(stuck, "paybill_runs_stuck") >= 1
    assert value(stuck, "paybill_runs", status="running") >= 1
    sql(
        database_url, "UPDATE runs SET status = 'failed', finished_at = now() WHERE id = %s", run_id
    )
    assert value(scrape(anon), "paybill_runs_stuck") == value(stuck, "paybill_runs_stuck") - 1


def test_failed_billing_events_are_visible(anon: Api, database_url: str) -> None:
    before = scrape(anon)
    sql(
        database_url,
        "INSERT INTO billing_events (id, stripe_event_id, type, livemode, event_created_at, "
        "payload, status, attempts, error) VALUES (%s, %s, 'invoice.paid', false, now(), "
        "'{}'::jsonb, 'failed', 10, 'customer not bound')",
        uuid.uuid4(),
        f"evt_{uuid.uuid4().hex}",
    )
    after = scrape(anon)
    assert (
        value(after, "paybill_billing_events", status="failed")
        == value(before, "paybill_billing_events", status="failed") + 1
    )
    assert ("paybill_billing_events", (("status", "processed"),)) in after  # zero, but present


@pytest.fixture
def route_only_server(settings: Settings) -> Iterator[Api]:
    """The app without the webhook fast path: deliveries reach the FastAPI route."""
    app = create_app(settings)
    app.user_middleware = [m for m in app.user_middleware if m.cls is not StripeWebhookFastPath]
    server = LiveServer(app).start()
    try:
        with Api(server.url, None) as api:
            yield api
    finally:
        server.stop()


def test_webhook_verification_failures_are_counted_on_both_paths(
    anon: Api, route_only_server: Api
) -> None:
    body = json.dumps({"id": "evt_x", "type": "invoice.paid", "object": "event"})
    name = "paybill_webhook_verification_failures_total"
    before = scrape(anon)
    # No secret is configured in the test settings: every delivery is refused (503).
    fast = anon.post("/v1/webhooks/stripe", content=body, headers={"Stripe-Signature": "t=1,v1=x"})
    routed = route_only_server.post(
        "/v1/webhooks/stripe", content=body, headers={"Stripe-Signature": "t=1,v1=x"}
    )
    assert fast.status_code == routed.status_code == 503
    slug = fast.json()["type"].rsplit("/", 1)[-1]
    after = scrape(anon)  # one process, one registry: both servers count in it
    assert value(after, name, reason=slug) == value(before, name, reason=slug) + 2


def test_metrics_answer_when_the_database_is_down() -> None:
    settings = Settings(
        database_url="postgresql+psycopg://postgres@127.0.0.1:1/unreachable",
        embedded_worker=False,
    )
    server = LiveServer(create_app(settings)).start()
    try:
        with Api(server.url, None) as api:
            samples = scrape(api)
    finally:
        server.stop()
    assert value(samples, "paybill_metrics_database_up") == 0
    assert not any(name == "paybill_runs" for name, _ in samples)
