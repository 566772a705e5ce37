from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from paybill_control_plane.db.base import Base, TimestampMixin


class Plan(TimestampMixin, Base):
    """A commercial offer mapped to one tier and to Stripe price ids."""

    __tablename__ = "plans"

    key: Mapped[str] = mapped_column(String(63), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    tier_key: Mapped[str] = mapped_column(ForeignKey("tiers.key"), index=True)
    stripe_product_id: Mapped[str | None] = mapped_column(String(255))
    stripe_price_ids: Mapped[list[str]] = mapped_column(JSONB)
    interval: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)
    # catalog: the tier's features as they are; stripe: the features named in `stripe_features`
    # are granted only while the customer holds the Stripe entitlement (feature lookup key).
    entitlements_source: Mapped[str] = mapped_column(
        String(16), default="catalog", server_default="catalog"
    )
    stripe_features: Mapped[dict[str, str]] = mapped_column(
        JSONB, default=dict, server_default="{}", doc="Stripe feature lookup key -> feature key"
    )
