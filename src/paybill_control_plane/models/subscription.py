from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from paybill_control_plane.db.base import Base, IdMixin, TimestampMixin


class Subscription(IdMixin, TimestampMixin, Base):
    """The last applied state of a billing subscription and the desired state it implies."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("provider", "external_id"),)

    provider: Mapped[str] = mapped_column(String(16), default="stripe")
    external_id: Mapped[str] = mapped_column(String(255))
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("tenants.id", ondelete="SET NULL"), index=True
    )
    customer_id: Mapped[str | None] = mapped_column(String(255), index=True)
    status: Mapped[str] = mapped_column(String(32))
    plan_key: Mapped[str | None] = mapped_column(String(63))
    tier_key: Mapped[str | None] = mapped_column(String(63))
    price_ids: Mapped[list[str]] = mapped_column(JSONB, default=list)
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    seats: Mapped[int | None]
    current_period_end: Mapped[datetime | None]
    trial_end: Mapped[datetime | None]
    cancel_at_period_end: Mapped[bool] = mapped_column(default=False)
    cancel_at: Mapped[datetime | None]
    canceled_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    livemode: Mapped[bool] = mapped_column(default=False)
    metadata_: Mapped[dict[str, str]] = mapped_column("metadata", JSONB, default=dict)
    # Ordering: the time the applied state was true (event `created` or the time of a re-read).
    state_time: Mapped[datetime]
    state_authoritative: Mapped[bool] = mapped_column(default=False)
    past_due_since: Mapped[datetime | None]
    desired_state: Mapped[str] = mapped_column(
        String(20), doc="provisioned, not_provisioned, grace, suspended or cancelled"
    )
    reason: Mapped[str | None] = mapped_column(Text)
    suspend_at: Mapped[datetime | None]
    deprovision_at: Mapped[datetime | None]
    review_at: Mapped[datetime | None]
    last_event_id: Mapped[str | None] = mapped_column(String(255))
