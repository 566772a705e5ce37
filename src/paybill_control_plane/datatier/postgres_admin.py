"""The SQL that makes, changes and drops a tenant's Postgres objects, as the server's admin.

Every function is idempotent and safe to call again after a crash at any point: it checks what
exists and finishes the rest (CREATE DATABASE is atomic in Postgres; roles, grants and schemas
are re-asserted each time). Identifiers always go through `sql.Identifier`, and passwords reach
the server only as SCRAM verifiers computed on this side, so no statement (nor a server log of
it) holds a password.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from paybill_control_plane.datatier import pg_session as s
from paybill_control_plane.datatier.names import TenantNames
from paybill_control_plane.datatier.pg_session import (
    database_exists,
    role_exists,
    terminate_sessions,
)

__all__ = ["database_exists", "role_exists", "terminate_sessions"]  # re-exported for callers

_CONNECT_TIMEOUT = 10


# The tables of schema `%(s)s` (plain, partitioned, foreign), tagged 'TABLE' with their quoted
# name, and UNION ALL for what follows: the start of the object lists of a schema copy and a
# pooled switch.
SCHEMA_TABLES = sql.SQL("""
SELECT 'TABLE', format('%%I.%%I', n.nspname, c.relname) FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = %(s)s AND c.relkind IN ('r', 'p', 'f')
UNION ALL
""")
# The types of schema `%(s)s` that have an owner of their own (enums, domains, ranges, free-standing
# composites; a table's row type and array types follow their owner), tagged 'TYPE' with their
# quoted name: part of the object lists of a schema copy and a pooled switch.
SCHEMA_TYPES = sql.SQL("""\
SELECT 'TYPE', format('%%I.%%I', n.nspname, t.typname) FROM pg_type t
  JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE n.nspname = %(s)s AND t.typtype IN ('e', 'd', 'r', 'c') AND t.typelem = 0
    AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
""")


def with_database(admin_dsn: str, database: str) -> str:
    """The admin connection string pointed at another database of the same server."""
    return make_conninfo(admin_dsn, dbname=database)


def server_of(admin_dsn: str) -> tuple[str | None, int]:
    """(host, port) the server's clients use: the admin connection's own (None: local socket)."""
    params = conninfo_to_dict(admin_dsn)
    host = params.get("host") or params.get("hostaddr")
    port = int(str(params.get("port") or 5432).split(",")[0])
    return (str(host).split(",")[0] if host else None), port


async def watch_client(conn: psycopg.AsyncConnection) -> None:
    """Make the server end this session's statement within a second of its client vanishing
    (PostgreSQL 14+, `client_connection_check_interval`). A worker killed (-9) mid-statement
    otherwise leaves its backend running the statement to its end, holding its transaction's
    locks (a slow tenant migration's per-tenant lock, say) against the next attempt."""
    if conn.info.server_version >= 140000:
        await conn.execute("SET client_connection_check_interval = 1000")


@asynccontextmanager
async def connect(
    admin_dsn: str, database: str | None = None
) -> AsyncIterator[psycopg.AsyncConnection]:
    dsn = with_database(admin_dsn, database) if database else admin_dsn
    conn = await psycopg.AsyncConnection.connect(
        dsn, autocommit=True, connect_timeout=_CONNECT_TIMEOUT
    )
    try:
        await watch_client(conn)
        yield conn
    finally:
        await conn.close()


@asynccontextmanager
async def catalog_lock(admin_dsn: str, database: str, *more: str) -> AsyncIterator[None]:
    """Hold the catalog-change locks of `database` (and `more`) on a session of its own
    (`pg_session.catalog_locked`), whichever database the guarded statements run in. At least
    one database: the keys are per database, so none would guard nothing."""
    async with connect(admin_dsn) as conn, s.catalog_locked(conn, database, *more):
        yield


async def existing_roles(admin_dsn: str, roles: Sequence[str]) -> set[str]:
    """Which of `roles` exist on the server (one round trip)."""
    if not roles:
        return set()
    async with connect(admin_dsn) as conn:
        return await s.existing_roles(conn, roles)


async def ensure_database(
    admin_dsn: str, database: str, *, connection_limit: int | None = None
) -> bool:
    """The database exists, PUBLIC may not connect to it nor use its public schema; True if made."""
    async with connect(admin_dsn) as conn:
        made = await s.ensure_database(conn, database, connection_limit=connection_limit)
    async with connect(admin_dsn, database) as conn:
        await conn.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC")
    return made


async def ensure_tenant_objects(
    admin_dsn: str, names: TenantNames, *, connection_limit: int | None = None
) -> None:
    """Database (bridge, silo) or schema (pooled), roles and grants: made or finished."""
    async with connect(admin_dsn) as conn:
        await ensure_tenant_objects_on(conn, admin_dsn, names, connection_limit=connection_limit)


async def ensure_tenant_objects_on(
    conn: psycopg.AsyncConnection,
    admin_dsn: str,
    names: TenantNames,
    *,
    connection_limit: int | None = None,
    control_plane: tuple[str, str] | None = None,
) -> None:
    """`ensure_tenant_objects` on an open admin session (and one in the tenant's database),
    under the catalog lock; `control_plane`: (database, user) to close to tenants first."""
    if control_plane is not None:
        database, user = control_plane
        if not await s.control_plane_database_closed(conn, database, user):
            async with s.catalog_locked(conn, database):
                await s.close_control_plane_database(conn, database, user)
    async with s.catalog_locked(conn, names.database):
        await s.ensure_database(conn, names.database, connection_limit=connection_limit)
        await s.ensure_roles(conn, names)
        await s.grant_connect(conn, names)
        async with connect(admin_dsn, names.database) as tenant_conn:
            await s.finish_database(tenant_conn, names)


async def scram_verifier(admin_dsn: str, role: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of `password` for `role`, computed by libpq on this side."""
    async with connect(admin_dsn) as conn:
        return s.scram_verifier(conn, role, password)


async def set_password(
    admin_dsn: str, role: str, verifier: str, *, valid_until: str = "infinity"
) -> None:
    """`role` logs in with the password behind `verifier` (never the password itself)."""
    async with connect(admin_dsn) as conn:
        await s.set_password(conn, role, verifier, valid_until=valid_until)


async def expire_login(admin_dsn: str, role: str, grace_seconds: float) -> None:
    """The role's password stops working `grace_seconds` from now (the server's clock)."""
    async with connect(admin_dsn) as conn:
        cur = await conn.execute(
            "SELECT (now() + make_interval(secs => %s))::text", (grace_seconds,)
        )
        row = await cur.fetchone()
        assert row is not None
        await conn.execute(
            sql.SQL("ALTER ROLE {} VALID UNTIL {}").format(
                sql.Identifier(role), sql.Literal(row[0])
            )
        )


async def disable_expired_logins(admin_dsn: str, roles: Sequence[str]) -> None:
    """A login whose grace has passed gets NOLOGIN too (trust/peer auth ignores VALID UNTIL)."""
    async with connect(admin_dsn) as conn:
        await s.disable_expired_logins(conn, roles)


async def block_logins(admin_dsn: str, names: TenantNames) -> int:
    """NOLOGIN on both logins, then their sessions are ended; returns how many were."""
    async with connect(admin_dsn) as conn:
        return await s.block_logins(conn, names)


async def allow_login(admin_dsn: str, role: str) -> None:
    async with connect(admin_dsn) as conn:
        await s.allow_login(conn, role)


async def login_enabled(admin_dsn: str, role: str) -> bool:
    async with connect(admin_dsn) as conn:
        cur = await conn.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", (role,))
        row = await cur.fetchone()
    return bool(row and row[0])


async def _drop_roles(conn: psycopg.AsyncConnection, roles: Sequence[str]) -> None:
    for role in roles:
        await conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


async def drop_tenant_objects(admin_dsn: str, names: TenantNames) -> None:
    """The tenant's schema or database and its three roles are gone (missing ones are fine)."""
    roles = [names.owner, *names.logins]
    async with connect(admin_dsn) as conn, s.catalog_locked(conn, names.database):
        present = [r for r in roles if await s.role_exists(conn, r)]
        await s.admin_joins(conn, present)
        for login in names.logins:
            if login in present:
                await conn.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(login)))
        await s.terminate_sessions(conn, present)
        if names.schema is None:
            await conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(names.database)
                )
            )
        elif present and await s.database_exists(conn, names.database):
            async with connect(admin_dsn, names.database) as pool_conn:
                await pool_conn.execute(
                    sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(names.schema))
                )
                # Grants on the pool database and anything else the roles own there.
                await pool_conn.execute(
                    sql.SQL("DROP OWNED BY {}").format(
                        sql.SQL(", ").join(sql.Identifier(r) for r in present)
                    )
                )
        await _drop_roles(conn, [r for r in names.logins if r in present])
        await _drop_roles(conn, [names.owner] if names.owner in present else [])


async def drop_database(admin_dsn: str, database: str) -> None:
    """A whole database (a pool's, once it has no tenant left) is gone."""
    async with connect(admin_dsn) as conn:
        await conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
        )


async def purge_prefix(admin_dsn: str, prefix: str) -> tuple[int, int]:
    """Every database and role named `<prefix>_…` is dropped: (databases, roles). For tests and
    for retiring a whole control-plane instance; never called on a running instance's prefix."""
    start = prefix + "_"
    async with connect(admin_dsn) as conn:
        cur = await conn.execute(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s)", (start,)
        )
        databases = [r[0] for r in await cur.fetchall()]
        cur = await conn.execute(
            "SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s) "
            "ORDER BY length(rolname) DESC",
            (start,),
        )
        roles = [r[0] for r in await cur.fetchall()]
        await s.terminate_sessions(conn, roles)
        for database in databases:
            await drop_database(admin_dsn, database)
        for role in roles:
            # Privileges on databases that are not the prefix's (none by design) would block it.
            await conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
    return len(databases), len(roles)


async def close_control_plane_database(admin_dsn: str, database: str, user: str) -> None:
    """Tenant roles on the control plane's own server cannot connect to its database: PUBLIC
    loses CONNECT on it (its own user keeps it by an explicit grant; superusers bypass it).

    Every ensure does this, so once the database is closed it only reads the ACL; the change
    itself is made under the catalog lock (concurrent runs would race on the same row)."""
    async with connect(admin_dsn) as conn:
        if await s.control_plane_database_closed(conn, database, user):
            return
        async with s.catalog_locked(conn, database):
            await s.close_control_plane_database(conn, database, user)
