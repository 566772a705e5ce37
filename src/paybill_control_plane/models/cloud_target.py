from __future__ import annotations

from typing import Any

from sqlalchemy import Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from paybill_control_plane.db.base import Base, IdMixin, TimestampMixin


class CloudTarget(IdMixin, TimestampMixin, Base):
    """Where tenants of one cloud are provisioned: an account, subscription, project or tenancy.

    Credentials are stored only as an AES-GCM blob bound to the row's id
    (``clouds.credentials``); ``credential_keys`` names what the blob holds, for display.
    """

    __tablename__ = "cloud_targets"
    __table_args__ = (
        UniqueConstraint("cloud", "name"),
        Index("ix_cloud_targets_created_at_id", "created_at", "id"),
    )

    cloud: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(String(63))
    default_region: Mapped[str] = mapped_column(String(64))
    account_ref: Mapped[str] = mapped_column(
        String(255),
        doc="AWS account, Azure subscription, GCP project/org, OCI tenancy, IBM account",
    )
    endpoint_url: Mapped[str | None] = mapped_column(String(2048))
    settings: Mapped[dict[str, str]] = mapped_column(JSONB, default=dict, doc="non-secret")
    state_backend: Mapped[dict[str, Any]] = mapped_column(
        JSONB, default=dict, doc='{"kind": "pg|s3|azurerm|gcs", "config": {...}} (non-secret)'
    )
    credentials_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    credential_keys: Mapped[list[str]] = mapped_column(JSONB, default=list)
    last_validation: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    version: Mapped[int] = mapped_column(default=1)
    created_by: Mapped[str | None] = mapped_column(String(200))
