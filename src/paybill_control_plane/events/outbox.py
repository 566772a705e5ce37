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

# Every outbound event of one commit in one statement (the commit hook runs with the chain
# lock held, so each round trip under it delays every other writer): the rows arrive as a JSON
# array in chain order; each gets the next sequence of its tenant (or of the global stream),
# consecutive within the batch; each is fanned out to every enabled endpoint that wants its type
# (and its tenant), with one delivery job per delivery.
_INSERT_ALL = text(
    """
WITH r AS (
  SELECT * FROM jsonb_to_recordset(CAST(:rows AS jsonb))
    AS r(ord int, id uuid, type text, occurred_at timestamptz, tenant_id uuid, subject text,
         data jsonb, audit_event_id uuid)
), numbered AS (
  SELECT r.*,
         coalesce(CASE WHEN r.tenant_id IS NULL
                       THEN (SELECT max(sequence) FROM outbound_events WHERE tenant_id IS NULL)
                       ELSE (SELECT max(sequence) FROM outbound_events o
                              WHERE o.tenant_id = r.tenant_id) END, 0)
         + row_number() OVER (PARTITION BY r.tenant_id ORDER BY r.ord) AS sequence
    FROM r
), e AS (
  INSERT INTO outbound_events (id, type, occurred_at, tenant_id, sequence, subject, data,
                               audit_event_id)
  SELECT id, type, occurred_at, tenant_id, sequence, subject, data, audit_event_id
    FROM numbered ORDER BY ord
  RETURNING id, type, tenant_id
), d AS (
  INSERT INTO webhook_deliveries (id, event_id, endpoint_id, status, attempts, created_at)
  SELECT gen_random_uuid(), e.id, w.id, 'pending', 0, now()
    FROM e JOIN webhook_endpoints w
      ON w.enabled
     AND jsonb_exists(w.event_types, e.type)
     AND (w.tenant_id IS NULL OR w.tenant_id = e.tenant_id)
  RETURNING id
)
SELECT (SELECT count(*) FROM e),
       (SELECT count(*) FROM unnest(procrastinate_defer_jobs_v1(ARRAY(
          SELECT ROW(CAST(:queue AS text), CAST(:task AS text), 0, NULL::text, NULL::text,
                     jsonb_build_object('delivery_id', d.id::text), NULL::timestamptz)
                 ::procrastinate_job_to_defer_v1
            FROM d))))
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
    events: list[dict[str, Any]] = []
    for row in rows:
        event_type = ACTION_EVENT_TYPES.get(row.action)
        if event_type is None:
            continue
        events.append(
            {
                "ord": len(events),
                "id": str(uuid.uuid4()),
                "type": event_type.value,
                "occurred_at": row.occurred_at.astimezone(UTC).isoformat(),
                "tenant_id": str(row.tenant_id) if row.tenant_id else None,
                "subject": f"{row.target_type}/{row.target_id}",
                "data": event_data(row),
                "audit_event_id": str(row.id),
            }
        )
    if events:
        params = {"rows": json.dumps(events), "queue": QUEUE.value, "task": DELIVER_TASK}
        session.execute(_INSERT_ALL, params)


register_commit_hook(derive_events)
