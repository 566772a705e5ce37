"""All audit SQL but the chain's append at commit (`chain.py`): events with the API's filters,
the chain in order, its head, a row's hash, a tenant's last status move."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit.chain import GENESIS_HASH
from paybill_control_plane.kit.filters import where_given
from paybill_control_plane.kit.pagination import split_page
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
    stmt: Any = where_given(
        select(AuditEvent),
        (AuditEvent.tenant_id, tenant_id),
        (AuditEvent.actor, actor),
        (AuditEvent.action, action),
    )
    if after_seq is not None:
        stmt = stmt.where(
            AuditEvent.seq < after_seq if newest_first else AuditEvent.seq > after_seq
        )
    order = AuditEvent.seq.desc() if newest_first else AuditEvent.seq
    return split_page(list(await session.scalars(stmt.order_by(order).limit(limit + 1))), limit)


async def events_in_order(session: AsyncSession) -> AsyncIterator[AuditEvent]:
    """Every event by chain position, streamed in batches."""
    result = await session.stream_scalars(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=1000)
    )
    async for event in result:
        yield event


async def chain_head(session: AsyncSession) -> tuple[int, str]:
    """The last event's (seq, row hash); (0, the genesis hash) for an empty chain."""
    row = (
        await session.execute(
            select(AuditEvent.seq, AuditEvent.row_hash).order_by(AuditEvent.seq.desc()).limit(1)
        )
    ).first()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS_HASH)


async def row_hash_at(session: AsyncSession, seq: int) -> str | None:
    """The hash of the event at chain position `seq` (None: no such row)."""
    held: str | None = await session.scalar(
        select(AuditEvent.row_hash).where(AuditEvent.seq == seq)
    )
    return held


async def status_moved_from(session: AsyncSession, tenant_id: uuid.UUID, status: str) -> str | None:
    """The status a tenant had before its latest committed, audited move into `status`."""
    before = AuditEvent.before["status"].astext
    found: str | None = await session.scalar(
        select(before)
        .where(
            AuditEvent.tenant_id == tenant_id,
            AuditEvent.target_type == "tenant",
            AuditEvent.after["status"].astext == status,
            before != status,
        )
        .order_by(AuditEvent.seq.desc())
        .limit(1)
    )
    return found
