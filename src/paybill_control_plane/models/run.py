from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Identity, Index, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from paybill_control_plane.db.base import Base, IdMixin, TimestampMixin


class Run(IdMixin, TimestampMixin, Base):
    """One provisioning workflow run on one stack: steps, plan summary, attempts, outcome."""

    __tablename__ = "runs"
    __table_args__ = (
        Index("ix_runs_tenant_ids", "tenant_ids", postgresql_using="gin"),
        Index("ix_runs_stack_id_status", "stack_id", "status"),
        Index("ix_runs_trigger", "trigger"),
    )

    stack_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stacks.id"))
    kind: Mapped[str] = mapped_column(String(20))
    trigger: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(32), index=True)
    tenant_ids: Mapped[list[str]] = mapped_column(JSONB, default=list)
    attempt: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=3)
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    plan_summary: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    revision: Mapped[str | None] = mapped_column(String(64))
    operation: Mapped[str | None] = mapped_column(String(16), doc="apply, destroy or noop")
    error: Mapped[str | None] = mapped_column(Text)
    log_excerpt: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(200))
    job_id: Mapped[int | None] = mapped_column(BigInteger)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    next_attempt_at: Mapped[datetime | None]


class RunLogLine(Base):
    """One line of a run's Terraform output, in order."""

    __tablename__ = "run_log_lines"
    __table_args__ = (Index("ix_run_log_lines_run_id_id", "run_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=False), primary_key=True)
    run_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    attempt: Mapped[int]
    line: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
