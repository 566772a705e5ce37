"""`GET /v1/tenants/{id}` under 16 keep-alive clients: the control plane vs the bare app.

Both servers run at once in their own processes (uvicorn, one worker each) against the same
database; the load alternates A B A B … and each pair gives a throughput ratio (A/B, goal >= 0.8)
and a p99 ratio (goal <= 2). Also each server's CPU per request (from /proc: steadier than
throughput when other processes share the machine) and the control plane's RSS.

Run: `python -m benchmarks.bench_api [--quick] [--reps N]`.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import psycopg

from benchmarks import _harness as h
from benchmarks.baselines import bare_tenant_api
from paybill_control_plane.db.embedded import to_libpq_url
from tests.live import free_port
from tests.tenants.seed import seed_tenants

CLIENTS = 16


def main() -> None:
    args = h.arguments(__doc__ or "")
    requests = 1500 if args.quick else 5000
    report = h.Report("GET /v1/tenants/{id}, 16 clients: control plane ÷ bare FastAPI app")
    with h.database() as url, tempfile.TemporaryDirectory() as data:
        with psycopg.connect(to_libpq_url(url)) as conn:
            seed_tenants(conn, 1000)
            row = conn.execute("SELECT id FROM tenants ORDER BY created_at LIMIT 1").fetchone()
        assert row is not None
        path = f"/v1/tenants/{row[0]}"
        key = h.create_key(url)
        bare_port = free_port()
        bare = [sys.executable, "-m", bare_tenant_api.__name__]
        bare_env = {"BARE_DATABASE_URL": to_libpq_url(url), "BARE_PORT": str(bare_port)}
        with (
            h.paybill_serve(url, Path(data), PAYBILL_EMBEDDED_WORKER="false") as (port, pid),
            h.process(bare, bare_env, f"http://127.0.0.1:{bare_port}/healthz") as bare_proc,
        ):
            idle = h.rss_mib(pid)
            for target in (port, bare_port):  # warm-up: connections, caches, code paths
                h.blast(target, [h.get_request(target, path, key)] * 500, CLIENTS)
            rate_ratio, p99_ratio, rates, bare_rates, p99s, bare_p99s = [], [], [], [], [], []
            cpu_ms, bare_cpu_ms, cpu_ratio = [], [], []
            for _ in range(args.reps):
                before = h.cpu_seconds(pid)
                a = h.blast(port, [h.get_request(port, path, key)] * requests, CLIENTS)
                used = h.cpu_seconds(pid) - before
                before = h.cpu_seconds(bare_proc.pid)
                b = h.blast(bare_port, [h.get_request(bare_port, path, key)] * requests, CLIENTS)
                bare_used = h.cpu_seconds(bare_proc.pid) - before
                cpu_ms.append(used * 1000 / requests)
                bare_cpu_ms.append(bare_used * 1000 / requests)
                cpu_ratio.append(used / bare_used)
                assert set(a.statuses) == {200} and set(b.statuses) == {200}
                rates.append(a.rate)
                bare_rates.append(b.rate)
                p99s.append(a.percentile(0.99) * 1000)
                bare_p99s.append(b.percentile(0.99) * 1000)
                rate_ratio.append(a.rate / b.rate)
                p99_ratio.append(a.percentile(0.99) / b.percentile(0.99))
            after = h.rss_mib(pid)
    report.row("throughput ratio (control plane ÷ bare)", h.spread(rate_ratio, "{:.2f}"), ">= 0.8")
    report.row("p99 ratio (control plane ÷ bare)", h.spread(p99_ratio, "{:.2f}"), "<= 2")
    report.row("control plane req/s", h.spread(rates, "{:,.0f}"), "")
    report.row("bare app req/s", h.spread(bare_rates, "{:,.0f}"), "")
    report.row("control plane p99 ms", h.spread(p99s, "{:.1f}"), "")
    report.row("bare app p99 ms", h.spread(bare_p99s, "{:.1f}"), "")
    report.row(
        "server CPU per request ratio (control plane ÷ bare)", h.spread(cpu_ratio, "{:.2f}"), ""
    )
    report.row("control plane server CPU ms per request", h.spread(cpu_ms, "{:.2f}"), "")
    report.row("bare app server CPU ms per request", h.spread(bare_cpu_ms, "{:.2f}"), "")
    report.note(f"`paybill serve` RSS: {idle:.0f} MiB idle, {after:.0f} MiB after the run.")
    report.note(f"{requests} requests per repetition and side, {CLIENTS} keep-alive clients.")
    report.record(args)


if __name__ == "__main__":
    main()
