"""Stripe webhook benchmarks (issue 4, issue 11). Asserts every delivery was accepted.

1. Ingest: verified Stripe events accepted and stored per second, the control plane (`paybill
   serve` in its own process) against the bare verify-and-insert app
   (`benchmarks/baselines/bare_webhook.py`), both running at once on 127.0.0.1 against the same
   database and measured in turn, A B A B …: per pair the ratio of events/s and of server CPU
   per event (from /proc; steadier than throughput on a shared machine). Concurrent
   keep-alive clients post distinct, correctly signed ~5 KB `customer.subscription.updated`
   events. Every 200 from the control plane means: signature verified over the raw body, row
   inserted (unique event id), processing job queued, committed; the bare app only inserts
   the row. The clients are a minimal asyncio HTTP/1.1 loop in this process, so that the load
   generator takes as little of the two cores as possible. Goal: >= 3,000 events/s.
2. Checkout to active: time from posting a signed `checkout.session.completed` (which names a new
   tenant) to that tenant being `active` on the `local` cloud — real Terraform, through the
   embedded worker; the subscription is re-read from a local fake Stripe API (the production
   setting with `PAYBILL_STRIPE_API_KEY`). Sequential samples; p50/p99. Goal: p99 <= 1 s.

Run: `.venv/bin/python -m benchmarks.bench_webhooks [--quick] [--reps N] [--no-record]`.
Database server: PAYBILL_BENCH_DATABASE_URL (default
postgresql+psycopg://postgres@127.0.0.1:5432/); the benchmark creates and drops its own
databases there. Knobs: BENCH_EVENTS (events per repetition and side; default 5000, 2000 with
--quick), BENCH_CLIENTS (64), BENCH_CHECKOUTS (20, 5 with --quick).
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

from benchmarks import _harness as h
from benchmarks.baselines import bare_webhook
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
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "64"))
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
def server(url: str, data_dir: Path, **env: str) -> Iterator[tuple[str, int]]:
    """`paybill serve` in its own process; yields its base URL and process id."""
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
        yield base, process.pid
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


def ingest(url: str, data_dir: Path, report: h.Report, reps: int, events_per_rep: int) -> None:
    bare_port = free_port()
    bare = [sys.executable, "-m", bare_webhook.__name__]
    bare_env = {
        "BARE_DATABASE_URL": to_libpq_url(url),
        "BARE_PORT": str(bare_port),
        "BARE_WEBHOOK_SECRET": SECRET,
    }
    rates, bare_rates, rate_ratio, cpu_ms, bare_cpu_ms, cpu_ratio = [], [], [], [], [], []
    with (
        server(url, data_dir, PAYBILL_EMBEDDED_WORKER="false") as (base, pid),
        h.process(bare, bare_env, f"http://127.0.0.1:{bare_port}/healthz") as bare_proc,
    ):
        port = int(base.rsplit(":", 1)[1])
        for target in (port, bare_port):  # warm-up: connections, caches, code paths
            asyncio.run(_blast(target, signed_requests(target, 500), 16))
        for _ in range(reps):
            sides = []
            for target, server_pid in ((port, pid), (bare_port, bare_proc.pid)):
                requests = signed_requests(target, events_per_rep)
                before = h.cpu_seconds(server_pid)
                elapsed, statuses = asyncio.run(_blast(target, requests, CLIENTS))
                used = h.cpu_seconds(server_pid) - before
                assert statuses.count(200) == events_per_rep, sorted(set(statuses))
                sides.append((events_per_rep / elapsed, used * 1000 / events_per_rep))
            (rate, cpu), (bare_rate, bare_cpu) = sides
            rates.append(rate)
            bare_rates.append(bare_rate)
            rate_ratio.append(rate / bare_rate)
            cpu_ms.append(cpu)
            bare_cpu_ms.append(bare_cpu)
            cpu_ratio.append(cpu / bare_cpu)
    with psycopg.connect(to_libpq_url(url)) as conn:
        stored, jobs = conn.execute(
            "SELECT (SELECT count(*) FROM billing_events), "
            "(SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'paybill.billing.process_event')"
        ).fetchone() or (0, 0)
    report.row("control plane events/s", h.spread(rates, "{:,.0f}"), ">= 3,000")
    report.row("bare verify-and-insert app events/s", h.spread(bare_rates, "{:,.0f}"), "")
    report.row("throughput ratio (control plane ÷ bare)", h.spread(rate_ratio, "{:.2f}"), "")
    report.row("control plane server CPU ms per event", h.spread(cpu_ms, "{:.3f}"), "")
    report.row("bare app server CPU ms per event", h.spread(bare_cpu_ms, "{:.3f}"), "")
    report.row(
        "server CPU per event ratio (control plane ÷ bare)", h.spread(cpu_ratio, "{:.2f}"), ""
    )
    report.note(
        f"{events_per_rep:,} distinct signed events per repetition and side, {CLIENTS} keep-alive "
        f"clients; {os.cpu_count()} cores. Stored in all: {stored:,} rows (both sides), "
        f"{jobs:,} processing jobs (the control plane's, warm-up included)."
    )


# -- 2. checkout -> active ----------------------------------------------------------------------


def checkout_latency(url: str, data_dir: Path, report: h.Report, checkouts: int) -> None:
    with (
        FakeStripeAPI() as fake,
        server(
            url,
            data_dir,
            PAYBILL_EMBEDDED_WORKER="true",
            # An active tenant gets its licence signed by the worker (a key stored encrypted).
            PAYBILL_SECRET_KEY=f"bench-{uuid.uuid4().hex}{uuid.uuid4().hex}",
            PAYBILL_STRIPE_API_KEY=fake.api_key,
            PAYBILL_STRIPE_API_BASE=fake.base_url,
        ) as (base, _),
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
        for index in range(checkouts):
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
    report.row(
        f"checkout.session.completed → tenant active, s ({len(samples)} sequential samples: "
        f"p50 {statistics.median(samples):.3f}, min {samples[0]:.3f}, max {samples[-1]:.3f})",
        f"p99 {p99:.3f}",
        "p99 <= 1 s",
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
    args = h.arguments(__doc__ or "")
    events_per_rep = int(os.environ.get("BENCH_EVENTS", "2000" if args.quick else "5000"))
    checkouts = int(os.environ.get("BENCH_CHECKOUTS", "5" if args.quick else "20"))
    report = h.Report(
        "Stripe webhooks: ingest (control plane ÷ bare verify-and-insert app), checkout → active"
    )
    with database() as url, tempfile.TemporaryDirectory() as data:
        ingest(url, Path(data), report, args.reps, events_per_rep)
    with database() as url, tempfile.TemporaryDirectory() as data:
        checkout_latency(url, Path(data), report, checkouts)
    report.record(args)


if __name__ == "__main__":
    main()
