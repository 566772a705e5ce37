"""The audit log's reads: events with the API's filters, by chain position."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.models.audit_event import AuditEvent


async def list_events(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID | None = None,
    actor: str | None = None,
    action: str | None = None,
    after_seq: int | None = None,
    limit: int = 50,
    newest_first: bool = False,
) -> tuple[list[AuditEvent], bool]:
    """One page of events (GET /v1/audit-events and the console) and whether more follow;
    `after_seq` is the last position of the previous page, in the page's order."""
    stmt: Any = select(AuditEvent)
    if tenant_id:
        stmt = stmt.where(AuditEvent.tenant_id == tenant_id)
    if actor:
        stmt = stmt.where(AuditEvent.actor == actor)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if after_seq is not None:
        stmt = stmt.where(
            AuditEvent.seq < after_seq if newest_first else AuditEvent.seq > after_seq
        )
    order = AuditEvent.seq.desc() if newest_first else AuditEvent.seq
    rows = list(await session.scalars(stmt.order_by(order).limit(limit + 1)))
    return rows[:limit], len(rows) > limit
