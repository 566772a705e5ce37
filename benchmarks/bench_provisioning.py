"""Provisioning benchmarks (issues 3 and 11). Prints and records figures; asserts nothing.

1. Overhead: a silo tenant provisioned through the control plane (POST /v1/tenants → `active`:
   API, queue, render, init, workspace, apply, settle) ÷ bare `terraform init && apply` of the
   same rendered files and backend (benchmarks/baselines/bare_terraform.py), interleaved A B A B,
   ratio per pair. `paybill serve` (embedded worker) runs in its own process; the benchmark waits
   for `active` by polling the database, so the waiting does not load the server's event loop.
2. Pooled tenants created at once by 32 clients: wall time until all are `active`.

Run: `python -m benchmarks.bench_provisioning [--quick] [--reps N]`.
"""

from __future__ import annotations

import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg

from benchmarks import _harness as h
from benchmarks.baselines.bare_terraform import bare_apply
from paybill_control_plane.db.embedded import to_libpq_url
from tests.factories import SIZING, make_tenant, make_tier
from tests.live import Api

POOLED_CLIENTS = 32


def wait_active(conn: psycopg.Connection[Any], tenant_ids: list[str], timeout: float) -> float:
    """Poll the tenants' status in the database until all are active; the time it happened."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = conn.execute(
            "SELECT count(*) FILTER (WHERE status = 'active'), "
            "count(*) FILTER (WHERE status = 'failed') FROM tenants WHERE id = ANY(%s::uuid[])",
            (tenant_ids,),
        ).fetchone()
        assert row is not None
        if row[1]:
            raise RuntimeError("a tenant failed")
        if row[0] == len(tenant_ids):
            return time.monotonic()
        time.sleep(0.002)
    raise TimeoutError(f"{len(tenant_ids)} tenants not active after {timeout}s")


def step_ms(conn: psycopg.Connection[Any], tenant_id: str) -> dict[str, int]:
    row = conn.execute(
        "SELECT r.steps FROM runs r JOIN stacks s ON s.id = r.stack_id "
        "WHERE s.tenant_id = %s ORDER BY r.created_at DESC LIMIT 1",
        (tenant_id,),
    ).fetchone()
    steps = row[0] if row else []
    return {s["name"]: int(s.get("duration_ms", 0)) for s in steps}


def overhead(api: Api, url: str, report: h.Report, reps: int) -> None:
    tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo"], sizing=SIZING)
    ratios, through, bare, tf_init, tf_apply, bare_init, bare_apply_s = [], [], [], [], [], [], []
    with psycopg.connect(to_libpq_url(url), autocommit=True) as conn:
        for index in range(reps + 1):  # the first pair warms both sides up
            started = time.monotonic()
            tenant = make_tenant(api, tier["key"])
            elapsed = wait_active(conn, [tenant["id"]], 120) - started
            with tempfile.TemporaryDirectory() as tmp:
                init_s, apply_s = bare_apply(url, tenant, tier, Path(tmp))
            if index == 0:
                continue
            steps = step_ms(conn, tenant["id"])
            through.append(elapsed)
            bare.append(init_s + apply_s)
            ratios.append(elapsed / (init_s + apply_s))
            tf_init.append(steps.get("init", 0))
            tf_apply.append(steps.get("apply", 0))
            bare_init.append(init_s * 1000)
            bare_apply_s.append(apply_s * 1000)
    report.row(
        "silo on local: control plane ÷ bare init+apply", h.spread(ratios, "{:.2f}"), "<= 1.15"
    )
    report.row("control plane POST → active, s", h.spread(through), "")
    report.row("bare terraform init && apply, s", h.spread(bare), "")
    report.row(
        "worker's init step ms (bare init ms)",
        f"{h.spread(tf_init, '{:.0f}')} ({h.spread(bare_init, '{:.0f}')})",
        "",
    )
    report.row(
        "worker's apply step ms (bare apply ms)",
        f"{h.spread(tf_apply, '{:.0f}')} ({h.spread(bare_apply_s, '{:.0f}')})",
        "",
    )


def pooled(api: Api, url: str, report: h.Report, count: int) -> None:
    tier = make_tier(api, default_isolation="pooled", allowed_isolation=["pooled"])
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=POOLED_CLIENTS) as pool:
        tenants = list(pool.map(lambda _: make_tenant(api, tier["key"]), range(count)))
    created = time.monotonic()
    with psycopg.connect(to_libpq_url(url), autocommit=True) as conn:
        done = wait_active(conn, [t["id"] for t in tenants], 900)
        applies, pools = conn.execute(
            "SELECT count(*) FILTER (WHERE r.operation = 'apply'), count(DISTINCT s.pool_id) "
            "FROM runs r JOIN stacks s ON s.id = r.stack_id WHERE s.kind = 'pool'"
        ).fetchone() or (0, 0)
    report.row(
        f"{count:,} pooled tenants, {POOLED_CLIENTS} clients: created / all active, s",
        f"{created - started:.1f} / {done - started:.1f}",
        "10,000 active <= 180 s",
    )
    report.note(f"pooled run: {applies} pool applies across {pools} pools")


def main() -> None:
    args = h.arguments(__doc__ or "")
    count = 300 if args.quick else 10_000
    report = h.Report("Provisioning on the local cloud: control plane vs bare Terraform")
    with (
        h.database() as url,
        tempfile.TemporaryDirectory() as data,
        h.paybill_serve(url, Path(data), PAYBILL_EMBEDDED_WORKER="true") as (port, pid),
    ):
        idle = h.rss_mib(pid)
        with Api(f"http://127.0.0.1:{port}", h.create_key(url)) as api:
            overhead(api, url, report, args.reps)
            pooled(api, url, report, count)
        report.note(
            f"`paybill serve` with its embedded worker, RSS {idle:.0f} MiB idle, "
            f"{h.rss_mib(pid):.0f} MiB after the run."
        )
    report.record(args)


if __name__ == "__main__":
    main()
