"""The Postgres server `local` tenants' databases live on, and the `DatabaseTarget`s on it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy.engine import make_url

from paybill_control_plane.config import Settings
from paybill_control_plane.datatier.names import TenantNames, derived_prefix, tenant_names
from paybill_control_plane.datatier.postgres_admin import server_of
from paybill_control_plane.datatier.target import DatabaseTarget
from paybill_control_plane.db.embedded import to_libpq_url
from paybill_control_plane.models.enums import IsolationModel

MAINTENANCE_DATABASE = "postgres"


@dataclass(frozen=True, slots=True)
class LocalDataServer:
    """Where data tiers are made: the admin connection, the name prefix, the address. The
    `local` cloud's server, or a cloud module's managed server (datatier/managed.py)."""

    admin_dsn: str = field(repr=False)
    prefix: str
    host: str | None
    port: int
    # The control plane's own database when it is on this server (its CONNECT is closed to
    # PUBLIC, so tenant roles cannot reach it), else None.
    control_plane_database: str | None
    control_plane_user: str
    # Where the server is: "local", or the cloud whose module made it (datatier/managed.py).
    cloud: str = "local"

    def target(self, names: TenantNames) -> DatabaseTarget:
        return DatabaseTarget(self.admin_dsn, names.database, names.schema)

    def names(
        self, model: IsolationModel, tenant_id: uuid.UUID, pool_id: uuid.UUID | None
    ) -> TenantNames:
        return tenant_names(self.prefix, model, tenant_id, pool_id)


def local_data_server(settings: Settings, control_plane_url: str) -> LocalDataServer:
    """PAYBILL_LOCAL_DATA_URL's server, or the control plane's own (in separate databases)."""
    cp = make_url(control_plane_url)
    configured = settings.local_data_url.get_secret_value() if settings.local_data_url else None
    source = make_url(configured) if configured else cp
    admin = source.set(drivername="postgresql", database=MAINTENANCE_DATABASE)
    admin_dsn = to_libpq_url(admin.render_as_string(hide_password=False))
    host, port = server_of(admin_dsn)
    prefix = settings.data_name_prefix or derived_prefix(cp.database or "paybill")
    same_server = configured is None
    return LocalDataServer(
        admin_dsn=admin_dsn,
        prefix=prefix,
        host=host,
        port=port,
        control_plane_database=cp.database if same_server else None,
        control_plane_user=cp.username or "",
    )
