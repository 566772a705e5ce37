from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from paybill_control_plane.db.base import Base, IdMixin, TimestampMixin


class Pool(IdMixin, TimestampMixin, Base):
    """Shared infrastructure for pooled and bridge tenants of one cloud, region and tier group."""

    __tablename__ = "pools"
    __table_args__ = (UniqueConstraint("cloud", "region", "tier_group", "ordinal"),)

    cloud: Mapped[str] = mapped_column(String(16))
    region: Mapped[str] = mapped_column(String(64))
    tier_group: Mapped[str] = mapped_column(String(63))
    ordinal: Mapped[int] = mapped_column(doc="1 for the first pool of its group, 2 for the next…")
    capacity: Mapped[int]
    cloud_target_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("cloud_targets.id"), index=True, doc="The account the pool lives in"
    )
