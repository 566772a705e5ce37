"""Tenant list pages at 1M tenants (100k with --quick): deep cursors and filters.

Cases: the first page; a page after a cursor at row 90%; every combination of the status, tier
and cloud filters with values matching nothing; and every combination matching most rows after
the deep cursor. Each case is requested by one keep-alive client (latency, not throughput),
alternating the control plane (A) and the bare app running the same SQL (B), per repetition.
Goal: p99 < 10 ms for every case.

Run: `python -m benchmarks.bench_list [--quick] [--reps N]`.
"""

from __future__ import annotations

import itertools
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psycopg
from sqlalchemy.dialects import postgresql

from benchmarks import _harness as h
from benchmarks.baselines import bare_tenant_api
from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.db.embedded import to_libpq_url
from paybill_control_plane.kit.pagination import encode_cursor
from paybill_control_plane.models.enums import Role
from paybill_control_plane.tenants.repository import list_statement
from tests.live import free_port
from tests.tenants.seed import MATCH_MANY, MATCH_NOTHING, seed_tenants

ADMIN = Principal(key_id=None, name="bench", role=Role.admin)


def cases(rows: int) -> dict[str, dict[str, str]]:
    deep = encode_cursor(
        datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=int(rows * 0.9)),
        "00000000-0000-0000-0000-000000000000",
    )
    found: dict[str, dict[str, str]] = {"first page": {}, "deep cursor": {"cursor": deep}}
    for size in range(1, 4):
        for names in itertools.combinations(("status", "tier", "cloud"), size):
            label = "+".join(names)
            found[f"{label} matching nothing"] = MATCH_NOTHING[names]
            found[f"{label} after deep cursor"] = {
                **{n: MATCH_MANY[n] for n in names},
                "cursor": deep,
            }
    return found


def sql_ms(conn: psycopg.Connection[Any], query: dict[str, str]) -> float:
    """Postgres's own execution time of the control plane's page query (EXPLAIN ANALYZE):
    the part the indexes decide, free of HTTP and Python."""
    filters = {k: v for k, v in query.items() if k != "cursor"}
    stmt = list_statement(ADMIN, limit=50, cursor=query.get("cursor"), **filters)
    compiled = stmt.compile(dialect=postgresql.dialect())
    row = conn.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {compiled}", compiled.params).fetchone()
    assert row is not None
    return float(row[0][0]["Execution Time"])


def main() -> None:
    args = h.arguments(__doc__ or "")
    rows = 100_000 if args.quick else 1_000_000
    per_case = 40 if args.quick else 100
    report = h.Report(f"GET /v1/tenants pages at {rows:,} tenants: control plane vs bare app")
    with h.database() as url, tempfile.TemporaryDirectory() as data:
        started = time.monotonic()
        with psycopg.connect(to_libpq_url(url)) as conn:
            seed_tenants(conn, rows)
        report.note(f"seeded {rows:,} tenants in {time.monotonic() - started:.0f}s")
        key = h.create_key(url)
        bare_port = free_port()
        bare = [sys.executable, "-m", bare_tenant_api.__name__]
        bare_env = {"BARE_DATABASE_URL": to_libpq_url(url), "BARE_PORT": str(bare_port)}
        with (
            h.paybill_serve(url, Path(data), PAYBILL_EMBEDDED_WORKER="false") as (port, _),
            h.process(bare, bare_env, f"http://127.0.0.1:{bare_port}/healthz"),
        ):
            queries = cases(rows)
            paths = {name: "/v1/tenants?" + urlencode(q) for name, q in queries.items()}
            sql: dict[str, list[float]] = {name: [] for name in paths}
            for target in (port, bare_port):
                for path in paths.values():
                    h.blast(target, [h.get_request(target, path, key)] * 5, 1)
            p99: dict[str, list[float]] = {name: [] for name in paths}
            bare_p99: dict[str, list[float]] = {name: [] for name in paths}
            for _ in range(args.reps):
                for name, path in paths.items():
                    a = h.blast(port, [h.get_request(port, path, key)] * per_case, 1)
                    b = h.blast(bare_port, [h.get_request(bare_port, path, key)] * per_case, 1)
                    assert set(a.statuses) == {200} and set(b.statuses) == {200}, name
                    p99[name].append(a.percentile(0.99) * 1000)
                    bare_p99[name].append(b.percentile(0.99) * 1000)
                    with psycopg.connect(to_libpq_url(url)) as conn:
                        sql[name].append(sql_ms(conn, queries[name]))
    for name in paths:
        ratios = [a / b for a, b in zip(p99[name], bare_p99[name], strict=True)]
        report.row(
            f"{name}: p99 ms (bare app: {h.spread(bare_p99[name], '{:.1f}')}; "
            f"ratio {h.spread(ratios, '{:.2f}')}; SQL execution ms {h.spread(sql[name], '{:.2f}')})",
            h.spread(p99[name], "{:.1f}"),
            "< 10 ms",
        )
    report.note(f"{per_case} sequential requests per case, side and repetition.")
    report.record(args)


if __name__ == "__main__":
    main()
