"""The SQL that makes a pool apply's new members' objects, all members in one go.

`postgres_admin.ensure_tenant_objects` makes one tenant's objects: ~10 admin sessions and one
hold of the server's catalog lock. A pool apply with N new members did that N times (a few at
a time, each waiting for the lock). Here one hold of the pool database's catalog lock
(`pg_session.catalog_locked`) covers the whole batch, with one
admin session on the server and one in the pool's database, and every member's statements sent
together (a few round trips per batch, not per member).

The guarantees are `postgres_admin`'s: every statement is idempotent (existence read under the
catalog lock, `IF NOT EXISTS`, re-asserted grants), passwords reach the server only as SCRAM
verifiers, and each session watches its client (`client_connection_check_interval`), so a
worker killed mid-batch leaves objects the next attempt finishes and holds no lock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import psycopg
from psycopg import sql

from paybill_control_plane.datatier import pg_session
from paybill_control_plane.datatier import postgres_admin as pg
from paybill_control_plane.datatier.names import TenantNames

# Statements per round trip: a multi-statement query runs as one implicit transaction, so a
# chunk is made entirely or not at all.
_MEMBERS_PER_ROUND_TRIP = 50


@dataclass(frozen=True, slots=True)
class LoginChange:
    """What a member's logins need after its objects exist: a first password on `set_password`
    (as a SCRAM verifier), or `allow` (LOGIN) on an existing login, or `block` both logins."""

    names: TenantNames
    login: str
    password: str | None  # a new password for `login` (it gets LOGIN with it)
    suspended: bool


def _chunks(items: Sequence[TenantNames]) -> list[Sequence[TenantNames]]:
    size = _MEMBERS_PER_ROUND_TRIP
    return [items[i : i + size] for i in range(0, len(items), size)]


def _joined(statements: list[sql.Composable]) -> sql.Composed:
    return sql.SQL(";\n").join(statements)


def _role_statements(
    names: TenantNames, existing: set[str], joins_owner: bool
) -> list[sql.Composable]:
    """One member's roles, grants and settings (`ensure_roles` + its CONNECT grant)."""
    owner = sql.Identifier(names.owner)
    statements: list[sql.Composable] = []
    for role in (names.owner, *names.logins):
        if role not in existing:
            statements.append(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
    if joins_owner:
        statements.append(sql.SQL("GRANT {} TO CURRENT_USER").format(owner))
    for login in names.logins:
        ident = sql.Identifier(login)
        statements.append(sql.SQL("GRANT {} TO {}").format(owner, ident))
        statements.append(
            sql.SQL("ALTER ROLE {} SET role = {}").format(ident, sql.Literal(names.owner))
        )
        statements.append(
            sql.SQL("ALTER ROLE {} IN DATABASE {} SET search_path = {}").format(
                ident, sql.Identifier(names.database), sql.Identifier(names.schema or "public")
            )
        )
    statements.append(
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(names.database), owner)
    )
    return statements


def _schema_statements(names: TenantNames) -> list[sql.Composable]:
    assert names.schema is not None
    schema, owner = sql.Identifier(names.schema), sql.Identifier(names.owner)
    return [
        sql.SQL("CREATE SCHEMA IF NOT EXISTS {} AUTHORIZATION {}").format(schema, owner),
        sql.SQL("ALTER SCHEMA {} OWNER TO {}").format(schema, owner),
        sql.SQL("REVOKE ALL ON SCHEMA {} FROM PUBLIC").format(schema),
    ]


def _all_roles(members: Sequence[TenantNames]) -> list[str]:
    return [role for names in members for role in (names.owner, *names.logins)]


async def ensure_pooled_members(
    admin_dsn: str, database: str, members: Sequence[TenantNames], changes: Sequence[LoginChange]
) -> None:
    """The pool's database, and every member's roles, grants and schema, made or finished;
    then each member's logins as `changes` say. One catalog-lock hold for the whole batch."""
    if not members:
        return
    assert all(m.database == database and m.schema is not None for m in members)
    async with pg.catalog_lock(admin_dsn, database):
        await pg.ensure_database(admin_dsn, database)
        async with pg.connect(admin_dsn) as conn:
            existing = await pg_session.existing_roles(conn, _all_roles(members))
            joins_owner = not await pg_session.is_superuser(conn)
            for chunk in _chunks(members):
                statements = [
                    s for names in chunk for s in _role_statements(names, existing, joins_owner)
                ]
                await conn.execute(_joined(statements))
            await _apply_logins(conn, changes)
        async with pg.connect(admin_dsn, database) as conn:
            for chunk in _chunks(members):
                await conn.execute(_joined([s for n in chunk for s in _schema_statements(n)]))


async def _apply_logins(conn: psycopg.AsyncConnection, changes: Sequence[LoginChange]) -> None:
    """First passwords, expired other logins off, each member's logins on or blocked."""
    statements: list[sql.Composable] = []
    blocked: list[str] = []
    others = [c.names.other_login(c.login) for c in changes]
    for role in await pg_session.expired_logins(conn, others):
        statements.append(sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(role)))
    for change in changes:
        login = sql.Identifier(change.login)
        if change.password is not None:
            verifier = pg_session.scram_verifier(conn, change.login, change.password)
            statements.append(
                sql.SQL("ALTER ROLE {} LOGIN PASSWORD {} VALID UNTIL 'infinity'").format(
                    login, sql.Literal(verifier)
                )
            )
        if change.suspended:
            for role in change.names.logins:
                statements.append(sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(role)))
            blocked.extend(change.names.logins)
        elif change.password is None:
            statements.append(sql.SQL("ALTER ROLE {} LOGIN").format(login))
    for start in range(0, len(statements), _MEMBERS_PER_ROUND_TRIP * 3):
        await conn.execute(_joined(statements[start : start + _MEMBERS_PER_ROUND_TRIP * 3]))
    if blocked:
        await pg.terminate_sessions(conn, blocked)
