"""/v1/audit-events."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field
from sqlalchemy import select

from paybill_control_plane.auth.dependencies import AuditReader
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.errors import InvalidCursor
from paybill_control_plane.http_controls import ControlledRoute
from paybill_control_plane.kit.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page
from paybill_control_plane.kit.problems import AUTHED, problem_responses
from paybill_control_plane.kit.schemas import NO_NUL_PATTERN, OutputModel
from paybill_control_plane.models.audit_event import AuditEvent

router = APIRouter(prefix="/v1/audit-events", tags=["audit"], route_class=ControlledRoute)


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


@router.get(
    "",
    summary="List audit events, oldest first (cursor-paginated)",
    responses=problem_responses(*AUTHED),
)
async def audit_events_list(
    session: SessionDep,
    _: AuditReader,
    tenant_id: uuid.UUID | None = None,
    actor: Annotated[
        str | None, Query(max_length=200, pattern=NO_NUL_PATTERN, description="Only this actor.")
    ] = None,
    action: Annotated[
        str | None,
        Query(max_length=100, pattern=NO_NUL_PATTERN, description="e.g. `tenant.created`."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page.")] = None,
) -> Page[AuditEventOut]:
    """Every change, oldest first; `paybill audit verify` recomputes the hash chain."""
    stmt = select(AuditEvent)
    if tenant_id:
        stmt = stmt.where(AuditEvent.tenant_id == tenant_id)
    if actor:
        stmt = stmt.where(AuditEvent.actor == actor)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if cursor:
        if not cursor.isdigit():
            raise InvalidCursor("The cursor is not one this API returned.")
        stmt = stmt.where(AuditEvent.seq > int(cursor))
    rows = list(await session.scalars(stmt.order_by(AuditEvent.seq).limit(limit + 1)))
    page = rows[:limit]
    next_cursor = str(page[-1].seq) if len(rows) > limit and page else None
    return Page[AuditEventOut](
        items=[AuditEventOut.model_validate(r) for r in page], next_cursor=next_cursor
    )
