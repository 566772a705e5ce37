"""Where a tenant's data lives on a PostgreSQL server: the one value the data-tier parts share.

Provisioning (schemas, databases, roles), snapshots and restores, copies between isolation models
and schema rollouts all work on a `DatabaseTarget`. It carries an admin connection string, so it is
never logged, returned over the API nor stored in plain text.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class DatabaseTarget:
    """A tenant's data: a whole database (bridge, silo) or one schema in a shared database (pooled)."""

    # libpq connection string of a role that may create databases and roles on the server, pointing
    # at the server's maintenance database (e.g. "host=127.0.0.1 port=5432 user=postgres dbname=postgres").
    admin_dsn: str = field(repr=False)
    database: str
    # pooled: the tenant's schema in the pool database; bridge and silo: None (the whole database).
    schema: str | None = None

    @property
    def whole_database(self) -> bool:
        return self.schema is None
