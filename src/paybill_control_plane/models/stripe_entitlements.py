from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from paybill_control_plane.db.base import Base, TimestampMixin


class StripeEntitlements(TimestampMixin, Base):
    """A Stripe customer's active entitlements (feature lookup keys), as last applied.

    Stripe keeps entitlements per customer; the tenant bound to the customer reads them.
    """

    __tablename__ = "stripe_entitlements"

    customer_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    lookup_keys: Mapped[list[str]] = mapped_column(JSONB, default=list)
    # Ordering, like subscriptions: the `created` of the event they came from.
    state_time: Mapped[datetime]
    last_event_id: Mapped[str | None] = mapped_column(String(255))
