from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from paybill_control_plane.db.base import Base, IdMixin, TimestampMixin
from paybill_control_plane.models.enums import RestoreStatus, SnapshotStatus


class TenantSnapshot(IdMixin, TimestampMixin, Base):
    """One dump of a tenant's data: where it is, its checksum and the fingerprints it holds."""

    __tablename__ = "tenant_snapshots"
    __table_args__ = (
        Index("ix_tenant_snapshots_tenant_id_created_at_id", "tenant_id", "created_at", "id"),
        Index(
            "ix_tenant_snapshots_expires_at",
            "expires_at",
            postgresql_where=text("status = 'completed' AND expires_at IS NOT NULL"),
        ),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=SnapshotStatus.pending.value)
    database: Mapped[str | None] = mapped_column(String(63), doc="The database dumped")
    schema_name: Mapped[str | None] = mapped_column(String(63), doc="pooled: the schema dumped")
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    checksum: Mapped[str | None] = mapped_column(String(64), doc="sha256 of the dump file")
    location: Mapped[str | None] = mapped_column(Text, doc="Set once the dump is published")
    fingerprints: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    error: Mapped[str | None] = mapped_column(Text)
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    progress: Mapped[str | None] = mapped_column(Text, doc="The latest progress line")
    attempt: Mapped[int] = mapped_column(default=0)
    requested_by: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]


class SnapshotRestore(IdMixin, TimestampMixin, Base):
    """One restore of a snapshot, into a new database or in place."""

    __tablename__ = "snapshot_restores"
    __table_args__ = (
        Index("ix_snapshot_restores_tenant_id_created_at_id", "tenant_id", "created_at", "id"),
        # One restore at a time per tenant: a second one is refused (409), not queued.
        Index(
            "uq_snapshot_restores_tenant_id_active",
            "tenant_id",
            unique=True,
            postgresql_where=text("status IN ('pending', 'running')"),
        ),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    snapshot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenant_snapshots.id"))
    mode: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=RestoreStatus.pending.value)
    target_database: Mapped[str | None] = mapped_column(String(63))
    target_schema: Mapped[str | None] = mapped_column(String(63))
    pre_restore_snapshot_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("tenant_snapshots.id")
    )
    error: Mapped[str | None] = mapped_column(Text)
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    progress: Mapped[str | None] = mapped_column(Text)
    attempt: Mapped[int] = mapped_column(default=0)
    requested_by: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
