"""Outbound events (issue 15): commit → first delivery attempt, and deliveries per second.

One live app (uvicorn in a thread of this process) with its embedded worker, and a local
receiver (http.server on 127.0.0.1, threads of this process). Per repetition:

* latency: LATENCY_EVENTS sequential `PATCH /v1/tenants/{id}` (each commits one
  `tenant.updated` event) to one endpoint; per event, the receiver's arrival time minus the
  event's `time` (stamped when the change is audited, before COMMIT: a conservative figure);
* throughput: FANOUT endpoints on the same receiver, THROUGHPUT_EVENTS PATCHes, deliveries/s
  from the first event's time to the last arrival;
* baseline, measured in the same run, interleaved: a bare httpx loop (same concurrency as the
  worker) POSTing bodies signed with `standardwebhooks` to the same receiver: its per-POST p99
  and its POSTs/s.

Run: `.venv/bin/python -m benchmarks.bench_events [--quick] [--reps N]`. Prints and appends to
RESULTS.md; asserts nothing.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from datetime import UTC, datetime

import httpx
import standardwebhooks

from benchmarks._harness import RESULTS, arguments
from paybill_control_plane.app import create_app
from paybill_control_plane.config import Settings
from tests.conftest import create_key_sync
from tests.events.receiver import Receiver
from tests.factories import make_tenant, make_tier
from tests.live import Api, LiveServer

from .bench_webhooks import database

SECRET_KEY = "bench-secret-key-0123456789abcdefghijklmnop"


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def _arrivals(receiver: Receiver) -> dict[str, list[tuple[float, datetime]]]:
    by_id: dict[str, list[tuple[float, datetime]]] = {}
    for item in list(receiver.received):
        event = item.event
        by_id.setdefault(event["id"], []).append((item.at, datetime.fromisoformat(event["time"])))
    return by_id


def _wait(check: object, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.02)
    raise RuntimeError("timed out waiting for deliveries")


def _patch_many(api: Api, tenant_id: str, count: int, tag: str) -> None:
    for i in range(count):
        api.ok("PATCH", f"/v1/tenants/{tenant_id}", json={"name": f"{tag}-{i}"},
               headers={"If-Match": "*"})  # fmt: skip


def run_system(
    api: Api, receiver: Receiver, tenant_id: str, latency_events: int, throughput_events: int,
    fanout: int, rep: int,
) -> tuple[float, float]:  # fmt: skip
    receiver.received.clear()
    endpoint = api.ok("POST", "/v1/webhook-endpoints", 201, json={
        "url": receiver.url, "event_types": ["tenant.updated"], "tenant_id": tenant_id})  # fmt: skip
    _patch_many(api, tenant_id, latency_events, f"lat{rep}")
    _wait(lambda: len(_arrivals(receiver)) >= latency_events)
    latencies = [
        (min(at for at, _ in hits) - hits[0][1].timestamp()) * 1000
        for hits in _arrivals(receiver).values()
    ]
    api.ok("DELETE", f"/v1/webhook-endpoints/{endpoint['id']}", 204)
    receiver.received.clear()
    ids = [
        api.ok("POST", "/v1/webhook-endpoints", 201, json={
            "url": receiver.url, "event_types": ["tenant.updated"], "tenant_id": tenant_id})["id"]
        for _ in range(fanout)
    ]  # fmt: skip
    _patch_many(api, tenant_id, throughput_events, f"tp{rep}")
    total = throughput_events * fanout
    _wait(lambda: len(receiver.received) >= total)
    arrivals = _arrivals(receiver)
    first = min(hits[0][1].timestamp() for hits in arrivals.values())
    last = max(at for hits in arrivals.values() for at, _ in hits)
    for endpoint_id in ids:
        api.ok("DELETE", f"/v1/webhook-endpoints/{endpoint_id}", 204)
    return _p99(latencies), total / (last - first)


async def _bare(receiver: Receiver, count: int, concurrency: int) -> tuple[float, float]:
    secret = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    webhook = standardwebhooks.Webhook(secret)
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(count):
        queue.put_nowait(i)

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            i = queue.get_nowait()
            body = f'{{"id":"bare-{i}","type":"tenant.updated","data":{{}}}}'
            started = time.perf_counter()
            now = datetime.now(UTC)
            headers = {"webhook-id": f"bare-{i}", "webhook-timestamp": str(int(now.timestamp())),
                       "webhook-signature": webhook.sign(f"bare-{i}", now, body),
                       "content-type": "application/json"}  # fmt: skip
            await client.post(receiver.url, content=body, headers=headers)
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    async with httpx.AsyncClient() as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    return _p99(latencies), count / (time.perf_counter() - started)


def main() -> None:
    args = arguments(__doc__ or "")
    latency_events = 30 if args.quick else 200
    throughput_events = 10 if args.quick else 50
    fanout = 10
    rows: list[tuple[float, float, float, float]] = []
    with database() as url, Receiver() as receiver:
        settings = Settings(
            database_url=url, embedded_worker=True, secret_key=SECRET_KEY,
            allow_insecure_endpoint_hosts=["127.0.0.1"],
        )  # fmt: skip
        server = LiveServer(create_app(settings)).start()
        try:
            with Api(server.url, create_key_sync(url, "admin")) as api:
                # A tenant on `local` without infrastructure runs: pooled, and its provisioning
                # run is left to finish before measuring.
                tier = make_tier(api, default_isolation="pooled", allowed_isolation=["pooled"])
                tenant = make_tenant(api, tier["key"])
                _wait(lambda: api.ok("GET", f"/v1/tenants/{tenant['id']}")["status"] in
                      ("active", "failed"), timeout=300)  # fmt: skip
                for rep in range(args.reps):
                    bare = asyncio.run(
                        _bare(receiver, throughput_events * fanout, settings.worker_concurrency)
                    )
                    receiver.received.clear()
                    system = run_system(api, receiver, tenant["id"], latency_events,
                                        throughput_events, fanout, rep)  # fmt: skip
                    rows.append((system[0], bare[0], system[1], bare[1]))
                    print(f"rep {rep}: p99 commit->first attempt {system[0]:.1f} ms "
                          f"(bare POST p99 {bare[0]:.1f} ms); {system[1]:.0f} deliveries/s "
                          f"(bare {bare[1]:.0f} POSTs/s)", flush=True)  # fmt: skip
        finally:
            server.stop()
    p99s, bare_p99s, rates, bare_rates = (list(col) for col in zip(*rows, strict=True))
    ratios = [r / b for r, b in zip(rates, bare_rates, strict=True)]
    summary = (
        f"p99 commit -> first attempt, ms (min/median/max): {min(p99s):.1f}/"
        f"{statistics.median(p99s):.1f}/{max(p99s):.1f}; bare signed POST p99 "
        f"{statistics.median(bare_p99s):.1f} ms\n"
        f"deliveries/s: {min(rates):.0f}/{statistics.median(rates):.0f}/{max(rates):.0f}; bare "
        f"POSTs/s {statistics.median(bare_rates):.0f}; ratio min/median/max "
        f"{min(ratios):.3f}/{statistics.median(ratios):.3f}/{max(ratios):.3f}"
    )
    print(summary)
    if not args.no_record:
        with RESULTS.open("a") as out:
            out.write(
                f"### Outbound events — {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
                f"{' (--quick)' if args.quick else ''}\n\n```\n{summary}\n```\n\n"
            )


if __name__ == "__main__":
    main()
