from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from paybill_control_plane.db.base import Base, IdMixin, TimestampMixin, utcnow
from paybill_control_plane.models.enums import TenantDesiredState

# The column sets of the list filters' composite indexes, in index column order.
TENANT_LIST_FILTER_INDEXES: tuple[tuple[str, ...], ...] = (
    ("status",),
    ("tier_key",),
    ("cloud",),
    ("status", "tier_key"),
    ("status", "cloud"),
    ("tier_key", "cloud"),
    ("status", "tier_key", "cloud"),
)


class Tenant(IdMixin, TimestampMixin, Base):
    """A customer of the SaaS company and the system of record for its infrastructure."""

    __tablename__ = "tenants"
    # Every documented list filter (status, tier, cloud and their combinations) has an index
    # that starts with its equality columns and ends with the keyset sort key, so a page is one
    # index range scan whether the filter matches most rows, few or none (migration 0008).
    __table_args__ = (
        Index("ix_tenants_created_at_id", "created_at", "id"),
        *(
            Index(f"ix_tenants_{'_'.join(cols)}_created_at_id", *cols, "created_at", "id")
            for cols in TENANT_LIST_FILTER_INDEXES
        ),
        # Slug-prefix search (the console's tenant search): usable whatever the collation.
        Index("ix_tenants_slug_pattern", "slug", postgresql_ops={"slug": "text_pattern_ops"}),
    )

    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    desired_state: Mapped[str] = mapped_column(
        String(20),
        default=TenantDesiredState.active.value,
        doc="active, suspended or deprovisioned: what runs converge to",
    )
    tier_key: Mapped[str] = mapped_column(ForeignKey("tiers.key"))
    isolation_model: Mapped[str] = mapped_column(String(16))
    isolation_override: Mapped[bool] = mapped_column(default=False)
    cloud: Mapped[str] = mapped_column(String(16))
    region: Mapped[str] = mapped_column(String(64))
    pool_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("pools.id"), index=True)
    cloud_target_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("cloud_targets.id"), index=True, doc="None: local, or not chosen yet"
    )
    labels: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict)
    contacts: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    entitlement_overrides: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    billing_provider: Mapped[str] = mapped_column(String(16), default="manual")
    stripe_customer_id: Mapped[str | None] = mapped_column(String(255), index=True)
    stripe_subscription_id: Mapped[str | None] = mapped_column(String(255), index=True)
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    created_by: Mapped[str | None] = mapped_column(String(200))
    # Who suspended the tenant: `operator` (holds until an operator resumes it, whatever Stripe
    # says) or `billing` (lifted by the next event that finds the subscription paid). None: not
    # suspended.
    suspended_by: Mapped[str | None] = mapped_column(String(16))

    def __repr__(self) -> str:
        return f"Tenant({self.slug!r}, {self.status!r})"
