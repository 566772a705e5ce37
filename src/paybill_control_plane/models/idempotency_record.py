from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, SmallInteger, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from paybill_control_plane.db.base import Base


class IdempotencyRecord(Base):
    """The first response to a POST sent with an `Idempotency-Key`, per API key, for replays.

    A row is inserted (status NULL) in the same transaction as the request's changes and
    completed before that transaction commits, so a committed row always has its response.
    """

    __tablename__ = "idempotency_records"
    __table_args__ = (Index("ix_idempotency_records_expires_at", "expires_at"),)

    key_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("api_keys.id", ondelete="CASCADE"), primary_key=True
    )
    idempotency_key: Mapped[str] = mapped_column(String(255), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(16))
    path: Mapped[str] = mapped_column(String(2048))
    status_code: Mapped[int | None] = mapped_column(SmallInteger)
    headers: Mapped[list[list[str]]] = mapped_column(JSONB, default=list)
    # `sealed`: AES-GCM under PAYBILL_SECRET_KEY; `plain`; `withheld`: carried a secret and no
    # key was configured, so it was not stored (a replay says so instead of showing it).
    body_format: Mapped[str] = mapped_column(String(8), default="plain")
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    expires_at: Mapped[datetime]
