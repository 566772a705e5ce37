"""Data-tier API models: where a tenant's database is, and a rotated credential (shown once)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from paybill_control_plane.kit.schemas import OutputModel
from paybill_control_plane.models.enums import DatabaseStatus, IsolationModel
from paybill_control_plane.models.tenant_database import TenantDatabase


class TenantDatabaseOut(OutputModel):
    """A tenant's database: how its application connects (never a password)."""

    tenant_id: uuid.UUID
    model: IsolationModel = Field(description="The isolation model the database is shaped by.")
    cloud: str
    engine: str = Field(description="Always `postgres` today.")
    host: str | None = Field(description="None: the server's local socket (embedded setups).")
    port: int | None
    database: str
    schema_: str | None = Field(
        serialization_alias="schema",
        description="pooled: the tenant's schema (also its login's search_path); else None.",
    )
    username: str | None = Field(
        description="The login role of the current password; it alternates between two roles "
        "(…_a, …_b) at each rotation."
    )
    status: DatabaseStatus
    connection_limit: int | None
    credentials_rotated_at: datetime | None
    schema_version: int = Field(
        default=0, description="The last released schema migration applied (0: none)."
    )
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: TenantDatabase) -> TenantDatabaseOut:
        return cls.from_row(row, model=IsolationModel(row.isolation_model), schema_=row.schema)


class TenantDatabaseCredentials(TenantDatabaseOut):
    """A new password, shown this once: it is stored only encrypted (or not at all)."""

    password: str = Field(description="The new password of `username`. Not shown again.")
    previous_username: str | None = Field(
        description="The login the previous password belongs to; it keeps working until "
        "`previous_valid_until`, so running applications can switch without downtime."
    )
    previous_valid_until: datetime | None
