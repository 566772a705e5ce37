from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from paybill_control_plane.db.base import Base, IdMixin


class Approval(IdMixin, Base):
    """A request to approve one saved plan of a run, and the people who approved or rejected it."""

    __tablename__ = "approvals"
    __table_args__ = (Index("ix_approvals_status_created_at_id", "status", "created_at", "id"),)

    run_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    run_plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("run_plans.id", ondelete="CASCADE"))
    plan_sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    required: Mapped[int]
    requested_by: Mapped[str] = mapped_column(String(200))
    policies: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, doc="[{name, message}]")
    approvers: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, doc="[{actor, at}]")
    decided_by: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
