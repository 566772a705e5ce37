"""Change capture on a tenant's tables while its data is copied elsewhere: what changed since the
bulk copy started, so the write freeze copies only that (datatier/delta_copy.py applies it).

`start_capture` installs, in one transaction and *before* the bulk copy's dump is taken:
  - a schema `paybill_capture_<tag>` in the side's database (owned by the admin, no grants), with
    a change log `log(seq, tbl, pk text[])` and `state(catalog)`;
  - on every table of the tenant's schema an AFTER row trigger (tables with a primary key: the
    old and new key of each insert, update and delete, as text under fixed output settings) or an
    AFTER statement trigger (tables without one: "the whole table changed"), and a TRUNCATE
    statement trigger (the whole table). The trigger functions are SECURITY DEFINER (the tenant's
    roles have no right on the capture schema) and callable by no one else;
  - a fingerprint of the schema's catalog (tables, columns, constraints, indexes, triggers and
    their enabled state, views, routines, types, policies), taken after the triggers exist.

Why this is complete: CREATE TRIGGER waits for every transaction that has written the table and
commits before the dump's snapshot is taken, so a change is either in the dump or in the log. A
change to the schema itself (DDL), a dropped or disabled capture trigger, or a lost capture shows
as a different catalog fingerprint at cutover: the caller then copies the whole data again.

The log is an ordinary (WAL-logged) table: it survives a server restart and a killed worker. A
capture is dropped whole (`DROP SCHEMA … CASCADE` takes its triggers along); starting one again
drops the old one first (a copy phase run again dumps again, after the new capture).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from paybill_control_plane.datatier.fingerprint import connect_target
from paybill_control_plane.datatier.names import CAPTURE_SCHEMA_PREFIX, CAPTURE_TRIGGER_PREFIX
from paybill_control_plane.datatier.target import DatabaseTarget

TRIGGER_PREFIX = CAPTURE_TRIGGER_PREFIX
# Keys are logged as text and read back with these settings on both sides (a session's own
# DateStyle or TimeZone would otherwise change how a timestamp key is printed).
OUTPUT_SETTINGS = {
    "search_path": "pg_catalog, pg_temp",
    "datestyle": "ISO, YMD",
    "timezone": "UTC",
    "intervalstyle": "postgres",
    "extra_float_digits": "3",
    "bytea_output": "hex",
}

_TABLES = """
SELECT c.relname,
  coalesce((SELECT array_agg(a.attname::text ORDER BY k.ord)
            FROM pg_index i CROSS JOIN unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE i.indrelid = c.oid AND i.indisprimary), '{}') AS key_columns,
  coalesce((SELECT array_agg(format_type(a.atttypid, a.atttypmod) ORDER BY k.ord)
            FROM pg_index i CROSS JOIN unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE i.indrelid = c.oid AND i.indisprimary), '{}') AS key_types,
  coalesce((SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
            WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
              AND a.attgenerated = ''), '{}') AS columns
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %s AND c.relkind = 'r'
ORDER BY 1
"""

_CATALOG = """
WITH s AS (SELECT oid FROM pg_namespace WHERE nspname = %(s)s),
rel AS (SELECT c.* FROM pg_class c JOIN s ON c.relnamespace = s.oid)
SELECT md5(coalesce(string_agg(x, E'\\n' ORDER BY x), '')) FROM (
  SELECT concat_ws(' ', 'r', relname, relkind, relpersistence, relrowsecurity) FROM rel
  UNION ALL
  SELECT concat_ws(' ', 'a', c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),
                   a.attnotnull, a.attgenerated, a.attidentity, pg_get_expr(d.adbin, d.adrelid))
  FROM pg_attribute a JOIN rel c ON c.oid = a.attrelid
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT concat_ws(' ', 'c', o.conname, pg_get_constraintdef(o.oid))
  FROM pg_constraint o JOIN s ON o.connamespace = s.oid
  UNION ALL
  SELECT concat_ws(' ', 'i', pg_get_indexdef(i.indexrelid))
  FROM pg_index i JOIN rel c ON c.oid = i.indrelid
  UNION ALL
  SELECT concat_ws(' ', 't', c.relname, t.tgname, t.tgenabled, pg_get_triggerdef(t.oid))
  FROM pg_trigger t JOIN rel c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal
  UNION ALL
  SELECT concat_ws(' ', 'v', relname, pg_get_viewdef(oid)) FROM rel WHERE relkind IN ('v', 'm')
  UNION ALL
  SELECT concat_ws(' ', 'f', p.oid::regprocedure, p.prorettype::regtype, md5(p.prosrc))
  FROM pg_proc p JOIN s ON p.pronamespace = s.oid
  UNION ALL
  SELECT concat_ws(' ', 'y', t.typname, t.typtype, t.typbasetype::regtype)
  FROM pg_type t JOIN s ON t.typnamespace = s.oid
  UNION ALL
  SELECT concat_ws(' ', 'e', t.typname, e.enumsortorder, e.enumlabel)
  FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid JOIN s ON t.typnamespace = s.oid
  UNION ALL
  SELECT concat_ws(' ', 'p', c.relname, p.polname, p.polcmd, p.polpermissive,
                   pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid))
  FROM pg_policy p JOIN rel c ON c.oid = p.polrelid
) q(x)
"""


class CaptureUnusable(RuntimeError):
    """No capture, or the schema changed since it started: copy the whole data instead."""


@dataclass(frozen=True, slots=True)
class TableInfo:
    name: str
    key_columns: tuple[str, ...]  # the primary key's; empty: no primary key
    key_types: tuple[str, ...]  # their types, qualified as this side's catalog names them
    columns: tuple[str, ...]  # every column a COPY writes (not generated ones)


def capture_schema(side: DatabaseTarget) -> str:
    """The capture's schema in the side's database (one per tenant schema: a pool database holds
    several tenants' captures)."""
    key = f"{side.database}/{side.schema}".encode()
    return CAPTURE_SCHEMA_PREFIX + hashlib.sha256(key).hexdigest()[:16]


async def connect(side: DatabaseTarget, **kwargs: Any) -> psycopg.AsyncConnection[Any]:
    """An admin connection to the side's database with the capture's output settings."""
    conn = await psycopg.AsyncConnection.connect(connect_target(side), **kwargs)
    for name, value in OUTPUT_SETTINGS.items():
        await conn.execute(
            sql.SQL("SELECT set_config({}, {}, false)").format(
                sql.Literal(name), sql.Literal(value)
            )
        )
    if not conn.autocommit:
        await conn.commit()
    return conn


async def tables_of(conn: psycopg.AsyncConnection[Any], schema: str) -> dict[str, TableInfo]:
    cur = await conn.execute(_TABLES, (schema,))
    return {
        name: TableInfo(name, tuple(keys), tuple(types), tuple(cols))
        for name, keys, types, cols in await cur.fetchall()
    }


async def catalog_fingerprint(conn: psycopg.AsyncConnection[Any], schema: str) -> str:
    cur = await conn.execute(_CATALOG, {"s": schema})
    row = await cur.fetchone()
    assert row is not None
    return str(row[0])


def _row_function(cap: str, table: TableInfo) -> sql.Composed:
    log = sql.Identifier(cap, "log")

    def key(rec: str) -> sql.Composable:
        return sql.SQL(", ").join(
            sql.SQL("{}.{}::text").format(sql.SQL(rec), sql.Identifier(c))
            for c in table.key_columns
        )

    settings = sql.SQL(" ").join(
        sql.SQL("SET {} = {}").format(sql.SQL(k), sql.Literal(v))
        for k, v in OUTPUT_SETTINGS.items()
    )
    return sql.SQL(
        "CREATE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER {settings} AS $f$\n"
        "BEGIN\n"
        "  IF TG_OP <> 'INSERT' THEN\n"
        "    INSERT INTO {log} (tbl, pk) VALUES (TG_TABLE_NAME, ARRAY[{old}]);\n"
        "  END IF;\n"
        "  IF TG_OP = 'INSERT' OR (ARRAY[{new}] IS DISTINCT FROM ARRAY[{old}]) THEN\n"
        "    INSERT INTO {log} (tbl, pk) VALUES (TG_TABLE_NAME, ARRAY[{new}]);\n"
        "  END IF;\n"
        "  RETURN NULL;\n"
        "END $f$"
    ).format(
        fn=sql.Identifier(cap, "row_" + hashlib.sha256(table.name.encode()).hexdigest()[:16]),
        settings=settings,
        log=log,
        old=key("OLD"),
        new=key("NEW"),
    )


async def start_capture(side: DatabaseTarget) -> int:
    """(Re)install the capture on the side's tenant schema, with an empty log; returns how many
    tables it covers. Waits for the tables' writers (CREATE TRIGGER's lock)."""
    schema = str(side.schema)
    cap = capture_schema(side)
    conn = await connect(side)
    try:
        async with conn.transaction():
            ident = sql.Identifier(cap)
            await conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(ident))
            await conn.execute(sql.SQL("CREATE SCHEMA {}").format(ident))
            await conn.execute(sql.SQL("REVOKE ALL ON SCHEMA {} FROM PUBLIC").format(ident))
            await conn.execute(
                sql.SQL(
                    "CREATE TABLE {} (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
                    "tbl text NOT NULL, pk text[])"
                ).format(sql.Identifier(cap, "log"))
            )
            await conn.execute(
                sql.SQL("CREATE TABLE {} (catalog text NOT NULL)").format(
                    sql.Identifier(cap, "state")
                )
            )
            whole = sql.Identifier(cap, "whole_table")
            await conn.execute(
                sql.SQL(
                    "CREATE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
                    "SET search_path = pg_catalog, pg_temp AS $f$ BEGIN "
                    "INSERT INTO {} (tbl) VALUES (TG_TABLE_NAME); RETURN NULL; END $f$"
                ).format(whole, sql.Identifier(cap, "log"))
            )
            tables = await tables_of(conn, schema)
            for table in tables.values():
                await _install_triggers(conn, cap, schema, table, whole)
            await conn.execute(
                sql.SQL("REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {} FROM PUBLIC").format(ident)
            )
            catalog = await catalog_fingerprint(conn, schema)
            await conn.execute(
                sql.SQL("INSERT INTO {} (catalog) VALUES (%s)").format(
                    sql.Identifier(cap, "state")
                ),
                (catalog,),
            )
        return len(tables)
    finally:
        await conn.close()


async def _install_triggers(
    conn: psycopg.AsyncConnection[Any],
    cap: str,
    schema: str,
    table: TableInfo,
    whole: sql.Identifier,
) -> None:
    rel = sql.Identifier(schema, table.name)
    if table.key_columns:
        fn = _row_function(cap, table)
        await conn.execute(fn)
        name = sql.Identifier(cap, "row_" + hashlib.sha256(table.name.encode()).hexdigest()[:16])
        await conn.execute(
            sql.SQL(
                "CREATE TRIGGER {} AFTER INSERT OR UPDATE OR DELETE ON {} "
                "FOR EACH ROW EXECUTE FUNCTION {}()"
            ).format(sql.Identifier(TRIGGER_PREFIX + "row"), rel, name)
        )
        events = sql.SQL("TRUNCATE")
    else:
        events = sql.SQL("INSERT OR UPDATE OR DELETE OR TRUNCATE")
    await conn.execute(
        sql.SQL("CREATE TRIGGER {} AFTER {} ON {} FOR EACH STATEMENT EXECUTE FUNCTION {}()").format(
            sql.Identifier(TRIGGER_PREFIX + "stmt"), events, rel, whole
        )
    )


async def capture_exists(side: DatabaseTarget) -> bool:
    try:
        conn = await connect(side, autocommit=True)
    except psycopg.OperationalError:  # the side's database is gone
        return False
    async with conn:
        cur = await conn.execute(
            "SELECT 1 FROM pg_namespace WHERE nspname = %s", (capture_schema(side),)
        )
        return await cur.fetchone() is not None


async def stop_capture(side: DatabaseTarget) -> None:
    """Drop the side's capture (its triggers go with it); absent (or its database) is fine."""
    if not await capture_exists(side):
        return
    async with await connect(side, autocommit=True) as conn:
        await conn.execute(
            sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(capture_schema(side)))
        )


async def check_capture(conn: psycopg.AsyncConnection[Any], side: DatabaseTarget) -> None:
    """Raise CaptureUnusable unless the side has a capture whose catalog is unchanged (no DDL, no
    capture trigger dropped or disabled since it started)."""
    cap = capture_schema(side)
    cur = await conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (cap,))
    if await cur.fetchone() is None:
        raise CaptureUnusable("no change capture on the source")
    cur = await conn.execute(sql.SQL("SELECT catalog FROM {}").format(sql.Identifier(cap, "state")))
    row = await cur.fetchone()
    if row is None or row[0] != await catalog_fingerprint(conn, str(side.schema)):
        raise CaptureUnusable("the source's schema changed since the bulk copy (DDL)")


async def changed(
    conn: psycopg.AsyncConnection[Any], side: DatabaseTarget
) -> tuple[set[str], dict[str, list[list[str]]]]:
    """(tables changed whole, the changed keys of the others), from the side's log."""
    log = sql.Identifier(capture_schema(side), "log")
    cur = await conn.execute(sql.SQL("SELECT DISTINCT tbl FROM {} WHERE pk IS NULL").format(log))
    whole = {str(r[0]) for r in await cur.fetchall()}
    cur = await conn.execute(
        sql.SQL("SELECT DISTINCT tbl, pk FROM {} WHERE pk IS NOT NULL").format(log)
    )
    keys: dict[str, list[list[str]]] = {}
    for tbl, pk in await cur.fetchall():
        if tbl not in whole:
            keys.setdefault(str(tbl), []).append(list(pk))
    return whole, keys
