"""Stripe webhook benchmarks (issue 4). Prints numbers; asserts nothing.

1. Ingest: verified Stripe events accepted and stored per second. A live uvicorn server (its own
   process, as `paybill serve` runs it) on 127.0.0.1 and the machine's Postgres; concurrent
   keep-alive clients post distinct, correctly signed ~5 KB `customer.subscription.updated`
   events. Every 200 means: signature verified over the raw body, row inserted (unique event id),
   processing job queued, committed. The clients are a minimal asyncio HTTP/1.1 loop in this
   process, so that the load generator takes as little of the two cores as possible.
2. Checkout to active: time from posting a signed `checkout.session.completed` (which names a new
   tenant) to that tenant being `active` on the `local` cloud — real Terraform, through the
   embedded worker; the subscription is re-read from a local fake Stripe API (the production
   setting with `PAYBILL_STRIPE_API_KEY`). Sequential samples; p50/p99.

Run: `.venv/bin/python -m benchmarks.bench_webhooks`. Database server: PAYBILL_BENCH_DATABASE_URL
(default postgresql+psycopg://postgres@127.0.0.1:5432/); the benchmark creates and drops its
own database there. Knobs: BENCH_EVENTS (default 20000), BENCH_CLIENTS (64),
BENCH_CHECKOUTS (20).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from paybill_control_plane.auth import service as auth_service
from paybill_control_plane.auth.principal import CLI
from paybill_control_plane.auth.schemas import ApiKeyCreate
from paybill_control_plane.cli._runtime import unit_of_work
from paybill_control_plane.db import migrate
from paybill_control_plane.db.embedded import to_libpq_url
from tests.billing import events
from tests.billing.stripe_fakes import FakeStripeAPI
from tests.live import free_port

SERVER = os.environ.get(
    "PAYBILL_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/"
)
EVENTS = int(os.environ.get("BENCH_EVENTS", "20000"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "64"))
CHECKOUTS = int(os.environ.get("BENCH_CHECKOUTS", "20"))
SECRET = "whsec_bench_secret"


# -- database and server ------------------------------------------------------------------------


def _admin(url: str) -> str:
    return to_libpq_url(make_url(url).set(database="postgres").render_as_string(False))


@contextmanager
def database() -> Iterator[str]:
    name = f"paybill_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_admin(SERVER), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_url(SERVER).set(database=name).render_as_string(hide_password=False)
    try:
        migrate.upgrade(url)
        yield url
    finally:
        with psycopg.connect(_admin(SERVER), autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def admin_key(url: str) -> str:
    async def create() -> str:
        async with unit_of_work(url) as session:
            _, secret = await auth_service.create_key(
                session, CLI, ApiKeyCreate.model_validate({"name": "bench", "role": "admin"})
            )
            return secret

    return asyncio.run(create())


@contextmanager
def server(url: str, data_dir: Path, **env: str) -> Iterator[str]:
    """`paybill serve` in its own process; yields its base URL."""
    port = free_port()
    environment = {
        **os.environ,
        "PAYBILL_DATABASE_URL": url,
        "PAYBILL_DATA_DIR": str(data_dir),
        "PAYBILL_PORT": str(port),
        "PAYBILL_LOG_LEVEL": "warning",
        "PAYBILL_STRIPE_WEBHOOK_SECRETS": SECRET,
        **env,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "paybill_control_plane.cli.main", "serve"],
        env=environment,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.1)
        yield base
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


# -- 1. ingest ----------------------------------------------------------------------------------


def signed_requests(port: int, count: int) -> list[bytes]:
    """`count` distinct events (one subscription each), signed now, as raw HTTP requests."""
    template = events.encode(
        events.make_event(
            "customer.subscription.updated",
            events.subscription(id="sub_BENCHSUBSCRIPTION"),
            created=int(time.time()),
            event_id="evt_BENCHEVENTID",
        )
    ).decode()
    requests = []
    for _ in range(count):
        token = uuid.uuid4().hex[:24]
        body = (
            template.replace("evt_BENCHEVENTID", f"evt_{token}")
            .replace("sub_BENCHSUBSCRIPTION", f"sub_{token}")
            .encode()
        )
        head = (
            f"POST /v1/webhooks/stripe HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            f"Stripe-Signature: {events.sign(body, SECRET)}\r\n\r\n"
        )
        requests.append(head.encode() + body)
    return requests


async def _client(port: int, queue: list[bytes], statuses: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while queue:
            writer.write(queue.pop())
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.split(b"\r\n")
            statuses.append(int(lines[0].split()[1]))
            length = next(
                int(line.split(b":", 1)[1])
                for line in lines
                if line.lower().startswith(b"content-length:")
            )
            await reader.readexactly(length)
    finally:
        writer.close()


async def _blast(port: int, requests: list[bytes], clients: int) -> tuple[float, list[int]]:
    statuses: list[int] = []
    started = time.perf_counter()
    await asyncio.gather(*(_client(port, requests, statuses) for _ in range(clients)))
    return time.perf_counter() - started, statuses


def ingest(url: str, data_dir: Path) -> None:
    with server(url, data_dir, PAYBILL_EMBEDDED_WORKER="false") as base:
        port = int(base.rsplit(":", 1)[1])
        asyncio.run(_blast(port, signed_requests(port, 500), 16))  # warm-up
        requests = signed_requests(port, EVENTS)
        elapsed, statuses = asyncio.run(_blast(port, requests, CLIENTS))
    with psycopg.connect(to_libpq_url(url)) as conn:
        stored, jobs = conn.execute(
            "SELECT (SELECT count(*) FROM billing_events), "
            "(SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'paybill.billing.process_event')"
        ).fetchone() or (0, 0)
    ok = statuses.count(200)
    print(
        f"ingest: {ok}/{len(statuses)} verified events accepted in {elapsed:.2f}s "
        f"with {CLIENTS} keep-alive clients = {ok / elapsed:,.0f} events/s "
        f"(target >= 1,000/s on 2 cores; {os.cpu_count()} cores here); "
        f"rows stored {stored - 500}, jobs queued {jobs - 500}"
    )


# -- 2. checkout -> active ----------------------------------------------------------------------


def checkout_latency(url: str, data_dir: Path) -> None:
    with (
        FakeStripeAPI() as fake,
        server(
            url,
            data_dir,
            PAYBILL_EMBEDDED_WORKER="true",
            PAYBILL_STRIPE_API_KEY=fake.api_key,
            PAYBILL_STRIPE_API_BASE=fake.base_url,
        ) as base,
        httpx.Client(base_url=base, headers={"Authorization": f"Bearer {admin_key(url)}"}) as api,
    ):
        tier_key, price = f"bench-{uuid.uuid4().hex[:6]}", f"price_{uuid.uuid4().hex[:12]}"
        api.post(
            "/v1/tiers",
            json={
                "key": tier_key,
                "name": "Bench",
                "rank": 1,
                "default_isolation": "silo",
                "allowed_isolation": ["silo"],
                "features": [],
                "sizing": {
                    "compute_units": 1,
                    "memory_gb": 2,
                    "storage_gb": 20,
                    "db_class": "small",
                    "replicas": 1,
                    "backup_retention_days": 7,
                },
                "allowed_clouds": ["local"],
            },
        ).raise_for_status()
        api.post(
            "/v1/plans",
            json={
                "key": tier_key,
                "name": "Bench",
                "tier": tier_key,
                "stripe_price_ids": [price],
                "interval": "month",
            },
        ).raise_for_status()
        samples = []
        for index in range(CHECKOUTS):
            customer, subscription = events.new_id("cus"), events.new_id("sub")
            fake.add_subscription(
                events.subscription(id=subscription, customer=customer, price_id=price)
            )
            # Only sessions the control plane created bind a tenant: sign up through the API
            # (which creates the session at the Stripe fake), then Stripe reports it completed.
            slug = f"bench-{index}-{uuid.uuid4().hex[:6]}"
            created = api.post(
                "/v1/checkout-sessions",
                json={"slug": slug, "name": slug, "cloud": "local", "region": "local-1",
                      "plan": tier_key, "success_url": "https://example.com/done",
                      "cancel_url": "https://example.com/pricing"},
            )  # fmt: skip
            created.raise_for_status()
            session = events.checkout_session(
                id=created.json()["id"],
                customer=customer,
                subscription=subscription,
                metadata={"slug": slug, "cloud": "local", "region": "local-1"},
            )
            event = events.make_event(
                "checkout.session.completed", session, created=int(time.time())
            )
            body = events.encode(event)
            started = time.perf_counter()
            response = api.post(
                "/v1/webhooks/stripe",
                content=body,
                headers={"Stripe-Signature": events.sign(body, SECRET)},
            )
            response.raise_for_status()
            samples.append(_wait_active(api, event["id"]) - started)
    if not samples:
        return
    samples.sort()
    p99 = samples[min(len(samples) - 1, round(0.99 * (len(samples) - 1)))]
    print(
        f"checkout.session.completed -> tenant active (local cloud, real Terraform, "
        f"{len(samples)} sequential samples): p50 {statistics.median(samples):.3f}s, "
        f"p99 {p99:.3f}s, max {samples[-1]:.3f}s, min {samples[0]:.3f}s"
    )


def _wait_active(api: httpx.Client, event_id: str, timeout: float = 120) -> float:
    deadline = time.monotonic() + timeout
    tenant_id: Any = None
    while time.monotonic() < deadline:
        if tenant_id is None:
            event = api.get(f"/v1/billing/events/{event_id}").json()
            if event["status"] == "failed":
                raise RuntimeError(json.dumps(event))
            tenant_id = event.get("tenant_id") if event["status"] == "processed" else None
        if tenant_id is not None:
            status = api.get(f"/v1/tenants/{tenant_id}").json()["status"]
            if status == "active":
                return time.perf_counter()
            if status == "failed":
                raise RuntimeError(f"tenant {tenant_id} failed")
        time.sleep(0.01)
    raise TimeoutError(event_id)


def main() -> None:
    with database() as url, tempfile.TemporaryDirectory() as data:
        ingest(url, Path(data))
    with database() as url, tempfile.TemporaryDirectory() as data:
        checkout_latency(url, Path(data))


if __name__ == "__main__":
    main()
