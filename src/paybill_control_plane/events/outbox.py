"""The transactional outbox: outbound events derived from the audit chain as a change commits.

`audit.chain` calls `derive_events` (registered below) with the events it has just linked,
while it holds the chain lock, inside the committing transaction. So an outbound event exists
if and only if its change committed, the per-tenant sequence follows commit order, and each
matching endpoint's delivery row and its first job are written in that same transaction: a
worker picks the job up right after COMMIT (procrastinate's NOTIFY).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from paybill_control_plane.audit.chain import register_commit_hook
from paybill_control_plane.events._jobs import DELIVER_TASK, QUEUE
from paybill_control_plane.events.types import ACTION_EVENT_TYPES
from paybill_control_plane.models.audit_event import AuditEvent

_INSERT = """
INSERT INTO outbound_events (id, type, occurred_at, tenant_id, sequence, subject, data,
                             audit_event_id)
SELECT :id, :type, :occurred_at, :tenant_id,
       coalesce((SELECT max(sequence) FROM outbound_events WHERE {where}), 0) + 1,
       :subject, CAST(:data AS jsonb), :audit_event_id
"""
_INSERT_TENANT = text(_INSERT.format(where="tenant_id = :tenant_id"))
_INSERT_GLOBAL = text(_INSERT.format(where="tenant_id IS NULL"))

# Fan out to every enabled endpoint that wants the type (and the tenant), and defer one job per
# delivery: one statement, in the committing transaction.
_FAN_OUT = text(
    """
WITH d AS (
  INSERT INTO webhook_deliveries (id, event_id, endpoint_id, status, attempts, created_at)
  SELECT gen_random_uuid(), :event_id, e.id, 'pending', 0, now()
    FROM webhook_endpoints e
   WHERE e.enabled
     AND jsonb_exists(e.event_types, :type)
     AND (e.tenant_id IS NULL OR e.tenant_id = :tenant_id)
  RETURNING id
)
SELECT count(*) FROM unnest(procrastinate_defer_jobs_v1(ARRAY(
  SELECT ROW(CAST(:queue AS text), CAST(:task AS text), 0, NULL::text, NULL::text,
             jsonb_build_object('delivery_id', d.id::text), NULL::timestamptz)
         ::procrastinate_job_to_defer_v1
    FROM d)))
"""
)


def event_data(row: AuditEvent) -> dict[str, Any]:
    """The event's `data`: what changed, as the audit chain recorded it (never secrets)."""
    return {
        "action": row.action,
        "actor": row.actor,
        "target": {"type": row.target_type, "id": row.target_id},
        "object": row.after,
        "previous": row.before,
    }


def derive_events(session: Session, rows: list[AuditEvent]) -> None:
    """Write the outbound events of the audited rows just appended (chain lock held)."""
    for row in rows:
        event_type = ACTION_EVENT_TYPES.get(row.action)
        if event_type is None:
            continue
        event_id = uuid.uuid4()
        params = {
            "id": event_id,
            "type": event_type.value,
            "occurred_at": row.occurred_at.astimezone(UTC),
            "tenant_id": row.tenant_id,
            "subject": f"{row.target_type}/{row.target_id}",
            "data": json.dumps(event_data(row)),
            "audit_event_id": row.id,
        }
        session.execute(_INSERT_TENANT if row.tenant_id else _INSERT_GLOBAL, params)
        session.execute(
            _FAN_OUT,
            {
                "event_id": event_id,
                "type": event_type.value,
                "tenant_id": row.tenant_id,
                "queue": QUEUE.value,
                "task": DELIVER_TASK,
            },
        )


register_commit_hook(derive_events)
