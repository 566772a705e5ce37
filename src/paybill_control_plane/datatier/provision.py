"""Making, suspending, resuming and dropping `local` tenants' databases (the run's data phase).

Each function opens its own short transactions: the row is claimed (`creating`) and committed
before any object is made, the objects are made outside any control-plane transaction, and
the outcome is written and audited in a second transaction. Every step is idempotent, so a
worker killed at any point leaves state the next attempt finishes.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from paybill_control_plane.audit import service as audit
from paybill_control_plane.config import Settings
from paybill_control_plane.datatier import pg_session, repository
from paybill_control_plane.datatier import postgres_admin as pg
from paybill_control_plane.datatier.local_server import LocalDataServer, local_data_server
from paybill_control_plane.datatier.names import TenantNames, pool_database
from paybill_control_plane.datatier.secrets import seal
from paybill_control_plane.datatier.target import DatabaseTarget
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.models.enums import DatabaseStatus, IsolationModel
from paybill_control_plane.models.tenant_database import TenantDatabase

PASSWORD_BYTES = 24  # 192 bits, URL-safe base64: 32 characters


def new_password() -> str:
    return secrets.token_urlsafe(PASSWORD_BYTES)


@dataclass(frozen=True, slots=True)
class DataTierContext:
    """What every data-tier call needs: the control plane's sessions, settings and URL."""

    sessionmaker: async_sessionmaker[AsyncSession]
    settings: Settings
    control_plane_url: str

    @property
    def server(self) -> LocalDataServer:
        return local_data_server(self.settings, self.control_plane_url)


def _connection_limit(settings: Settings, model: IsolationModel) -> int | None:
    return settings.silo_connection_limit if model is IsolationModel.silo else None


def describe(row: TenantDatabase) -> dict[str, object]:
    """The audited (non-secret) shape of a row."""
    return {
        "status": row.status,
        "model": row.isolation_model,
        "database": row.database,
        "schema": row.schema,
        "username": row.username,
    }


async def ensure_tenant_database(
    ctx: DataTierContext,
    tenant_id: uuid.UUID,
    model: IsolationModel,
    pool_id: uuid.UUID | None,
    *,
    suspended: bool,
    actor: str,
    server: LocalDataServer | None = None,
) -> TenantDatabase:
    """The tenant's objects exist for `model` (made or finished), its login matches `suspended`.
    `server`: a cloud's managed server (datatier/managed.py); default the `local` one."""
    server = server or ctx.server
    names = server.names(model, tenant_id, pool_id)
    limit = _connection_limit(ctx.settings, model)
    async with transaction(ctx.sessionmaker) as session:
        row = await repository.claim_for_tenant(
            session, tenant_id, row_fields(server, names, model, pool_id, limit)
        )
        point_at(row, row_fields(server, names, model, pool_id, limit))
        row_id, before = row.id, describe(row)
        username = row.username
    username, password = await _ensure_objects(server, names, limit, username, suspended)
    async with transaction(ctx.sessionmaker) as session:
        found = await repository.get_for_tenant(session, tenant_id, lock=True)
        assert found is not None and found.id == row_id
        row = found
        if password is not None:  # else a rotation may have moved `username` on meanwhile
            row.username = username
            row.credentials_encrypted = seal(ctx.settings, row.id, username, password)
            row.credentials_rotated_at = utcnow()
        was = DatabaseStatus(before["status"])  # type: ignore[arg-type]
        row.status = DatabaseStatus.suspended if suspended else DatabaseStatus.available
        action = transition_action(was, DatabaseStatus(row.status))
        if action:
            await audit.record(
                session, actor=actor, action=action, target_type="tenant_database",
                target_id=row.id, tenant_id=tenant_id, before=before, after=describe(row),
            )  # fmt: skip
        return row


async def _ensure_objects(
    server: LocalDataServer,
    names: TenantNames,
    limit: int | None,
    username: str | None,
    suspended: bool,
) -> tuple[str, str | None]:
    """The tenant's objects made or finished and its logins set, on one admin session (and one
    in its database): each session is a server backend started. Returns the current login and,
    when it had none (`username` None), the first login's new password."""
    closing = (
        (server.control_plane_database, server.control_plane_user)
        if server.control_plane_database
        else None
    )
    password: str | None = None
    async with pg.connect(server.admin_dsn) as conn:
        await pg.ensure_tenant_objects_on(
            conn, server.admin_dsn, names, connection_limit=limit, control_plane=closing
        )
        if username is None:
            username, password = names.logins[0], new_password()
            verifier = pg_session.scram_verifier(conn, username, password)
            await pg_session.set_password(conn, username, verifier)
        await pg_session.disable_expired_logins(conn, [names.other_login(username)])
        if suspended:
            await pg_session.block_logins(conn, names)
        else:
            await pg_session.allow_login(conn, username)
    return username, password


def transition_action(was: DatabaseStatus, now: DatabaseStatus) -> str | None:
    if was in (DatabaseStatus.creating, DatabaseStatus.dropped, DatabaseStatus.dropping):
        return "database.created"
    if was != now:
        return "database.suspended" if now == DatabaseStatus.suspended else "database.resumed"
    return None


def point_at(row: TenantDatabase, fields: dict[str, object]) -> None:
    """Make a claimed row name the objects of `fields` (`row_fields`): another model's objects
    (a model change) start again as `creating`, without a login; a dropped row is made again."""
    if row.database != fields["database"] or row.schema != fields["schema"]:
        row.username = None
        row.credentials_encrypted = None
        row.status = DatabaseStatus.creating
    for key, value in fields.items():
        setattr(row, key, value)
    if row.status == DatabaseStatus.dropped:
        row.status = DatabaseStatus.creating


def row_fields(
    server: LocalDataServer,
    names: TenantNames,
    model: IsolationModel,
    pool_id: uuid.UUID | None,
    limit: int | None,
) -> dict[str, object]:
    return {
        "pool_id": pool_id,
        "isolation_model": model.value,
        "cloud": server.cloud,
        "engine": "postgres",
        "host": server.host,
        "port": server.port,
        "database": names.database,
        "schema": names.schema,
        "owner_role": names.owner,
        "connection_limit": limit,
    }


async def drop_tenant_database(
    ctx: DataTierContext,
    tenant_id: uuid.UUID,
    model: IsolationModel,
    pool_id: uuid.UUID | None,
    *,
    actor: str,
    server: LocalDataServer | None = None,
) -> bool:
    """The tenant's `model` objects are dropped (schema or database, and its roles); its row,
    when it names them, becomes `dropped`. True if a row changed. Take any final snapshot
    before calling this."""
    server = server or ctx.server
    names = server.names(model, tenant_id, pool_id)
    async with transaction(ctx.sessionmaker) as session:
        row = await repository.get_for_tenant(session, tenant_id, lock=True)
        owns = row is not None and row.database == names.database and row.schema == names.schema
        if row is not None and owns and row.status != DatabaseStatus.dropped:
            row.status = DatabaseStatus.dropping
    await pg.drop_tenant_objects(server.admin_dsn, names)
    if not owns:
        return False
    async with transaction(ctx.sessionmaker) as session:
        row = await repository.get_for_tenant(session, tenant_id, lock=True)
        if row is None or row.status == DatabaseStatus.dropped:
            return False
        before = describe(row)
        row.status = DatabaseStatus.dropped
        row.username = None
        row.credentials_encrypted = None
        await audit.record(
            session, actor=actor, action="database.dropped", target_type="tenant_database",
            target_id=row.id, tenant_id=tenant_id, before=before, after=describe(row),
        )  # fmt: skip
    return True


async def drop_pool_database(ctx: DataTierContext, pool_id: uuid.UUID) -> None:
    """A pool's shared database is dropped (call after its tenants' schemas are)."""
    server = ctx.server
    await pg.drop_database(server.admin_dsn, pool_database(server.prefix, pool_id))


def target_of(ctx: DataTierContext, row: TenantDatabase) -> DatabaseTarget:
    """The `DatabaseTarget` of a `local` tenant's current objects (admin DSN included)."""
    return DatabaseTarget(ctx.server.admin_dsn, row.database, row.schema)
