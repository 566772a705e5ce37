from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from paybill_control_plane.db.base import Base, IdMixin, TimestampMixin

# tenant: an existing tenant pays or changes plan; signup: a new tenant is created once paid.
CHECKOUT_KINDS = ("tenant", "signup")


class CheckoutSession(IdMixin, TimestampMixin, Base):
    """A Stripe Checkout Session the control plane created, with what completing it must do.

    The completed session's own `client_reference_id`/metadata are not trusted (a Payment Link or
    a session created elsewhere lets anyone set them); this row is the server-side intent.
    """

    __tablename__ = "checkout_sessions"

    stripe_session_id: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("tenants.id", ondelete="SET NULL"), index=True
    )
    plan_key: Mapped[str] = mapped_column(String(63))
    # signup only: slug, name, cloud, region of the tenant to create.
    signup: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    signup_slug: Mapped[str | None] = mapped_column(String(40), index=True)
    url: Mapped[str | None] = mapped_column(Text)
    expires_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="open", doc="open or completed")
    completed_event_id: Mapped[str | None] = mapped_column(String(255))
    created_by: Mapped[str] = mapped_column(String(200))
