"""Outbound events (the outbox), the endpoints that receive them and each delivery's attempts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from paybill_control_plane.db.base import Base, IdMixin, TimestampMixin


class OutboundEvent(Base):
    """One event for the application plane, written in the transaction of the change it reports."""

    __tablename__ = "outbound_events"
    __table_args__ = (
        Index("ix_outbound_events_occurred_at_id", "occurred_at", "id"),
        Index("ix_outbound_events_tenant_id_sequence", "tenant_id", "sequence"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime]
    tenant_id: Mapped[uuid.UUID | None]
    # Per tenant (one counter for events without a tenant), assigned under the audit chain's
    # lock, so it follows commit order without gaps.
    sequence: Mapped[int] = mapped_column(BigInteger)
    subject: Mapped[str] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)
    audit_event_id: Mapped[uuid.UUID | None]


class WebhookEndpoint(IdMixin, TimestampMixin, Base):
    """A URL of the application plane that receives signed events (Standard Webhooks)."""

    __tablename__ = "webhook_endpoints"

    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(String(500), default="")
    event_types: Mapped[list[str]] = mapped_column(JSONB)
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(doc="only this tenant's events")
    enabled: Mapped[bool] = mapped_column(default=True)
    disabled_reason: Mapped[str | None] = mapped_column(String(500))
    secret_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    # During a rotation window the previous secret signs too.
    previous_secret_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    previous_secret_expires_at: Mapped[datetime | None]
    # First failure of the current run of failures (None: the last attempt succeeded).
    failing_since: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)


class WebhookDelivery(IdMixin, Base):
    """One event to one endpoint: pending until a 2xx, retried on a schedule, or failed."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_endpoint_id_created_at", "endpoint_id", "created_at"),
    )

    event_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("outbound_events.id", ondelete="CASCADE"), index=True
    )
    endpoint_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


class WebhookAttempt(IdMixin, Base):
    """One HTTP attempt of a delivery: what the receiver answered and how long it took."""

    __tablename__ = "webhook_attempts"
    __table_args__ = (
        Index(
            "ix_webhook_attempts_endpoint_id_attempted_at_id", "endpoint_id", "attempted_at", "id"
        ),
    )

    delivery_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True
    )
    endpoint_id: Mapped[uuid.UUID]
    event_id: Mapped[uuid.UUID]
    attempt: Mapped[int] = mapped_column(Integer)
    attempted_at: Mapped[datetime]
    status_code: Mapped[int | None] = mapped_column(Integer)
    latency_ms: Mapped[float]
    error: Mapped[str | None] = mapped_column(Text)


class LicenceKey(Base):
    """An Ed25519 key that signs licences; the private half is stored encrypted."""

    __tablename__ = "licence_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    private_key_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime]
    # A retired key signs nothing new but stays published until the licences it signed expire.
    retired_at: Mapped[datetime | None]


class LicenceRenewal(Base):
    """The latest licence sent to a tenant in a `tenant.licence_renewed` event."""

    __tablename__ = "licence_renewals"

    tenant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    kid: Mapped[str] = mapped_column(String(64))
    jti: Mapped[uuid.UUID]
    issued_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
