"""The data tier's admin statements on an open session (`postgres_admin.connect`).

`postgres_admin` opens a session per call, for callers that make one change. A tenant's whole
ensure (`provision.ensure_tenant_database`) runs these on one admin session plus one in the
tenant's database: each session is a Postgres backend started (a fork, authentication, a cold
catalog cache) and the ensure used to open eleven, about half of its time. Every function is
idempotent, like `postgres_admin`'s; identifiers go through `sql.Identifier`, and passwords
reach the server only as SCRAM verifiers.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import psycopg
from psycopg import sql

from paybill_control_plane.datatier.names import TenantNames

# Advisory-lock keys for the data tier's catalog changes, one per database (any control plane
# sharing the server takes the same ones): GRANT/REVOKE/ALTER on one database rewrite its
# `pg_database` row (and, inside it, its `public` schema's `pg_namespace` row), and two
# sessions doing that at once fail one of them with "tuple concurrently updated" instead of
# waiting. Only changes of the same database conflict: the members of one pool (they share
# its database), a switch and an ensure of the same tenant. One key for the whole server made
# every ensure wait for any other tenant's (a DROP DATABASE under it waits for a checkpoint,
# seconds on a busy server). Keys are (class, 32 bits of the name's SHA-256): a collision only
# serialises two unrelated databases.
CATALOG_LOCK_CLASS = int.from_bytes(b"pbdb", "big")

Conn = psycopg.AsyncConnection


def catalog_key(database: str) -> int:
    """The lock's second key for `database` (a signed 32-bit integer)."""
    return int.from_bytes(hashlib.sha256(database.encode()).digest()[:4], "big", signed=True)


@asynccontextmanager
async def catalog_locked(conn: Conn, database: str, *more: str) -> AsyncIterator[None]:
    """Hold the catalog-change locks of `database` and `more` on this (admin database) session, taken in
    one order so two holders of several never deadlock. Advisory locks are per database: take
    them on a session of the admin database, whichever database the guarded statements run in.
    They also end with the session (a killed worker's included)."""
    keys = sorted({catalog_key(d) for d in (database, *more)})
    for key in keys:
        await conn.execute("SELECT pg_advisory_lock(%s, %s)", (CATALOG_LOCK_CLASS, key))
    try:
        yield
    finally:
        if not conn.closed:
            for key in reversed(keys):
                await conn.execute("SELECT pg_advisory_unlock(%s, %s)", (CATALOG_LOCK_CLASS, key))


async def _exists(conn: Conn, query: str, name: str) -> bool:
    cur = await conn.execute(query, (name,))
    return await cur.fetchone() is not None


async def role_exists(conn: Conn, role: str) -> bool:
    return await _exists(conn, "SELECT 1 FROM pg_roles WHERE rolname = %s", role)


async def database_exists(conn: Conn, database: str) -> bool:
    return await _exists(conn, "SELECT 1 FROM pg_database WHERE datname = %s", database)


async def create_role(conn: Conn, role: str) -> None:
    if await role_exists(conn, role):
        return
    # A concurrent attempt may make it between the check and the CREATE.
    with contextlib.suppress(psycopg.errors.DuplicateObject, psycopg.errors.UniqueViolation):
        await conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))


async def existing_roles(conn: Conn, roles: Sequence[str]) -> set[str]:
    """Which of `roles` exist on the server (one round trip)."""
    cur = await conn.execute("SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", (list(roles),))
    return {row[0] for row in await cur.fetchall()}


async def is_superuser(conn: Conn) -> bool:
    cur = await conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    found = await cur.fetchone()
    return bool(found and found[0])


async def admin_joins(conn: Conn, roles: Sequence[str]) -> None:
    """A managed server's admin is no superuser (RDS, Cloud SQL, flexible server...): it may
    hand objects to a role, or drop what a role owns, only as one of its members."""
    if await is_superuser(conn):
        return
    for role in roles:
        await conn.execute(sql.SQL("GRANT {} TO CURRENT_USER").format(sql.Identifier(role)))


async def ensure_database(conn: Conn, database: str, *, connection_limit: int | None) -> bool:
    """The database exists and PUBLIC may not connect to it; True if made. (Its `public`
    schema is closed from a session in it: `finish_database`.)"""
    made = False
    if not await database_exists(conn, database):
        try:
            await conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
            made = True
        except (psycopg.errors.DuplicateDatabase, psycopg.errors.UniqueViolation):
            pass
    db = sql.Identifier(database)
    await conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(db))
    limit = -1 if connection_limit is None else connection_limit
    await conn.execute(
        sql.SQL("ALTER DATABASE {} CONNECTION LIMIT {}").format(db, sql.Literal(limit))
    )
    return made


async def ensure_roles(conn: Conn, names: TenantNames) -> None:
    """The NOLOGIN owner role and its two login roles; a login acts as the owner (SET ROLE)."""
    await create_role(conn, names.owner)
    owner = sql.Identifier(names.owner)
    await admin_joins(conn, [names.owner])
    for login in names.logins:
        await create_role(conn, login)
        ident = sql.Identifier(login)
        await conn.execute(sql.SQL("GRANT {} TO {}").format(owner, ident))
        # Objects a login creates belong to the owner, so the other login (after a rotation)
        # reaches them too.
        await conn.execute(
            sql.SQL("ALTER ROLE {} SET role = {}").format(ident, sql.Literal(names.owner))
        )
        if names.schema is not None:
            await conn.execute(
                sql.SQL("ALTER ROLE {} IN DATABASE {} SET search_path = {}").format(
                    ident, sql.Identifier(names.database), sql.Identifier(names.schema)
                )
            )


async def grant_connect(conn: Conn, names: TenantNames) -> None:
    await conn.execute(
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
            sql.Identifier(names.database), sql.Identifier(names.owner)
        )
    )


async def finish_database(conn: Conn, names: TenantNames) -> None:
    """In the tenant's database: its `public` schema closed to PUBLIC and, for a silo or
    bridge, owned by the owner role; a pooled tenant's schema made and owned."""
    owner = sql.Identifier(names.owner)
    await conn.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC")
    if names.schema is None:
        await conn.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(owner))
        return
    schema = sql.Identifier(names.schema)
    await conn.execute(
        sql.SQL("CREATE SCHEMA IF NOT EXISTS {} AUTHORIZATION {}").format(schema, owner)
    )
    await conn.execute(sql.SQL("ALTER SCHEMA {} OWNER TO {}").format(schema, owner))
    await conn.execute(sql.SQL("REVOKE ALL ON SCHEMA {} FROM PUBLIC").format(schema))


def scram_verifier(conn: Conn, role: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of `password` for `role`, computed by libpq on this side."""
    raw = conn.pgconn.encrypt_password(password.encode(), role.encode(), b"scram-sha-256")
    return raw.decode()


async def set_password(
    conn: Conn, role: str, verifier: str, *, valid_until: str = "infinity"
) -> None:
    """`role` logs in with the password behind `verifier` (never the password itself)."""
    await conn.execute(
        sql.SQL("ALTER ROLE {} LOGIN PASSWORD {} VALID UNTIL {}").format(
            sql.Identifier(role), sql.Literal(verifier), sql.Literal(valid_until)
        )
    )


async def expired_logins(conn: Conn, roles: Sequence[str]) -> list[str]:
    """Which of `roles` may still log in although their grace (VALID UNTIL) has passed."""
    cur = await conn.execute(
        "SELECT rolname FROM pg_roles WHERE rolname = ANY(%s) AND rolcanlogin "
        "AND rolvaliduntil IS NOT NULL AND rolvaliduntil < now()",
        (list(roles),),
    )
    return [row[0] for row in await cur.fetchall()]


async def disable_expired_logins(conn: Conn, roles: Sequence[str]) -> None:
    """A login whose grace has passed gets NOLOGIN too (trust/peer auth ignores VALID UNTIL)."""
    for role in await expired_logins(conn, roles):
        await conn.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(role)))


async def terminate_sessions(conn: Conn, roles: Sequence[str]) -> int:
    cur = await conn.execute(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE usename = ANY(%s) AND pid <> pg_backend_pid()",
        (list(roles),),
    )
    row = await cur.fetchone()
    return int(row[0]) if row else 0


async def block_logins(conn: Conn, names: TenantNames) -> int:
    """NOLOGIN on both logins, then their sessions are ended; returns how many were."""
    present = [r for r in names.logins if await role_exists(conn, r)]
    for role in present:
        await conn.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(role)))
    return await terminate_sessions(conn, present)


async def allow_login(conn: Conn, role: str) -> None:
    await conn.execute(sql.SQL("ALTER ROLE {} LOGIN").format(sql.Identifier(role)))


async def control_plane_database_closed(conn: Conn, database: str, user: str) -> bool:
    """No CONNECT for PUBLIC on `database`, and an explicit one for `user` (if it exists)."""
    cur = await conn.execute(
        "SELECT a.grantee, a.privilege_type FROM pg_database d, "
        "aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a "
        "WHERE d.datname = %s AND a.privilege_type = 'CONNECT'",
        (database,),
    )
    grantees = {row[0] for row in await cur.fetchall()}
    if 0 in grantees:  # 0 is PUBLIC
        return False
    if not user:
        return True
    cur = await conn.execute("SELECT oid FROM pg_roles WHERE rolname = %s", (user,))
    row = await cur.fetchone()
    return row is None or row[0] in grantees


async def close_control_plane_database(conn: Conn, database: str, user: str) -> None:
    """PUBLIC loses CONNECT on the control plane's database, its own user keeps it by an
    explicit grant (superusers bypass it). Call under the database's catalog lock."""
    if not await database_exists(conn, database):
        return
    db = sql.Identifier(database)
    if user and await role_exists(conn, user):
        await conn.execute(
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(db, sql.Identifier(user))
        )
    await conn.execute(sql.SQL("REVOKE CONNECT ON DATABASE {} FROM PUBLIC").format(db))
