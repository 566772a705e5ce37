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
    # Fleet: pinned module versions ({"local/silo": "1.2.0"}), drift check interval, and the
    # maintenance window rollouts honour for this tier's tenants (a tenant label overrides it).
    module_versions: Mapped[dict[str, str]] = mapped_column(
        JSONB, default=dict, server_default="{}"
    )
    drift_interval_seconds: Mapped[int | None]
    maintenance_window: Mapped[str | None] = mapped_column(String(100))
    # {"every": "daily"|"hourly"|"weekly", "keep": N}: scheduled snapshots of its tenants' data.
    snapshot_schedule: Mapped[dict[str, Any] | None] = mapped_column(JSONB(none_as_null=True))
    # Distinct people who must approve a run a policy holds (plans, policies and approvals).
    approvals_required: Mapped[int] = mapped_column(default=1, server_default="1")
