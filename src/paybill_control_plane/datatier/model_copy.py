"""Copying a tenant's data between isolation models: a schema (pooled) into a database (bridge,
silo) and a database into a schema, verified table by table.

The source is dumped (`pg_dump`, custom format, one MVCC snapshot with its fingerprints, see
dumps.py). Its objects are restored under a *staging* schema of the target database, then one
transaction swaps it in: the target schema is dropped, the staging one renamed to it and every
object handed to the target's owner role. A source that is a whole database keeps its tables in
`public`, which the target database (a pool's) may not take: it goes through a scratch database
first, where `public` is renamed to the staging name and dumped again. No SQL text is rewritten.

Idempotent and crash-safe: the scratch database and staging schema are dropped before use, and
the swap is one transaction, so a copy killed at any point is simply run again (the half-copied
staging objects are dropped and copied anew); the target's live schema changes only at the swap.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from paybill_control_plane.datatier.dumps import (
    _run_tool,
    _tool_args,
    dump_target,
    server_major,
)
from paybill_control_plane.datatier.fingerprint import (
    TableFingerprint,
    connect_target,
    fingerprint_differences,
    fingerprints_to_json,
    table_fingerprints,
)
from paybill_control_plane.datatier.names import is_capture_trigger_entry
from paybill_control_plane.datatier.pg_tools import find_pg_tools
from paybill_control_plane.datatier.postgres_admin import SCHEMA_TABLES, SCHEMA_TYPES, connect
from paybill_control_plane.datatier.target import DatabaseTarget

PUBLIC = "public"

_SIZE = """
SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm', 'p') AND n.nspname = %s
"""

_OBJECTS = (
    SCHEMA_TABLES
    + sql.SQL(
        """\
SELECT 'VIEW', format('%%I.%%I', n.nspname, c.relname) FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = %(s)s AND c.relkind = 'v'
UNION ALL
SELECT 'MATERIALIZED VIEW', format('%%I.%%I', n.nspname, c.relname) FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = %(s)s AND c.relkind = 'm'
UNION ALL
SELECT 'SEQUENCE', format('%%I.%%I', n.nspname, c.relname) FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = %(s)s AND c.relkind = 'S'
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
UNION ALL
SELECT 'ROUTINE', p.oid::regprocedure::text FROM pg_proc p
  JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = %(s)s
UNION ALL
"""
    )
    + SCHEMA_TYPES
)


class CopyVerificationFailed(RuntimeError):
    """The copy's fingerprints differ from the source's."""


@dataclass(frozen=True, slots=True)
class CopyResult:
    dump_bytes: int
    source_bytes: int
    fingerprints: dict[str, TableFingerprint]  # by table name, equal on both sides
    dump_seconds: float
    restore_seconds: float
    seconds: float

    def to_json(self) -> dict[str, Any]:
        return {
            "dump_bytes": self.dump_bytes,
            "source_bytes": self.source_bytes,
            "tables": fingerprints_to_json(self.fingerprints),
            "dump_ms": int(self.dump_seconds * 1000),
            "restore_ms": int(self.restore_seconds * 1000),
            "total_ms": int(self.seconds * 1000),
            "verified": True,
        }


def schema_of(target: DatabaseTarget) -> str:
    return target.schema or PUBLIC


def by_table(prints: dict[str, TableFingerprint], schema: str) -> dict[str, TableFingerprint]:
    """Fingerprints keyed "schema.table" of one schema, keyed by table name."""
    start = schema + "."
    return {k[len(start) :]: v for k, v in prints.items() if k.startswith(start)}


async def data_size(target: DatabaseTarget, *, lock_timeout_ms: int = 0) -> int:
    """Bytes of the target's tables, indexes and TOAST (`pg_total_relation_size`, which waits
    for a table's ACCESS EXCLUSIVE lock: `lock_timeout_ms` bounds that wait, 0 waits)."""
    async with await psycopg.AsyncConnection.connect(connect_target(target)) as conn:
        await conn.execute(sql.SQL("SET lock_timeout = {}").format(sql.Literal(lock_timeout_ms)))
        cur = await conn.execute(_SIZE, (schema_of(target),))
        row = await cur.fetchone()
    return int(row[0]) if row else 0


def _staging_name(target: DatabaseTarget) -> str:
    return "m_" + hashlib.sha256(f"{target.database}/{target.schema}".encode()).hexdigest()[:20]


async def _restore_into(dump: Path, target: DatabaseTarget, schema: str) -> None:
    """pg_restore `dump` (of schema `schema`) into the target's database: the schema is made
    fresh first (owned by the admin), the dump's own schema entries are left out, no owners or
    grants are restored (the swap hands everything to the tenant's owner), nor the triggers of a
    change capture on the source (datatier/change_capture.py)."""
    async with connect(target.admin_dsn, target.database) as conn:
        ident = sql.Identifier(schema)
        if schema == PUBLIC:
            await conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        else:
            await conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(ident))
        await conn.execute(sql.SQL("CREATE SCHEMA {}").format(ident))
    tools = find_pg_tools(await server_major(target))
    listing = await asyncio.create_subprocess_exec(
        str(tools.pg_restore), "--list", str(dump), stdout=asyncio.subprocess.PIPE
    )
    out, _ = await listing.communicate()
    keep = [
        line
        for line in out.decode().splitlines()
        if " SCHEMA - " not in line
        and " COMMENT - SCHEMA " not in line
        and not is_capture_trigger_entry(line)
    ]
    list_path = dump.with_suffix(".list")
    await asyncio.to_thread(list_path.write_text, "\n".join(keep) + "\n")
    dsn, env = _tool_args(target)
    argv = [str(tools.pg_restore), "--exit-on-error", "--no-owner", "--no-acl"]
    argv += [f"--use-list={list_path}", "--dbname", dsn, str(dump)]
    await _run_tool(argv, env, None)


async def _stage(
    source: DatabaseTarget, target: DatabaseTarget, work: Path
) -> tuple[int, str, dict[str, TableFingerprint]]:
    """The source's objects under a staging schema of the target database: (dump size, staging
    name, the source's fingerprints taken in the dump's MVCC snapshot, by table)."""
    src = DatabaseTarget(source.admin_dsn, source.database, schema_of(source))
    dumped = await dump_target(src, work / "source.dump")
    prints = by_table(dumped.fingerprints, str(src.schema))
    if src.schema != PUBLIC:
        await _restore_into(work / "source.dump", target, str(src.schema))
        return dumped.size, str(src.schema), prints
    staging = _staging_name(target)
    scratch = DatabaseTarget(target.admin_dsn, (target.database[:50] + "_mig"), None)
    async with connect(target.admin_dsn) as conn:
        await conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(scratch.database)
            )
        )
        await conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch.database)))
    try:
        await _restore_into(work / "source.dump", scratch, PUBLIC)
        async with connect(target.admin_dsn, scratch.database) as conn:
            await conn.execute(
                sql.SQL("ALTER SCHEMA public RENAME TO {}").format(sql.Identifier(staging))
            )
        again = DatabaseTarget(target.admin_dsn, scratch.database, staging)
        await dump_target(again, work / "staged.dump")
        await _restore_into(work / "staged.dump", target, staging)
    finally:
        async with connect(target.admin_dsn) as conn:
            await conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(scratch.database)
                )
            )
    return dumped.size, staging, prints


async def _swap(target: DatabaseTarget, staging: str, owner: str) -> None:
    """One transaction: the target schema is replaced by the staging one, owned by `owner`."""
    schema = schema_of(target)
    async with (
        await psycopg.AsyncConnection.connect(connect_target(target)) as conn,
        conn.transaction(),
    ):
        ident, role = sql.Identifier(schema), sql.Identifier(owner)
        await conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(ident))
        await conn.execute(
            sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(sql.Identifier(staging), ident)
        )
        await conn.execute(sql.SQL("ALTER SCHEMA {} OWNER TO {}").format(ident, role))
        await conn.execute(sql.SQL("REVOKE ALL ON SCHEMA {} FROM PUBLIC").format(ident))
        cur = await conn.execute(_OBJECTS, {"s": schema})
        for kind, name in await cur.fetchall():
            await conn.execute(
                sql.SQL("ALTER {} {} OWNER TO {}").format(sql.SQL(kind), sql.SQL(name), role)
            )


async def copy_tenant_data(
    source: DatabaseTarget, target: DatabaseTarget, owner: str, work: Path
) -> CopyResult:
    """Replace the target's data with the source's and prove it: every table's row count and
    checksum on the target equal the source's at the dump's snapshot (else it raises)."""
    started = time.perf_counter()
    await asyncio.to_thread(work.mkdir, parents=True, exist_ok=True)
    src = DatabaseTarget(source.admin_dsn, source.database, schema_of(source))
    source_bytes = await data_size(src)
    dumped_at = time.perf_counter()
    size, staging, expected = await _stage(src, target, work)
    staged = time.perf_counter()
    await _swap(target, staging, owner)
    dst = DatabaseTarget(target.admin_dsn, target.database, schema_of(target))
    copied = by_table(await table_fingerprints(dst), schema_of(target))
    problems = fingerprint_differences(expected, copied)
    if problems:
        raise CopyVerificationFailed("copy differs from its source: " + "; ".join(problems[:10]))
    done = time.perf_counter()
    for leftover in ("source.dump", "staged.dump", "source.list", "staged.list"):
        await asyncio.to_thread((work / leftover).unlink, missing_ok=True)
    return CopyResult(
        dump_bytes=size,
        source_bytes=source_bytes,
        fingerprints=copied,
        dump_seconds=staged - dumped_at,
        restore_seconds=done - staged,
        seconds=done - started,
    )
