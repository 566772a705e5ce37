"""Cost of the per-key rate limiter and of Idempotency-Key (issue 10). Prints; asserts nothing.

Two live apps (uvicorn in threads of this process) share one database and one admin key: one
with the limiter on (a limit too high to refuse anything), one with it off (limit 0). A
keep-alive client sends sequential `GET /v1/tenants/{id}` to each, interleaved over
BENCH_REPS repetitions of BENCH_REQUESTS requests; the figure is the per-request latency with
the limiter over the one without, min/median/max over the repetitions. The same is done for
`POST /v1/tiers` with and without an `Idempotency-Key` (limiter on for both).

Run: `.venv/bin/python -m benchmarks.bench_controls`. Database server:
PAYBILL_BENCH_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/); the
benchmark creates and drops its own database there.
"""

from __future__ import annotations

import os
import statistics
import time
import uuid
from collections.abc import Callable

from paybill_control_plane.app import create_app
from paybill_control_plane.config import Settings
from tests.conftest import create_key_sync
from tests.factories import tier_body
from tests.live import Api, LiveServer

from .bench_webhooks import database

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "300"))
REPS = int(os.environ.get("BENCH_REPS", "5"))
SECRET_KEY = "bench-secret-key-0123456789abcdefghijklmnop"


def _per_request_ms(send: Callable[[], object]) -> float:
    started = time.perf_counter()
    for _ in range(REQUESTS):
        send()
    return (time.perf_counter() - started) * 1000 / REQUESTS


def _summary(name: str, on: list[float], off: list[float]) -> None:
    ratios = [a / b for a, b in zip(on, off, strict=True)]
    print(
        f"{name}: with {statistics.median(on):.2f} ms, without {statistics.median(off):.2f} ms "
        f"per request (medians); ratio min/median/max "
        f"{min(ratios):.3f}/{statistics.median(ratios):.3f}/{max(ratios):.3f}"
    )


def main() -> None:
    with database() as url:
        base = Settings(database_url=url, embedded_worker=False, secret_key=SECRET_KEY)
        key = create_key_sync(url, "admin")
        limited = LiveServer(create_app(base.model_copy(update={"rate_limit_admin": 10**9})))
        unlimited = LiveServer(create_app(base.model_copy(update={"rate_limit_admin": 0})))
        limited.start()
        unlimited.start()
        try:
            with Api(limited.url, key) as on, Api(unlimited.url, key) as off:
                tier = on.ok("POST", "/v1/tiers", 201, json=tier_body())
                tenant = on.ok(
                    "POST",
                    "/v1/tenants",
                    201,
                    json={
                        "slug": f"bench-{uuid.uuid4().hex[:8]}",
                        "name": "Bench",
                        "tier": tier["key"],
                        "cloud": "local",
                        "region": "local-1",
                    },
                )
                path = f"/v1/tenants/{tenant['id']}"
                for api in (on, off):  # warm both pools
                    for _ in range(50):
                        api.get(path)
                gets_on, gets_off, keyed, plain = [], [], [], []
                for _ in range(REPS):
                    gets_on.append(_per_request_ms(lambda: on.get(path)))
                    gets_off.append(_per_request_ms(lambda: off.get(path)))
                    keyed.append(
                        _per_request_ms(
                            lambda: on.post(
                                "/v1/tiers",
                                json=tier_body(),
                                headers={"Idempotency-Key": str(uuid.uuid4())},
                            )
                        )
                    )
                    plain.append(_per_request_ms(lambda: on.post("/v1/tiers", json=tier_body())))
            print(f"{REPS} interleaved repetitions of {REQUESTS} sequential requests each")
            _summary("GET /v1/tenants/{id}, rate limiter on vs off", gets_on, gets_off)
            _summary("POST /v1/tiers, Idempotency-Key vs none", keyed, plain)
        finally:
            limited.stop()
            unlimited.stop()


if __name__ == "__main__":
    main()
