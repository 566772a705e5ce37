"""The hash chain: how a row's hash is computed from its content and its predecessor's hash."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from paybill_control_plane.kit.canonical import canonical_json, sha256_hex
from paybill_control_plane.models.audit_event import AuditEvent

GENESIS_HASH = "0" * 64


def row_content(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": str(event.id),
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(),
        "actor": event.actor,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "tenant_id": str(event.tenant_id) if event.tenant_id else None,
        "before": event.before,
        "after": event.after,
        "request_id": event.request_id,
    }


def compute_row_hash(prev_hash: str, event: AuditEvent) -> str:
    return sha256_hex(prev_hash + canonical_json(row_content(event)))
