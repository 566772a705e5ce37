"""The switch of a pooled tenant: its schema in the pool's database is replaced by a restored one.

A `new_database` restore of a pooled tenant leaves the tenant's schema, verified, in a scratch
database (`<pool database>_r<restore id>`). The switch brings it into the pool's database and
swaps it in:

1. **stage** — in the scratch database the schema is renamed to the staging name
   `<schema>_r<restore id>` (the scratch database is the restore's own, so this touches no
   tenant), dumped (`pg_dump --schema`) and restored into the pool's database under that name;
   its tables' row counts and checksums must equal the snapshot's.
2. **swap** — one transaction in the pool's database: the tenant's sessions are ended, its schema
   is renamed to `<schema>_o<restore id>` (KEPT, handed to the admin: the tenant's roles lose
   their way in), the staging schema takes the tenant schema's name and everything in it is given
   to the tenant's owner role. Connection details, roles, passwords and `search_path` stay.
3. **cleanup** — the scratch database is dropped.

Every step checks where it is: a switch cut off anywhere (kill -9) is finished by running it
again. Stage drops a half-restored staging schema and restores it anew; the swap is atomic; a
swap already made is recognised (the staging schema gone, the kept one there) and not redone.
No SQL text is rewritten.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import psycopg
from psycopg import sql

from paybill_control_plane.datatier import dumps
from paybill_control_plane.datatier import postgres_admin as pg
from paybill_control_plane.datatier.fingerprint import (
    TableFingerprint,
    fingerprint_differences,
    table_fingerprints,
)
from paybill_control_plane.datatier.switch_sql import SwitchImpossible
from paybill_control_plane.datatier.target import DatabaseTarget

_SCHEMA_EXISTS = "SELECT 1 FROM pg_namespace WHERE nspname = %s"

# Everything of one schema whose owner can be changed directly (sequences a column owns follow
# their table; a composite type of a table follows it).
_OBJECTS = (
    pg.SCHEMA_TABLES
    + sql.SQL(
        """\
SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'SEQUENCE' END,
       format('%%I.%%I', n.nspname, c.relname) FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = %(s)s AND c.relkind IN ('v', 'm', 'S')
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid
                    AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
       p.oid::regprocedure::text FROM pg_proc p
  JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = %(s)s
UNION ALL
"""
    )
    + pg.SCHEMA_TYPES
)

# Sessions of the owner role's members: the tenant's two logins.
_END_SESSIONS = """
SELECT pg_terminate_backend(a.pid) FROM pg_stat_activity a
WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
  AND a.usesysid IN (SELECT m.member FROM pg_auth_members m
                     JOIN pg_roles o ON o.oid = m.roleid WHERE o.rolname = %s)
"""


def _named(schema: str, tag: str, restore_id: uuid.UUID) -> str:
    suffix = f"_{tag}{restore_id.hex[:10]}"
    return schema[: 63 - len(suffix)] + suffix


def staged_schema_name(schema: str, restore_id: uuid.UUID) -> str:
    """Where the restored schema waits in the pool's database before the swap."""
    return _named(schema, "r", restore_id)


def kept_schema_name(schema: str, restore_id: uuid.UUID) -> str:
    """Where the replaced schema is kept in the pool's database."""
    return _named(schema, "o", restore_id)


async def _has_schema(conn: psycopg.AsyncConnection, schema: str) -> bool:
    cur = await conn.execute(_SCHEMA_EXISTS, (schema,))
    return await cur.fetchone() is not None


async def swapped(admin_dsn: str, pool_db: str, schema: str, restore_id: uuid.UUID) -> bool:
    """The swap was made (by this or an earlier attempt): the kept schema exists, the staging
    one does not."""
    async with pg.connect(admin_dsn, pool_db) as conn:
        return await _has_schema(
            conn, kept_schema_name(schema, restore_id)
        ) and not await _has_schema(conn, staged_schema_name(schema, restore_id))


def _by_table(prints: dict[str, TableFingerprint], schema: str) -> dict[str, TableFingerprint]:
    start = schema + "."
    return {k[len(start) :]: v for k, v in prints.items() if k.startswith(start)}


async def stage(
    admin_dsn: str,
    *,
    scratch: str,
    pool_db: str,
    schema: str,
    restore_id: uuid.UUID,
    expected: dict[str, TableFingerprint],
    work: Path,
    pg_bin_dir: Path | None = None,
) -> int:
    """The restored schema of `scratch` under the staging name in `pool_db`, verified against
    `expected` (the snapshot's fingerprints, keyed "schema.table"); the number of tables."""
    staged = staged_schema_name(schema, restore_id)
    async with pg.connect(admin_dsn, scratch) as conn:
        if await _has_schema(conn, schema):
            await conn.execute(
                sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(
                    sql.Identifier(schema), sql.Identifier(staged)
                )
            )
        elif not await _has_schema(conn, staged):
            raise SwitchImpossible(f"the restored schema is not in {scratch}")
    async with pg.connect(admin_dsn, pool_db) as conn:  # what a cut-off attempt half-restored
        await conn.execute(
            sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(staged))
        )
    dump = work / f"{restore_id}.switch.dump"
    await asyncio.to_thread(work.mkdir, parents=True, exist_ok=True)
    try:
        source = DatabaseTarget(admin_dsn, scratch, staged)
        await dumps.dump_target(source, dump, pg_bin_dir=pg_bin_dir)
        into = DatabaseTarget(admin_dsn, pool_db, staged)
        await dumps.restore_dump(dump, into, keep_owners=False, pg_bin_dir=pg_bin_dir)
        got = _by_table(await table_fingerprints(into), staged)
    finally:
        await asyncio.to_thread(dump.unlink, missing_ok=True)
    problems = fingerprint_differences(_by_table(expected, schema), got)
    if problems:
        raise SwitchImpossible(
            "the staged schema differs from the snapshot: " + "; ".join(problems)
        )
    return len(got)


async def _give(conn: psycopg.AsyncConnection, schema: str, role: sql.Composable) -> None:
    await conn.execute(sql.SQL("ALTER SCHEMA {} OWNER TO {}").format(sql.Identifier(schema), role))
    cur = await conn.execute(_OBJECTS, {"s": schema})
    for kind, name in await cur.fetchall():
        await conn.execute(
            sql.SQL("ALTER {} {} OWNER TO {}").format(sql.SQL(kind), sql.SQL(name), role)
        )


async def swap(
    admin_dsn: str, *, pool_db: str, schema: str, owner: str, restore_id: uuid.UUID
) -> None:
    """One transaction: the staging schema becomes the tenant's, the tenant's is kept aside,
    closed to its roles. Already swapped: nothing to do."""
    staged = staged_schema_name(schema, restore_id)
    kept = kept_schema_name(schema, restore_id)
    # An autocommit connection's transaction() is one BEGIN … COMMIT.
    async with pg.connect(admin_dsn, pool_db) as conn, conn.transaction():
        if not await _has_schema(conn, staged):
            if await _has_schema(conn, kept):
                return
            raise SwitchImpossible(f"the staging schema {staged} is gone")
        if await _has_schema(conn, kept):
            raise SwitchImpossible(f"schemas {staged} and {kept} both exist")
        await conn.execute(_END_SESSIONS, (owner,))
        live = sql.Identifier(schema)
        if await _has_schema(conn, schema):
            await conn.execute(
                sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(live, sql.Identifier(kept))
            )
            await _give(conn, kept, sql.SQL("CURRENT_USER"))
            await conn.execute(
                sql.SQL("REVOKE ALL ON SCHEMA {} FROM PUBLIC").format(sql.Identifier(kept))
            )
        await conn.execute(
            sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(sql.Identifier(staged), live)
        )
        await _give(conn, schema, sql.Identifier(owner))
        await conn.execute(sql.SQL("REVOKE ALL ON SCHEMA {} FROM PUBLIC").format(live))


async def ledger_version(admin_dsn: str, database: str, schema: str) -> int:
    """The newest tenant schema migration recorded in the schema (fleet/schema_apply.py), or 0."""
    async with pg.connect(admin_dsn, database) as conn:
        cur = await conn.execute(
            "SELECT to_regclass(format('%%I.paybill_schema_migrations', %s::text)) IS NOT NULL",
            (schema,),
        )
        row = await cur.fetchone()
        if not (row and row[0]):
            return 0
        cur = await conn.execute(
            sql.SQL("SELECT coalesce(max(version), 0) FROM {}.paybill_schema_migrations").format(
                sql.Identifier(schema)
            )
        )
        row = await cur.fetchone()
    return int(row[0]) if row else 0
