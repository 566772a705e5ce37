"""The data path of a migration between isolation models: write-freeze time and total time.

One pooled tenant (its schema in a pool database, its owner and login roles) holding two tables
(450k rows each, about 100 MB on disk; 50k with --quick) moves to a silo database. Per
repetition, interleaved:
  A migration data path, as the workflow runs it (lifecycle/migrations/data.py):
    copy: pg_dump of the schema with per-table fingerprints, restore under a staging schema,
      swap, ownership to the target's owner, verification of every table;
    cutover (the write freeze): block the source's logins and end their sessions, copy the whole
      data again, verify, allow the target's login. Total = copy + cutover.
  B bare: `pg_dump --format=custom --schema=<schema>` | `createdb` + `pg_restore` (no staging,
    no ownership, no verification).
The Terraform phases (provision_target, decommission), the hold and the job queue's pick-up are
NOT counted: they do not depend on the data size (see bench_provisioning for runs).

Run: `python -m benchmarks.bench_migration [--quick] [--reps N]`.
"""

from __future__ import annotations

import asyncio
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from psycopg import sql

from benchmarks import _harness as h
from benchmarks.bench_snapshots import FILL, tool_env
from paybill_control_plane.datatier import postgres_admin as pg
from paybill_control_plane.datatier.model_copy import copy_tenant_data, data_size
from paybill_control_plane.datatier.names import tenant_names
from paybill_control_plane.datatier.pg_tools import find_pg_tools
from paybill_control_plane.datatier.target import DatabaseTarget
from paybill_control_plane.models.enums import IsolationModel


async def migrate_once(admin: str, base: str, tenant: uuid.UUID, work: Path) -> tuple[float, float]:
    """(freeze seconds, total seconds) of one pooled -> silo data move (fresh silo each time)."""
    pooled = tenant_names(base, IsolationModel.pooled, tenant, tenant)
    silo = tenant_names(base, IsolationModel.silo, tenant, None)
    await pg.drop_tenant_objects(admin, silo)
    started = time.perf_counter()
    await pg.ensure_tenant_objects(admin, silo)
    await pg.block_logins(admin, silo)
    src = DatabaseTarget(admin, pooled.database, pooled.schema)
    dst = DatabaseTarget(admin, silo.database, None)
    await copy_tenant_data(src, dst, silo.owner, work)
    frozen = time.perf_counter()
    await pg.block_logins(admin, pooled)
    await copy_tenant_data(src, dst, silo.owner, work)
    await pg.allow_login(admin, silo.logins[0])
    done = time.perf_counter()
    await pg.allow_login(admin, pooled.logins[0])  # the next repetition's source serves again
    return done - frozen, done - started


def main() -> None:
    args = h.arguments(__doc__ or "")
    rows = 50_000 if args.quick else 450_000
    report = h.Report(f"Migration data path pooled -> silo, {rows:,} rows x 2 tables")
    freeze: list[float] = []
    total: list[float] = []
    bare: list[float] = []
    with h.database() as url, tempfile.TemporaryDirectory() as tmp:
        admin = h._admin(url)
        base = f"pbbench{uuid.uuid4().hex[:6]}"
        tenant = uuid.uuid4()
        pooled = tenant_names(base, IsolationModel.pooled, tenant, tenant)
        asyncio.run(pg.ensure_tenant_objects(admin, pooled))
        try:
            with psycopg.connect(admin, dbname=pooled.database, autocommit=True) as conn:
                conn.execute(
                    sql.SQL("SET search_path = {}").format(sql.Identifier(str(pooled.schema)))
                )
                conn.execute(sql.SQL(FILL).format(rows=sql.Literal(rows)))
            mb = asyncio.run(data_size(DatabaseTarget(admin, pooled.database, pooled.schema))) / 1e6
            with psycopg.connect(admin) as conn:
                tools = find_pg_tools(conn.info.server_version // 10000)
            env, conn_args = tool_env(admin)
            for rep in range(args.reps):
                frozen, whole = asyncio.run(migrate_once(admin, base, tenant, Path(tmp) / "a"))
                freeze.append(frozen)
                total.append(whole)

                bare_db, dump = f"{base}_bare{rep}", Path(tmp) / "bare.dump"
                started = time.perf_counter()
                subprocess.run(
                    [str(tools.pg_dump), *conn_args, "--format=custom", f"--schema={pooled.schema}",
                     f"--file={dump}", pooled.database], env=env, check=True,
                )  # fmt: skip
                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(bare_db)))
                subprocess.run(
                    [str(tools.pg_restore), *conn_args, f"--dbname={bare_db}", str(dump)],
                    env=env, check=True, stdout=subprocess.DEVNULL,
                )  # fmt: skip
                bare.append(time.perf_counter() - started)
                asyncio.run(pg.drop_database(admin, bare_db))
                print(f"rep {rep + 1}/{args.reps} done", flush=True)
        finally:
            asyncio.run(pg.purge_prefix(admin, base))
    ratio = [t / b for t, b in zip(total, bare, strict=True)]
    report.note(
        f"tenant data {mb:.0f} MB on disk (heap + indexes + TOAST); pg_dump/pg_restore "
        f"{tools.major}; the freeze re-copies the whole data (docs/migrations.md)"
    )
    report.row("write freeze (s): block source logins, copy again, verify, allow target login",
               h.spread(freeze, "{:.2f}"), "as small as the data allows")  # fmt: skip
    report.row(
        f"total data path (s): copy + freeze (bare pg_dump + pg_restore: "
        f"{h.spread(bare, '{:.2f}')} s; ratio {h.spread(ratio, '{:.2f}')})",
        h.spread(total, "{:.2f}"),
        "ratio <= 3 (two verified copies vs one bare)",
    )
    report.record(args)


if __name__ == "__main__":
    main()
