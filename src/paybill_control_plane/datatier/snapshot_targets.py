"""Which `DatabaseTarget` a snapshot or restore works on.

A snapshot row records the database (and pooled schema) it dumps; the admin connection that
reaches it is never stored: each job resolves it again, from the settings (the `local` data
server of datatier/local_server.py) or, for a cloud tenant, from its module's outputs and the
cloud's secret store (`cloud_server`, datatier/managed.py).
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from paybill_control_plane.config import Settings
from paybill_control_plane.datatier import repository as databases
from paybill_control_plane.datatier.local_server import LocalDataServer, local_data_server
from paybill_control_plane.datatier.managed import ManagedHome, data_server, home_of
from paybill_control_plane.datatier.target import DatabaseTarget
from paybill_control_plane.models.enums import Cloud, DatabaseStatus
from paybill_control_plane.models.tenant_snapshot import SnapshotRestore, TenantSnapshot

# A tenant's data can be dumped while its database is in one of these.
SNAPSHOTTABLE = (DatabaseStatus.available, DatabaseStatus.suspended)


def session_url(session: AsyncSession) -> str:
    """The control plane's database URL, from the engine the session is bound to."""
    bind = session.bind
    assert isinstance(bind, AsyncEngine), "sessions are bound to the engine"
    return bind.url.render_as_string(hide_password=False)


def data_admin_dsn(settings: Settings, control_plane_url: str) -> str:
    """The admin connection of the `local` data server."""
    return local_data_server(settings, control_plane_url).admin_dsn


def snapshot_target(settings: Settings, url: str, snapshot: TenantSnapshot) -> DatabaseTarget:
    """What the snapshot dumps."""
    assert snapshot.database is not None
    return DatabaseTarget(data_admin_dsn(settings, url), snapshot.database, snapshot.schema_name)


def restore_target(settings: Settings, url: str, restore: SnapshotRestore) -> DatabaseTarget:
    """Where the restore writes: the new database, or the tenant's own (in place)."""
    assert restore.target_database is not None
    return DatabaseTarget(
        data_admin_dsn(settings, url), restore.target_database, restore.target_schema
    )


async def tenant_target(
    session: AsyncSession, tenant_id: uuid.UUID, settings: Settings
) -> DatabaseTarget | None:
    """The tenant's data as it is now; None without a database that is available or suspended
    (a cloud's `unmanaged` database included: the control plane cannot reach into it). A cloud
    tenant's target names its database only: its job resolves the admin connection."""
    row = await databases.get_for_tenant(session, tenant_id)
    if row is None or row.status not in SNAPSHOTTABLE:
        return None
    if row.cloud != Cloud.local:
        return DatabaseTarget("", row.database, row.schema)
    return DatabaseTarget(data_admin_dsn(settings, session_url(session)), row.database, row.schema)


async def cloud_home(
    session: AsyncSession, settings: Settings, tenant_id: uuid.UUID
) -> ManagedHome | None:
    """The managed server a cloud tenant's database is on; None for a `local` tenant."""
    row = await databases.get_for_tenant(session, tenant_id)
    if row is None or row.cloud == Cloud.local:
        return None
    return await home_of(session, settings, row)


async def cloud_server(
    settings: Settings, control_plane_url: str, home: ManagedHome
) -> LocalDataServer:
    """The managed server with its admin connection (password read from the cloud now)."""
    return await data_server(settings, control_plane_url, home.access, home.outputs)
