from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from paybill_control_plane.db.base import Base, IdMixin


class RunPlan(IdMixin, Base):
    """A saved Terraform plan of a run: the binary plan file, its SHA-256 and `show -json`.

    The file lives in the database (not the stack's working directory, which each attempt
    rewrites), so the plan a person approved survives a worker crash and is applied byte for
    byte by whichever worker resumes the run.
    """

    __tablename__ = "run_plans"

    run_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    attempt: Mapped[int]
    operation: Mapped[str] = mapped_column(String(16))
    revision: Mapped[str | None] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    plan_file: Mapped[bytes] = mapped_column(LargeBinary)
    plan_json: Mapped[dict[str, Any]] = mapped_column(JSONB)
    summary: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime]
    superseded_at: Mapped[datetime | None] = mapped_column(doc="a re-plan of the run replaced it")
