"""The SQL of a restore's switch: the restored database takes the tenant database's name.

The tenant's connection details (host, database, roles) stay as they are, so its application
reconnects to the restored data with the credentials it has; names stay derived from the
tenant (a later ensure finds the database it expects). The replaced database is renamed aside,
closed to the tenant's roles, and kept. Every step checks where it is, so a switch cut off at
any point is finished by asking again.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

from paybill_control_plane.datatier import postgres_admin as pg


class SwitchImpossible(RuntimeError):
    """The databases are not in a state a switch can start from or finish."""


async def _close_and_rename(conn: psycopg.AsyncConnection, old: str, new: str) -> None:
    db = sql.Identifier(old)
    # No new session may arrive between ending the sessions and the rename.
    await conn.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(db))
    await conn.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid()",
        (old,),
    )
    await conn.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(db, sql.Identifier(new)))


async def switch_databases(
    admin_dsn: str,
    *,
    live: str,
    restored: str,
    kept: str,
    owner: str,
    connection_limit: int | None,
) -> int:
    """`restored` becomes `live` (the old `live` becomes `kept`), owned and reachable by `owner`;
    returns the tenant schema version the restored data is at (its migration ledger's, or 0)."""
    async with pg.catalog_lock(admin_dsn, live, restored, kept), pg.connect(admin_dsn) as conn:
        has_restored = await pg.database_exists(conn, restored)
        has_live = await pg.database_exists(conn, live)
        has_kept = await pg.database_exists(conn, kept)
        if has_restored:
            if has_live and has_kept:
                raise SwitchImpossible(f"databases {live}, {restored} and {kept} all exist")
            if has_live:
                await _close_and_rename(conn, live, kept)
            await _close_and_rename(conn, restored, live)
        elif not (has_live and has_kept):
            raise SwitchImpossible(f"the restored database {restored} is gone")
        new, old = sql.Identifier(live), sql.Identifier(kept)
        role = sql.Identifier(owner)
        # The tenant's roles get CONNECT last, once everything in the database is theirs.
        await conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(new))
        await conn.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(new))
        async with pg.connect(admin_dsn, live) as db_conn:
            await _give_objects(db_conn, owner)
            version = await _ledger_version(db_conn)
        limit = -1 if connection_limit is None else connection_limit
        await conn.execute(
            sql.SQL("ALTER DATABASE {} CONNECTION LIMIT {}").format(new, sql.Literal(limit))
        )
        await conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(new, role))
        # The kept data is the operator's now: the tenant's roles lose their way into it.
        await conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(old))
        await conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM {}").format(old, role))
        await conn.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(old))
    return version


async def _ledger_version(conn: psycopg.AsyncConnection) -> int:
    """The newest tenant schema migration recorded in the database (fleet/schema_apply.py)."""
    cur = await conn.execute("SELECT to_regclass('public.paybill_schema_migrations') IS NOT NULL")
    row = await cur.fetchone()
    if not (row and row[0]):
        return 0
    cur = await conn.execute(
        "SELECT coalesce(max(version), 0) FROM public.paybill_schema_migrations"
    )
    row = await cur.fetchone()
    return int(row[0]) if row else 0


# The restored schemas: neither the catalog's nor the server's own (toast, temp).
_SCHEMAS = """
SELECT n.oid, n.nspname FROM pg_namespace n
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
"""
_RELATIONS = """
WITH s AS (SELECT n.oid, n.nspname FROM pg_namespace n
           WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
             AND n.nspname NOT LIKE 'pg\\_%')
SELECT s.nspname, c.relname, c.relkind FROM pg_class c JOIN s ON s.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
  AND NOT (c.relkind = 'S' AND EXISTS (
      SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass
      AND d.deptype IN ('a', 'i')))
"""
_ROUTINES = """
WITH s AS (SELECT n.oid FROM pg_namespace n
           WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
             AND n.nspname NOT LIKE 'pg\\_%')
SELECT p.oid::regprocedure::text, p.prokind FROM pg_proc p JOIN s ON s.oid = p.pronamespace
"""
_TYPES = """
WITH s AS (SELECT n.oid, n.nspname FROM pg_namespace n
           WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
             AND n.nspname NOT LIKE 'pg\\_%')
SELECT s.nspname, t.typname FROM pg_type t JOIN s ON s.oid = t.typnamespace
WHERE t.typtype IN ('e', 'd', 'r')
   OR (t.typtype = 'c' AND EXISTS (
       SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c'))
"""
_KINDS = {"v": "VIEW", "m": "MATERIALIZED VIEW", "f": "FOREIGN TABLE", "S": "SEQUENCE"}


async def _give_objects(conn: psycopg.AsyncConnection, owner: str) -> None:
    """The restore made the admin own everything (--no-owner): the tenant's owner role gets its
    schemas, tables, views, standalone sequences, functions and types back. (Sequences a column
    owns follow their table; ALTER on them directly is refused.)"""
    role = sql.Identifier(owner)
    await conn.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC")
    for _, schema in await (await conn.execute(_SCHEMAS)).fetchall():
        await conn.execute(
            sql.SQL("ALTER SCHEMA {} OWNER TO {}").format(sql.Identifier(schema), role)
        )
    for schema, name, kind in await (await conn.execute(_RELATIONS)).fetchall():
        await conn.execute(
            sql.SQL("ALTER {} {}.{} OWNER TO {}").format(
                sql.SQL(_KINDS.get(kind, "TABLE")),
                sql.Identifier(schema),
                sql.Identifier(name),
                role,
            )
        )
    for signature, kind in await (await conn.execute(_ROUTINES)).fetchall():
        what = "PROCEDURE" if kind == "p" else "AGGREGATE" if kind == "a" else "FUNCTION"
        await conn.execute(
            sql.SQL("ALTER {} {} OWNER TO {}").format(sql.SQL(what), sql.SQL(signature), role)
        )
    for schema, name in await (await conn.execute(_TYPES)).fetchall():
        await conn.execute(
            sql.SQL("ALTER TYPE {}.{} OWNER TO {}").format(
                sql.Identifier(schema), sql.Identifier(name), role
            )
        )
