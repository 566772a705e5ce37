"""Outbound events end to end: a local receiver gets signed events for a tenant's whole
lifecycle (real Terraform on `local`), retries after 500, 410 disables, and a worker killed
mid-delivery loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from paybill_control_plane.app import create_app
from paybill_control_plane.config import Settings
from tests.conftest import TEST_SECRET_KEY, create_key_sync, unique
from tests.db import create_database, drop_database
from tests.events.receiver import Received, Receiver, verify
from tests.events.test_licences import verify_licence
from tests.factories import make_tenant, make_tier
from tests.live import Api, LiveServer
from tests.provisioning.stack_env import stack_environment, wait_for, wait_status

pytestmark = pytest.mark.terraform

TENANT_TYPES = [
    "tenant.created",
    "tenant.provisioned",
    "tenant.updated",
    "tenant.suspended",
    "tenant.resumed",
    "tenant.deprovisioned",
    "tenant.failed",
]
FAST_RETRIES = [0.2, 0.2, 0.2, 0.2, 0.2]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, Settings]]:
    with stack_environment(
        tmp_path_factory.mktemp("stacks"),
        secret_key=TEST_SECRET_KEY,
        allow_insecure_endpoint_hosts=["127.0.0.1"],
        webhook_retry_schedule_seconds=FAST_RETRIES,
    ) as pair:
        yield pair


@pytest.fixture(scope="module")
def api(env: tuple[Api, Settings]) -> Api:
    return env[0]


def endpoint(api: Api, url: str, types: list[str], **extra: Any) -> dict[str, Any]:
    return api.ok(  # type: ignore[no-any-return]
        "POST", "/v1/webhook-endpoints", 201, json={"url": url, "event_types": types, **extra}
    )


def test_tenant_lifecycle_events_are_signed_ordered_and_retried(api: Api) -> None:
    failed_once: set[str] = set()

    def first_attempt_500(_: Receiver, item: Received) -> tuple[int, dict[str, str]]:
        if item.headers["webhook-id"] not in failed_once:
            failed_once.add(item.headers["webhook-id"])
            return 500, {}
        return 204, {}

    with Receiver(first_attempt_500) as receiver:
        tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
        tenant = make_tenant(api, tier["key"])
        created = endpoint(
            api,
            receiver.url,
            [*TENANT_TYPES, "run.succeeded", "tenant.licence_renewed"],
            tenant_id=tenant["id"],
        )
        secret = created["secret"]
        assert secret.startswith("whsec_") and "secret" not in api.ok(
            "GET", f"/v1/webhook-endpoints/{created['id']}"
        )
        wait_status(api, tenant["id"], "active", timeout=120)

        def renewed() -> list[dict[str, Any]]:
            return [e for e in receiver.events(status=204) if e["type"] == "tenant.licence_renewed"]

        wait_for(renewed, timeout=30)  # the first licence, sent once the tenant is provisioned
        api.ok("POST", f"/v1/tenants/{tenant['id']}/suspend", 202)
        wait_status(api, tenant["id"], "suspended", timeout=120)
        api.ok("POST", f"/v1/tenants/{tenant['id']}/resume", 202)
        wait_status(api, tenant["id"], "active", timeout=120)
        wait_for(lambda: len(renewed()) == 2, timeout=30)  # and a new one on resumption
        api.ok("POST", f"/v1/tenants/{tenant['id']}/deprovision", 202)
        wait_status(api, tenant["id"], "deprovisioned", timeout=120)

        def delivered_types() -> list[str]:
            events = sorted(receiver.events(status=204), key=lambda e: e["sequence"])
            return [e["type"] for e in events if e["type"] in TENANT_TYPES]

        # The endpoint was registered after the tenant was created: tenant.created is not sent.
        expected = ["tenant.provisioned", "tenant.suspended", "tenant.resumed",
                    "tenant.deprovisioned"]  # fmt: skip
        wait_for(lambda: delivered_types() == expected, timeout=30)

    ok = [r for r in receiver.received if r.status == 204]
    payloads = [verify(secret, r) for r in ok]
    assert all(p["specversion"] == "1.0" and p["tenantid"] == tenant["id"] for p in payloads)
    # Every event was first answered 500, then delivered again with the same webhook-id.
    for item in ok:
        attempts = [
            r for r in receiver.received if r.headers["webhook-id"] == item.headers["webhook-id"]
        ]
        assert [r.status for r in attempts] == [500, 204]
    # The per-tenant sequence has no gaps, in commit order, across every event of the tenant.
    listed = api.ok("GET", "/v1/events", params={"tenant_id": tenant["id"], "limit": 200})["items"]
    assert [e["sequence"] for e in listed] == list(range(1, len(listed) + 1))
    types = [e["type"] for e in listed]
    assert types[0] == "tenant.created" and "run.succeeded" in types
    assert [t for t in types if t in expected] == expected
    # The licences the events carry verify with PyJWT against the published keys.
    jwks = api.ok("GET", "/v1/licences/public-key")
    for event in renewed():
        claims = verify_licence(event["data"]["object"]["licence"], jwks)
        assert claims["tenant_id"] == tenant["id"] and claims["tier"] == tier["key"]
    attempts = api.ok("GET", f"/v1/webhook-endpoints/{created['id']}/deliveries")["items"]
    assert {a["status_code"] for a in attempts} == {500, 204}
    assert all(a["latency_ms"] >= 0 for a in attempts)


def test_gone_disables_the_endpoint_with_an_event(api: Api) -> None:
    with Receiver(lambda _, __: (410, {})) as gone, Receiver() as watcher:
        tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
        tenant = make_tenant(api, tier["key"])
        doomed = endpoint(api, gone.url, ["tenant.updated"], tenant_id=tenant["id"])
        watching = endpoint(api, watcher.url, ["webhook_endpoint.disabled"])
        api.ok(
            "PATCH",
            f"/v1/tenants/{tenant['id']}",
            json={"name": "Renamed"},
            headers={"If-Match": "*"},
        )

        def disabled() -> bool:
            got = api.ok("GET", f"/v1/webhook-endpoints/{doomed['id']}")
            return not got["enabled"]

        wait_for(disabled, timeout=30)
        got = api.ok("GET", f"/v1/webhook-endpoints/{doomed['id']}")
        assert "410" in got["disabled_reason"] and len(gone.received) == 1
        wait_for(lambda: watcher.events(status=204), timeout=30)
        [event] = [verify(watching["secret"], r) for r in watcher.received]
        assert event["type"] == "webhook_endpoint.disabled"
        assert event["data"]["target"]["id"] == doomed["id"]
        # Re-enabling is an operator's decision.
        api.ok("PATCH", f"/v1/webhook-endpoints/{doomed['id']}", json={"enabled": True})
        assert api.ok("GET", f"/v1/webhook-endpoints/{doomed['id']}")["enabled"] is True


def test_rotation_signs_with_both_secrets_and_redeliver_sends_again(api: Api) -> None:
    with Receiver() as receiver:
        tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
        tenant = make_tenant(api, tier["key"])
        created = endpoint(api, receiver.url, ["tenant.updated"], tenant_id=tenant["id"])
        rotated = api.ok("POST", f"/v1/webhook-endpoints/{created['id']}/rotate-secret")
        assert rotated["secret"] != created["secret"] and rotated["rotation_ends_at"]
        api.ok(
            "PATCH",
            f"/v1/tenants/{tenant['id']}",
            json={"name": "Rotated"},
            headers={"If-Match": "*"},
        )
        wait_for(lambda: receiver.events(status=204), timeout=30)
        [item] = receiver.received
        assert len(item.headers["webhook-signature"].split(" ")) == 2
        assert verify(created["secret"], item) == verify(rotated["secret"], item)
        event_id = item.event["id"]
        again = api.ok("POST", f"/v1/events/{event_id}/redeliver", 202)
        assert again["deliveries"] == 1
        wait_for(lambda: len(receiver.events(status=204)) == 2, timeout=30)
        assert receiver.received[1].headers["webhook-id"] == event_id


def test_429_retry_after_is_honoured(api: Api) -> None:
    def busy_first(receiver: Receiver, item: Received) -> tuple[int, dict[str, str]]:
        return (429, {"Retry-After": "2"}) if len(receiver.received) == 1 else (204, {})

    with Receiver(busy_first) as receiver:
        tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
        tenant = make_tenant(api, tier["key"])
        created = endpoint(api, receiver.url, ["tenant.updated"], tenant_id=tenant["id"])
        api.ok("PATCH", f"/v1/tenants/{tenant['id']}", json={"name": "Busy"},
               headers={"If-Match": "*"})  # fmt: skip
        wait_for(lambda: receiver.events(status=204), timeout=30)
        first, second = receiver.received
        assert (first.status, second.status) == (429, 204)
        # The schedule says 0.2 s; the receiver asked for 2 s, and got at least that.
        assert second.at - first.at >= 2
        assert verify(created["secret"], second)["type"] == "tenant.updated"


def test_internal_urls_are_refused(api: Api) -> None:
    for url in ("http://10.0.0.1/hook", "https://169.254.169.254/", "http://localhost:9/x"):
        r = api.post("/v1/webhook-endpoints", json={"url": url, "event_types": ["tenant.created"]})
        assert r.status_code == 422 and r.json()["type"].endswith("/invalid-webhook-url"), url


def _worker(url: str, data_dir: Path, name: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PAYBILL_DATABASE_URL": url,
        "PAYBILL_DATA_DIR": str(data_dir),
        "PAYBILL_SECRET_KEY": TEST_SECRET_KEY,
        "PAYBILL_ALLOW_INSECURE_ENDPOINT_HOSTS": "127.0.0.1",
        "PAYBILL_STALLED_JOB_SECONDS": "3",
        "PAYBILL_LOG_LEVEL": "warning",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "paybill_control_plane.cli.main", "worker", "--name", name,
         "--queue", "webhooks"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.mark.slow
def test_kill_9_mid_delivery_loses_nothing(tmp_path: Path) -> None:
    url = create_database("evkill")
    settings = Settings(
        database_url=url, data_dir=tmp_path / "api", embedded_worker=False,
        secret_key=TEST_SECRET_KEY, allow_insecure_endpoint_hosts=["127.0.0.1"],
    )  # fmt: skip
    server = LiveServer(create_app(settings)).start()
    hold = threading.Event()

    def hang_first(receiver: Receiver, item: Received) -> tuple[int, dict[str, str]]:
        if len(receiver.received) == 1:
            hold.wait(timeout=30)  # the worker is killed while waiting for this answer
            return 500, {}
        return 200, {}

    first = _worker(url, tmp_path / "w1", "w1")
    second = None
    try:
        with (
            Receiver(hang_first) as receiver,
            Api(server.url, create_key_sync(url, "admin")) as api,
        ):
            created = endpoint(api, receiver.url, ["tenant.created"])
            tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
            tenant = make_tenant(api, tier["key"], slug=unique("kill"))
            wait_for(lambda: receiver.received, timeout=30, interval=0.05)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            hold.set()
            second = _worker(url, tmp_path / "w2", "w2")
            wait_for(lambda: receiver.events(status=200), timeout=60)
            [event] = [verify(created["secret"], r) for r in receiver.received if r.status == 200]
            assert event["type"] == "tenant.created" and event["tenantid"] == tenant["id"]
            ids = {r.headers["webhook-id"] for r in receiver.received}
            assert ids == {event["id"]}, "the same event, delivered again after the crash"
    finally:
        hold.set()
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=15)
        server.stop()
        drop_database(url)
