from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from paybill_control_plane.db.base import Base


class RateLimitCounter(Base):
    """One fixed-window request counter per API key, shared by every API process.

    UNLOGGED: a bump writes no WAL, so its autocommit does not wait for a WAL flush (the main
    per-request cost otherwise). After a database crash the counters restart from zero,
    which only forgives one window.
    """

    __tablename__ = "rate_limit_counters"
    __table_args__ = {"prefixes": ["UNLOGGED"]}

    key_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("api_keys.id", ondelete="CASCADE"), primary_key=True
    )
    window_start: Mapped[datetime]
    count: Mapped[int]
