from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from paybill_control_plane.db.base import Base, IdMixin, TimestampMixin

# Statuses of a migration that still owns its tenant (at most one per tenant).
IN_FLIGHT_SQL = "status IN ('running', 'holding', 'rolling_back')"


class TenantMigration(IdMixin, TimestampMixin, Base):
    """A tenant moving between isolation models: a durable workflow of phases (issue 14)."""

    __tablename__ = "tenant_migrations"
    __table_args__ = (
        Index(
            "uq_tenant_migrations_in_flight",
            "tenant_id",
            unique=True,
            postgresql_where=text(IN_FLIGHT_SQL),
        ),
        Index("ix_tenant_migrations_tenant_id_created_at", "tenant_id", "created_at"),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tenants.id"))
    status: Mapped[str] = mapped_column(String(16))
    phase: Mapped[str] = mapped_column(String(20))
    source_tier: Mapped[str] = mapped_column(String(63))
    target_tier: Mapped[str] = mapped_column(String(63))
    source_isolation: Mapped[str] = mapped_column(String(16))
    target_isolation: Mapped[str] = mapped_column(String(16))
    source_isolation_override: Mapped[bool]
    target_isolation_override: Mapped[bool]
    source_pool_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("pools.id"))
    target_pool_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("pools.id"))
    plan: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    phases: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, default=list, doc="One entry per phase: name, status, started/finished, detail"
    )
    run_ids: Mapped[list[str]] = mapped_column(
        JSONB, default=list, doc="The runs the current phase waits for"
    )
    endpoint: Mapped[str | None] = mapped_column(Text)
    hold_until: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(200))
    finished_at: Mapped[datetime | None]
