"""A pool apply's new members' databases, made as one batch (`provision.ensure_tenant_database`
for many pooled tenants of one pool at once).

The same three phases as the one-tenant path, each once per batch instead of once per member:
the rows are claimed (`creating`) and committed in one transaction before anything is made;
the objects are made under one hold of the catalog lock (`pooled_admin`); the outcome (status,
sealed first credentials) is written with one `database.created` (or `…suspended`/`…resumed`)
audit record per member, in one transaction. Every step is idempotent: a worker killed at any
point leaves rows in `creating` and objects half made, which the run's next attempt finishes.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from paybill_control_plane.audit import service as audit
from paybill_control_plane.datatier import pooled_admin
from paybill_control_plane.datatier import postgres_admin as pg
from paybill_control_plane.datatier.names import TenantNames
from paybill_control_plane.datatier.provision import (
    DataTierContext,
    describe,
    new_password,
    point_at,
    row_fields,
    transition_action,
)
from paybill_control_plane.datatier.secrets import seal
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.models.enums import DatabaseStatus, IsolationModel
from paybill_control_plane.models.tenant_database import TenantDatabase


async def ensure_pooled_databases(
    ctx: DataTierContext, pool_id: uuid.UUID, wanted: dict[uuid.UUID, bool], *, actor: str
) -> None:
    """Every tenant of `wanted` (tenant id → suspended) has its pooled objects in `pool_id`'s
    database, its login matching its suspension, and its row `available`/`suspended`."""
    if not wanted:
        return
    server = ctx.server
    model = IsolationModel.pooled
    ids = sorted(wanted)
    names = {t: server.names(model, t, pool_id) for t in ids}
    before: dict[uuid.UUID, dict[str, object]] = {}
    usernames: dict[uuid.UUID, str | None] = {}
    row_ids: dict[uuid.UUID, uuid.UUID] = {}
    async with transaction(ctx.sessionmaker) as session:
        await session.execute(
            insert(TenantDatabase)
            .values(
                [
                    {
                        "id": uuid.uuid4(),
                        "tenant_id": t,
                        "status": DatabaseStatus.creating.value,
                        **row_fields(server, names[t], model, pool_id, None),
                    }
                    for t in ids
                ]
            )
            .on_conflict_do_nothing(index_elements=[TenantDatabase.tenant_id])
        )
        rows = await session.scalars(
            select(TenantDatabase)
            .where(TenantDatabase.tenant_id.in_(ids))
            .order_by(TenantDatabase.tenant_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        for row in rows:
            point_at(row, row_fields(server, names[row.tenant_id], model, pool_id, None))
            before[row.tenant_id], usernames[row.tenant_id] = describe(row), row.username
            row_ids[row.tenant_id] = row.id
    if server.control_plane_database:
        await pg.close_control_plane_database(
            server.admin_dsn, server.control_plane_database, server.control_plane_user
        )
    passwords = {t: new_password() for t in ids if usernames[t] is None}
    changes = [
        pooled_admin.LoginChange(
            names[t], usernames[t] or names[t].logins[0], passwords.get(t), wanted[t]
        )
        for t in ids
    ]
    database = names[ids[0]].database
    await pooled_admin.ensure_pooled_members(
        server.admin_dsn, database, [names[t] for t in ids], changes
    )
    await _record_outcome(ctx, names, wanted, passwords, before, row_ids, actor=actor)


async def _record_outcome(
    ctx: DataTierContext,
    names: dict[uuid.UUID, TenantNames],
    wanted: dict[uuid.UUID, bool],
    passwords: dict[uuid.UUID, str],
    before: dict[uuid.UUID, dict[str, object]],
    row_ids: dict[uuid.UUID, uuid.UUID],
    *,
    actor: str,
) -> None:
    async with transaction(ctx.sessionmaker) as session:
        rows = await session.scalars(
            select(TenantDatabase)
            .where(TenantDatabase.tenant_id.in_(sorted(wanted)))
            .order_by(TenantDatabase.tenant_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        for row in rows:
            tenant_id = row.tenant_id
            assert row.id == row_ids[tenant_id]
            password = passwords.get(tenant_id)
            if password is not None:  # else a rotation may have moved `username` on meanwhile
                username = names[tenant_id].logins[0]
                row.username = username
                row.credentials_encrypted = seal(ctx.settings, row.id, username, password)
                row.credentials_rotated_at = utcnow()
            was = DatabaseStatus(before[tenant_id]["status"])  # type: ignore[arg-type]
            suspended = wanted[tenant_id]
            row.status = DatabaseStatus.suspended if suspended else DatabaseStatus.available
            action = transition_action(was, DatabaseStatus(row.status))
            if action:
                await audit.record(
                    session, actor=actor, action=action, target_type="tenant_database",
                    target_id=row.id, tenant_id=tenant_id, before=before[tenant_id],
                    after=describe(row),
                )  # fmt: skip
