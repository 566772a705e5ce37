from __future__ import annotations

from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from paybill_control_plane.db.base import Base, TimestampMixin


class Policy(TimestampMixin, Base):
    """A catalog policy: a CEL expression over a run's saved plan and context."""

    __tablename__ = "policies"

    name: Mapped[str] = mapped_column(String(63), primary_key=True)
    description: Mapped[str] = mapped_column(Text, default="")
    enforcement: Mapped[str] = mapped_column(String(16))
    expression: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    applies_to: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    version: Mapped[int] = mapped_column(default=1)
