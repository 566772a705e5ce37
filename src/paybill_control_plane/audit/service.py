"""Appending audit events and verifying the chain."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import repository
from paybill_control_plane.audit.chain import (
    GENESIS_HASH,
    compute_row_hash,
    pending_events,
    queue_event,
)
from paybill_control_plane.auth.principal import Principal, actor_name
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.kit.canonical import to_jsonable
from paybill_control_plane.kit.request_context import current_request_id
from paybill_control_plane.models.audit_event import AuditEvent


async def record(
    session: AsyncSession,
    *,
    actor: Principal | str,
    action: str,
    target_type: str,
    target_id: str | uuid.UUID,
    tenant_id: uuid.UUID | None = None,
    before: Any = None,
    after: Any = None,
    request_id: str | None = None,
) -> AuditEvent:
    """Queue one event for the chain; it is linked and written as the transaction commits.

    The returned event gets its `seq`, `prev_hash` and `row_hash` at commit (see
    `audit.chain.append_pending`), so the chain lock is held only for that final append.
    """
    event = AuditEvent(
        id=uuid.uuid4(),
        occurred_at=utcnow(),
        actor=actor_name(actor),
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        tenant_id=tenant_id,
        before=to_jsonable(before) if before is not None else None,
        after=to_jsonable(after) if after is not None else None,
        request_id=request_id or current_request_id(),
    )
    queue_event(session.sync_session, event)
    return event


async def status_before(session: AsyncSession, tenant_id: uuid.UUID, status: str) -> str | None:
    """The status a tenant had before its latest audited move into `status` (None: never)."""
    for row in reversed(pending_events(session.sync_session)):
        if _moved_into(row.tenant_id, row.before, row.after, tenant_id, status):
            return str((row.before or {}).get("status"))
    return await repository.status_moved_from(session, tenant_id, status)


def _moved_into(
    row_tenant: uuid.UUID | None, before: Any, after: Any, tenant_id: uuid.UUID, status: str
) -> bool:
    return (
        row_tenant == tenant_id
        and isinstance(after, dict)
        and after.get("status") == status
        and isinstance(before, dict)
        and before.get("status") != status
    )


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    event_id: uuid.UUID
    reason: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


async def verify_chain(session: AsyncSession) -> ChainReport:
    """Recompute every hash; name the first row whose content or link does not match."""
    expected_prev = GENESIS_HASH
    checked = 0
    async for event in repository.events_in_order(session):
        if event.prev_hash != expected_prev:
            reason = "its previous hash does not match: a row before it was removed or altered"
            return _problem(checked, event, reason)
        if compute_row_hash(event.prev_hash, event) != event.row_hash:
            return _problem(
                checked, event, "its content does not match its hash: the row was altered"
            )
        expected_prev = event.row_hash
        checked += 1
    return ChainReport(checked=checked, problem=None)


def _problem(checked: int, event: AuditEvent, reason: str) -> ChainReport:
    return ChainReport(checked=checked, problem=ChainProblem(event.seq, event.id, reason))
