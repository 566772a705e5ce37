from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from paybill_control_plane.db.base import Base, IdMixin
from paybill_control_plane.models.enums import BillingEventStatus


class BillingEvent(IdMixin, Base):
    """One Stripe webhook event, stored once (unique Stripe id) exactly as it was received."""

    __tablename__ = "billing_events"
    # Few indexes: every one costs the webhook's insert, which must stay fast.
    __table_args__ = (
        Index("ix_billing_events_received_at_id", "received_at", "id"),
        Index("ix_billing_events_status_received_at", "status", "received_at"),
    )

    stripe_event_id: Mapped[str] = mapped_column(String(255), unique=True)
    type: Mapped[str] = mapped_column(String(100))
    livemode: Mapped[bool] = mapped_column(default=False)
    event_created_at: Mapped[datetime] = mapped_column(doc="the event's `created` (Stripe's clock)")
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, doc="the verified event, as received")
    status: Mapped[str] = mapped_column(String(16), default=BillingEventStatus.received.value)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text, doc="what processing did, for operators")
    subscription_ref: Mapped[str | None] = mapped_column(String(255))
    customer_ref: Mapped[str | None] = mapped_column(String(255))
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("tenants.id", ondelete="SET NULL"), index=True
    )
    received_at: Mapped[datetime] = mapped_column(server_default=func.now())
    processed_at: Mapped[datetime | None]
