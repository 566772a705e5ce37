from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from paybill_control_plane.db.base import Base


class RateLimitCounter(Base):
    """One fixed-window request counter per API key, shared by every API process."""

    __tablename__ = "rate_limit_counters"

    key_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("api_keys.id", ondelete="CASCADE"), primary_key=True
    )
    window_start: Mapped[datetime]
    count: Mapped[int]
