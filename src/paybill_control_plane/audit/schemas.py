"""The audit API's models."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import Field

from paybill_control_plane.kit.schemas import OutputModel


class AuditEventOut(OutputModel):
    seq: int = Field(description="Position in the chain.")
    id: uuid.UUID
    occurred_at: datetime
    actor: str
    action: str
    target_type: str
    target_id: str
    tenant_id: uuid.UUID | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None
    prev_hash: str
    row_hash: str


class AuditPublicKey(OutputModel):
    algorithm: str = Field(description="Always `Ed25519`.", examples=["Ed25519"])
    public_key_pem: str = Field(description="SubjectPublicKeyInfo PEM.")
    key_id: str = Field(description="Written into every checkpoint this key signs.")
    fingerprint: str = Field(description="SHA-256 of the raw 32-byte public key, hex.")
