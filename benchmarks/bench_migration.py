"""The data path of a migration between isolation models: write-freeze time and total time.

One pooled tenant (its schema in a pool database, its owner and login roles) holding two tables
(450k rows each, about 100 MB on disk; 50k with --quick) moves to a silo database, while an
application keeps writing to it during the bulk copy. Per repetition, interleaved:
  A migration data path, as the workflow runs it (lifecycle/migrations/data.py):
    copy: change capture started on the source (datatier/change_capture.py), pg_dump of the
      schema with per-table fingerprints, restore under a staging schema, swap, ownership to the
      target's owner, verification of every table; meanwhile a writer inserts, updates and
      deletes `orders` rows (the table with a primary key) in small transactions;
    cutover (the write freeze): block the source's logins, end their sessions and wait for them
      to exit, copy what the capture logged (datatier/delta_copy.py) and verify the changed
      tables, allow the target's login (the target's capture for a copy back was started at
      the end of the copy, as the workflow does).
      Total = copy + cutover. Each sub-step of the freeze is timed.
  B bare: `pg_dump --format=custom --schema=<schema>` | `createdb` + `pg_restore` (no staging,
    no ownership, no verification, no writes).
The Terraform phases (provision_target, decommission), the hold and the job queue's pick-up are
NOT counted: they do not depend on the data size (see bench_provisioning for runs).

Run: `python -m benchmarks.bench_migration [--quick] [--reps N]`.
"""

from __future__ import annotations

import asyncio
import math
import os
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psycopg
from psycopg import sql

from benchmarks import _harness as h
from benchmarks.bench_snapshots import FILL, tool_env
from paybill_control_plane.datatier import change_capture as cc
from paybill_control_plane.datatier import postgres_admin as pg
from paybill_control_plane.datatier.delta_copy import apply_changes
from paybill_control_plane.datatier.model_copy import copy_tenant_data, data_size
from paybill_control_plane.datatier.names import TenantNames, tenant_names
from paybill_control_plane.datatier.pg_tools import find_pg_tools
from paybill_control_plane.datatier.target import DatabaseTarget
from paybill_control_plane.models.enums import IsolationModel

STEPS = ("block + end sessions", "delta copy + verify", "allow target login")


def write_while(
    admin: str, names: TenantNames, stop: threading.Event, first_id: int, rows: int
) -> tuple[threading.Thread, list[int]]:
    """An application writing `orders` until `stop`: per transaction 5 inserts (ids from
    `first_id`), 5 updates, 2 deletes. Returns the thread and [transactions done]."""
    done = [0]

    def run() -> None:
        try:
            write()
        except BaseException:
            done[0] = -1  # reported as a failed repetition
            raise

    def write() -> None:
        with psycopg.connect(admin, dbname=names.database, autocommit=True) as conn:
            conn.execute(sql.SQL("SET search_path = {}").format(sql.Identifier(str(names.schema))))
            n = 0
            while not stop.is_set():
                n += 1
                new = first_id + n * 10
                with conn.transaction():
                    conn.execute(
                        "INSERT INTO orders SELECT g, g %% 9973, 1, 'new' "
                        "FROM generate_series(%s, %s) g",
                        (new, new + 4),
                    )
                    old = n * 7 % rows
                    conn.execute(
                        "UPDATE orders SET total = total + 1 WHERE id BETWEEN %s AND %s",
                        (old, old + 4),
                    )
                    conn.execute(
                        "DELETE FROM orders WHERE id IN (%s, %s)", (n * 13 % rows + 1, new)
                    )
                done[0] = n
                time.sleep(0.01)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, done


async def migrate_once(
    admin: str, base: str, tenant: uuid.UUID, work: Path, rows: int, rep: int
) -> tuple[float, float, dict[str, float], int]:
    """(freeze s, total s, freeze steps s, writer transactions) of one pooled -> silo data move
    (a fresh silo each time)."""
    pooled = tenant_names(base, IsolationModel.pooled, tenant, tenant)
    silo = tenant_names(base, IsolationModel.silo, tenant, None)
    await pg.drop_tenant_objects(admin, silo)
    src = DatabaseTarget(admin, pooled.database, pooled.schema)
    dst = DatabaseTarget(admin, silo.database, "public")
    started = time.perf_counter()
    await pg.ensure_tenant_objects(admin, silo)
    await pg.block_logins(admin, silo)
    await cc.start_capture(src)
    stop = threading.Event()
    thread, writes = write_while(admin, pooled, stop, rows + 10_000_000 * (rep + 1), rows)
    try:
        bulk = await copy_tenant_data(src, dst, silo.owner, work)
    finally:
        stop.set()
        thread.join()
    if writes[0] <= 0:
        raise RuntimeError("the writer failed or wrote nothing during the bulk copy")
    await cc.start_capture(dst)  # the target's, for a copy back (the workflow's copy phase)
    t = [time.perf_counter()]
    await pg.block_logins(admin, pooled)
    t.append(time.perf_counter())
    await apply_changes(src, dst, bulk.fingerprints)
    t.append(time.perf_counter())
    await pg.allow_login(admin, silo.logins[0])
    t.append(time.perf_counter())
    await cc.stop_capture(src)  # after the freeze
    await cc.stop_capture(dst)
    await pg.allow_login(admin, pooled.logins[0])  # the next repetition's source serves again
    steps = {name: t[i + 1] - t[i] for i, name in enumerate(STEPS)}
    return t[-1] - t[0], t[-1] - started, steps, writes[0]


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile (with fewer than 20 values: the largest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def main() -> None:
    args = h.arguments(__doc__ or "")
    rows = 50_000 if args.quick else 450_000
    report = h.Report(f"Migration data path pooled -> silo, {rows:,} rows x 2 tables")
    freeze: list[float] = []
    total: list[float] = []
    bare: list[float] = []
    writer_txns: list[int] = []
    steps: dict[str, list[float]] = {}
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
            loads: list[float] = []
            for rep in range(args.reps):
                work = Path(tmp) / "a"
                frozen, whole, parts, txns = asyncio.run(
                    migrate_once(admin, base, tenant, work, rows, rep)
                )
                freeze.append(frozen)
                total.append(whole)
                writer_txns.append(txns)
                for name, seconds in parts.items():
                    steps.setdefault(name, []).append(seconds)
                loads.append(os.getloadavg()[0])

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
        f"{tools.major}; during each bulk copy a writer ran {h.spread(writer_txns, '{:.0f}')} "
        "transactions (5 inserts, 5 updates, 2 deletes of `orders` each); the freeze copies "
        "only what the change capture logged (docs/migrations.md); load average (1 min) at "
        f"each repetition {h.spread(loads, '{:.1f}')}"
    )
    report.row(
        "write freeze (s): block source logins + end sessions, delta copy + verify changed "
        f"tables, allow target login — p95 {p95(freeze):.2f} s",
        h.spread(freeze, "{:.2f}"),
        "p95 <= 5 s",
    )
    for name in STEPS:
        report.row(f"  freeze step: {name} (s)", h.spread(steps[name], "{:.3f}"), "")
    report.row(
        f"total data path (s): copy + freeze (bare pg_dump + pg_restore: "
        f"{h.spread(bare, '{:.2f}')} s; ratio {h.spread(ratio, '{:.2f}')})",
        h.spread(total, "{:.2f}"),
        "ratio <= 3 (capture + verified copy + delta vs one bare copy)",
    )
    report.record(args)


if __name__ == "__main__":
    main()
