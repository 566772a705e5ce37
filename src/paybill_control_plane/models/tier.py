from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from paybill_control_plane.db.base import Base, TimestampMixin


class Tier(TimestampMixin, Base):
    """A licence tier: entitlements, sizing and where its tenants may run."""

    __tablename__ = "tiers"

    key: Mapped[str] = mapped_column(String(63), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    rank: Mapped[int]
    default_isolation: Mapped[str] = mapped_column(String(16))
    allowed_isolation: Mapped[list[str]] = mapped_column(JSONB)
    features: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    sizing: Mapped[dict[str, Any]] = mapped_column(JSONB)
    allowed_clouds: Mapped[list[str]] = mapped_column(JSONB)
    allowed_regions: Mapped[dict[str, list[str]]] = mapped_column(JSONB)
    pool_capacity: Mapped[int | None]
    tier_group: Mapped[str | None] = mapped_column(String(63))
    version: Mapped[int] = mapped_column(default=1)
    # Distinct people who must approve a run a policy holds (plans, policies and approvals).
    approvals_required: Mapped[int] = mapped_column(default=1, server_default="1")
