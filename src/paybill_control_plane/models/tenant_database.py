from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from paybill_control_plane.db.base import Base, IdMixin, TimestampMixin
from paybill_control_plane.models.enums import DatabaseStatus


class TenantDatabase(IdMixin, TimestampMixin, Base):
    """A tenant's data tier: where its database lives and which roles reach it (no password)."""

    __tablename__ = "tenant_databases"

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"), unique=True)
    pool_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("pools.id"), index=True, doc="pooled and bridge: the pool whose server it is on"
    )
    isolation_model: Mapped[str] = mapped_column(String(16))
    cloud: Mapped[str] = mapped_column(String(16))
    engine: Mapped[str] = mapped_column(String(16), default="postgres")
    host: Mapped[str | None] = mapped_column(String(255))
    port: Mapped[int | None]
    database: Mapped[str] = mapped_column(String(63))
    schema: Mapped[str | None] = mapped_column(String(63), doc="pooled: the tenant's schema")
    owner_role: Mapped[str | None] = mapped_column(
        String(63), doc="NOLOGIN role that owns the tenant's objects and holds its grants"
    )
    username: Mapped[str | None] = mapped_column(
        String(63), doc="The login role the current password belongs to (…_a or …_b)"
    )
    connection_limit: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(16), default=DatabaseStatus.creating.value)
    # AES-256-GCM under PAYBILL_SECRET_KEY, bound to this row's id; None when no key is set
    # (the password then exists only as the server's SCRAM verifier). Never returned nor logged.
    credentials_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    credentials_rotated_at: Mapped[datetime | None]
