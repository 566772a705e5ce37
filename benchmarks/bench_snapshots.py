"""Snapshot and restore throughput (MB/s): the control plane against bare pg_dump/pg_restore.

One `local` bridge tenant whose database holds two tables (2M rows each; 300k with --quick).
Per repetition, interleaved:
  A snapshot: POST /v1/tenants/{id}/snapshots, then the job as a worker runs it (claim, pg_dump
    custom format with per-table fingerprints from the same MVCC snapshot, fsync, sha256, publish,
    record, audit);
  B snapshot: bare `pg_dump --format=custom` of the same database to a file;
  A restore: POST …/restore (new database), then its job (fetch, sha256 check, create the
    database, pg_restore, verify every table's row count and checksum);
  B restore: bare `createdb` + `pg_restore` of B's file.
MB/s = the tenant tables' size on disk (heap + indexes + TOAST) / wall seconds, the same
numerator for A and B, so the ratio is the time ratio. The job's queue pick-up (a worker polls
once a second) is not counted.

Run: `python -m benchmarks.bench_snapshots [--quick] [--reps N]`.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from benchmarks import _harness as h
from paybill_control_plane.app import create_app
from paybill_control_plane.config import Settings
from paybill_control_plane.datatier.local_server import local_data_server
from paybill_control_plane.datatier.pg_tools import find_pg_tools
from tests.conftest import TEST_SECRET_KEY, create_key_sync
from tests.datatier.helpers import ensure, purge
from tests.datatier.snapshot_helpers import restore, take
from tests.factories import make_tenant, make_tier
from tests.live import Api, LiveServer

FILL = """
CREATE TABLE orders (id bigint PRIMARY KEY, customer bigint, total numeric(12,2), note text);
INSERT INTO orders SELECT g, g % 9973, (g % 100000) / 100.0, 'order number ' || g
  FROM generate_series(1, {rows}) g;
CREATE TABLE events (at timestamptz, kind text, payload jsonb);
INSERT INTO events SELECT timestamptz '2026-01-01' + g * interval '1 s', 'kind' || (g % 7),
  jsonb_build_object('n', g, 'tag', md5(g::text)) FROM generate_series(1, {rows}) g;
ANALYZE;
"""


def tool_env(admin_dsn: str) -> tuple[dict[str, str], list[str]]:
    params = conninfo_to_dict(admin_dsn)
    env = {**os.environ}
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    args = [f"--host={params.get('host', '127.0.0.1')}", f"--port={params.get('port', 5432)}"]
    return env, [*args, f"--username={params.get('user', 'postgres')}"]


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    args = h.arguments(__doc__ or "")
    rows = 300_000 if args.quick else 2_000_000
    report = h.Report(f"Snapshot and restore throughput, {rows:,} rows x 2 tables")
    snap_a: list[float] = []
    snap_b: list[float] = []
    rest_a: list[float] = []
    rest_b: list[float] = []
    with h.database() as url, tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        settings = Settings(
            database_url=url, data_dir=data, embedded_worker=False, secret_key=TEST_SECRET_KEY
        )
        server = LiveServer(create_app(settings)).start()
        try:
            with Api(server.url, create_key_sync(url, "admin")) as api:
                tier = make_tier(api, default_isolation="bridge", allowed_isolation=["bridge"])
                tenant = make_tenant(api, tier["key"])
                row = ensure(settings, url, tenant)
                admin_dsn = local_data_server(settings, url).admin_dsn
                with psycopg.connect(admin_dsn, dbname=row.database, autocommit=True) as conn:
                    conn.execute(sql.SQL(FILL).format(rows=sql.Literal(rows)))
                    size_row = conn.execute(
                        "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
                        "JOIN pg_namespace n ON n.oid = c.relnamespace "
                        "WHERE c.relkind = 'r' AND n.nspname = 'public'"
                    ).fetchone()
                mb = int(size_row[0]) / 1e6 if size_row else 0.0
                with psycopg.connect(admin_dsn) as conn:
                    tools = find_pg_tools(conn.info.server_version // 10000)
                env, conn_args = tool_env(admin_dsn)
                base = f"/v1/tenants/{tenant['id']}/snapshots"
                dump_sizes: list[int] = []
                for rep in range(args.reps):
                    started = time.perf_counter()
                    snap = api.ok("POST", base, 202)
                    assert take(settings, url, snap["id"]) == "completed"
                    snap_a.append(mb / (time.perf_counter() - started))
                    done: dict[str, Any] = api.ok("GET", f"{base}/{snap['id']}")
                    dump_sizes.append(int(done["size_bytes"]))

                    bare_file = data / f"bare-{rep}.dump"
                    seconds = timed(
                        [str(tools.pg_dump), *conn_args, "--format=custom",
                         f"--file={bare_file}", row.database], env,
                    )  # fmt: skip
                    snap_b.append(mb / seconds)

                    started = time.perf_counter()
                    job = api.ok("POST", f"{base}/{snap['id']}/restore", 202)
                    assert restore(settings, url, job["id"]) == "completed"
                    rest_a.append(mb / (time.perf_counter() - started))

                    bare_db = f"{row.database}_bare{uuid.uuid4().hex[:6]}"
                    started = time.perf_counter()
                    with psycopg.connect(admin_dsn, autocommit=True) as conn:
                        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(bare_db)))
                    subprocess.run(
                        [str(tools.pg_restore), *conn_args, f"--dbname={bare_db}", str(bare_file)],
                        env=env, check=True, stdout=subprocess.DEVNULL,
                    )  # fmt: skip
                    rest_b.append(mb / (time.perf_counter() - started))
                    bare_file.unlink()
                    print(f"rep {rep + 1}/{args.reps} done", flush=True)
        finally:
            server.stop()
            purge(settings, url)
    snap_ratio = [a / b for a, b in zip(snap_a, snap_b, strict=True)]
    rest_ratio = [a / b for a, b in zip(rest_a, rest_b, strict=True)]
    report.note(
        f"tenant data {mb:.0f} MB on disk; dump {h.spread([s / 1e6 for s in dump_sizes], '{:.1f}')}"
        f" MB (custom format, compressed); pg_dump/pg_restore {tools.major}"
    )
    report.row(
        f"snapshot MB/s through the control plane (bare pg_dump: {h.spread(snap_b, '{:.1f}')}; "
        f"ratio {h.spread(snap_ratio, '{:.2f}')})",
        h.spread(snap_a, "{:.1f}"),
        "ratio >= 0.8",
    )
    report.row(
        f"restore MB/s through the control plane, verified (bare createdb + pg_restore: "
        f"{h.spread(rest_b, '{:.1f}')}; ratio {h.spread(rest_ratio, '{:.2f}')})",
        h.spread(rest_a, "{:.1f}"),
        "ratio >= 0.7",
    )
    report.record(args)


if __name__ == "__main__":
    main()
