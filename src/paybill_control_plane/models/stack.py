from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from paybill_control_plane.db.base import Base, IdMixin, TimestampMixin
from paybill_control_plane.models.enums import DriftStatus, StackStatus


class Stack(IdMixin, TimestampMixin, Base):
    """One Terraform workspace: a tenant's silo or bridge data tier, or a pool."""

    __tablename__ = "stacks"

    kind: Mapped[str] = mapped_column(String(16), doc="silo, pool or bridge-data")
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("tenants.id"), index=True)
    pool_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("pools.id"), index=True)
    cloud: Mapped[str] = mapped_column(String(16))
    module: Mapped[str] = mapped_column(String(100), doc="e.g. local/silo")
    workspace: Mapped[str] = mapped_column(String(100), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=StackStatus.pending.value)
    variables: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    desired_revision: Mapped[str | None] = mapped_column(String(64))
    applied_revision: Mapped[str | None] = mapped_column(String(64))
    applied_variables: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    outputs: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    drift_status: Mapped[str] = mapped_column(String(16), default=DriftStatus.unknown.value)
    last_run_id: Mapped[uuid.UUID | None]
    boundary: Mapped[dict[str, Any] | None] = mapped_column(
        JSONB, doc="The tenant's cloud boundary (account, resource group...), non-secret"
    )
    # Fleet: the module release the stack runs (None: the module on disk), the one before it,
    # and when drift was last looked for.
    release_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("module_releases.id"))
    previous_release_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("module_releases.id"))
    drift_checked_at: Mapped[datetime | None]
