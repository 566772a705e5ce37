"""Approval and saved-plan SQL: the approval requests a policy opens, the plans they bind."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.db.base import utcnow
from paybill_control_plane.kit.pagination import fetch_page
from paybill_control_plane.models.approval import Approval
from paybill_control_plane.models.enums import ApprovalStatus
from paybill_control_plane.models.run_plan import RunPlan

OPEN_APPROVALS = (ApprovalStatus.pending.value, ApprovalStatus.approved.value)


async def list_approvals(
    session: AsyncSession, status: ApprovalStatus | None, *, limit: int, cursor: str | None
) -> tuple[list[Approval], bool]:
    """Approval requests, newest first, by (effective) status."""
    stmt = select(Approval)
    now = utcnow()
    pending = Approval.status == ApprovalStatus.pending
    if status is ApprovalStatus.pending:
        stmt = stmt.where(pending, Approval.expires_at > now)
    elif status is ApprovalStatus.expired:
        stmt = stmt.where(or_(Approval.status == status, and_(pending, Approval.expires_at <= now)))
    elif status is not None:
        stmt = stmt.where(Approval.status == status)
    return await fetch_page(
        session, stmt, Approval.created_at, Approval.id, cursor, limit, descending=True
    )


async def approval_of_run(
    session: AsyncSession, run_id: uuid.UUID, status: ApprovalStatus | None = None
) -> Approval | None:
    """The run's newest approval request, of any status or of `status` (None: none such; no
    status: no policy held the run)."""
    stmt = select(Approval).where(Approval.run_id == run_id)
    if status is not None:
        stmt = stmt.where(Approval.status == status)
    return await session.scalar(stmt.order_by(Approval.created_at.desc(), Approval.id).limit(1))


async def pending_approval_for_update(session: AsyncSession, run_id: uuid.UUID) -> Approval | None:
    """The run's pending approval request, locked (an approval or a rejection decides it)."""
    return await session.scalar(
        select(Approval)
        .where(Approval.run_id == run_id, Approval.status == ApprovalStatus.pending)
        .with_for_update()
    )


async def open_approvals_for_update(session: AsyncSession, run_id: uuid.UUID) -> list[Approval]:
    """The run's pending or approved requests, locked (to void them)."""
    rows = await session.scalars(
        select(Approval)
        .where(Approval.run_id == run_id, Approval.status.in_(OPEN_APPROVALS))
        .with_for_update()
    )
    return list(rows)


async def newest_plan(session: AsyncSession, run_id: uuid.UUID) -> RunPlan | None:
    """The run's newest saved plan."""
    return await session.scalar(
        select(RunPlan)
        .where(RunPlan.run_id == run_id)
        .order_by(RunPlan.created_at.desc(), RunPlan.id)
        .limit(1)
    )


async def find_plan(session: AsyncSession, plan_id: uuid.UUID) -> RunPlan | None:
    return await session.get(RunPlan, plan_id)


async def supersede_plans(session: AsyncSession, run_id: uuid.UUID, now: datetime) -> None:
    """Mark the run's current plans superseded (a new plan takes their place)."""
    await session.execute(
        update(RunPlan)
        .where(RunPlan.run_id == run_id, RunPlan.superseded_at.is_(None))
        .values(superseded_at=now)
    )


async def fill_plan(
    session: AsyncSession, plan_id: uuid.UUID, plan_json: dict[str, Any], summary: dict[str, Any]
) -> None:
    """Set the shown JSON and summary of a plan saved before it was shown."""
    await session.execute(
        update(RunPlan).where(RunPlan.id == plan_id).values(plan_json=plan_json, summary=summary)
    )
