"""Which `DatabaseTarget` a snapshot or restore works on.

A snapshot row records the database (and pooled schema) it dumps; the admin connection that
reaches it is never stored: each job resolves it again from the settings.
"""

from __future__ import annotations

import uuid

from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.config import Settings
from paybill_control_plane.datatier.target import DatabaseTarget
from paybill_control_plane.db.embedded import to_libpq_url
from paybill_control_plane.models.tenant_snapshot import SnapshotRestore, TenantSnapshot


class NoDataServer(RuntimeError):
    """No server to reach tenant data on (no database URL configured)."""


def data_admin_dsn(settings: Settings) -> str:
    """The admin connection of the `local` data server: the control plane's own server, in
    its maintenance database (never the control plane's database)."""
    if settings.database_url is None:
        raise NoDataServer("no database URL is configured for the data tier's server")
    url = make_url(settings.database_url).set(database="postgres")
    return make_conninfo(to_libpq_url(url.render_as_string(hide_password=False)))


def snapshot_target(settings: Settings, snapshot: TenantSnapshot) -> DatabaseTarget:
    """What the snapshot dumps."""
    assert snapshot.database is not None
    return DatabaseTarget(data_admin_dsn(settings), snapshot.database, snapshot.schema_name)


def restore_target(settings: Settings, restore: SnapshotRestore) -> DatabaseTarget:
    """Where the restore writes: the new database, or the tenant's own (in place)."""
    assert restore.target_database is not None
    return DatabaseTarget(data_admin_dsn(settings), restore.target_database, restore.target_schema)


async def tenant_target(
    session: AsyncSession, tenant_id: uuid.UUID, settings: Settings
) -> DatabaseTarget | None:
    """The tenant's data as it is now, or None when it has no available data tier.

    Wired to the data tier's `tenant_databases` (branch `datatier`) at merge time; until then no
    tenant has one.
    """
    return None
