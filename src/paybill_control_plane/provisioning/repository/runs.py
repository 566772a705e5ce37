"""Run SQL: reads for the API (tenant-scoped for tenant-bound keys) and the executor's locks."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.errors import NotFound
from paybill_control_plane.kit.lookup import one_or_404
from paybill_control_plane.kit.pagination import fetch_page
from paybill_control_plane.models.enums import RunStatus
from paybill_control_plane.models.run import Run, RunLogLine


class RunNotFound(NotFound):
    type_slug = "run-not-found"
    title = "Run not found"


def _involves(tenant_id: uuid.UUID):  # type: ignore[no-untyped-def]
    return Run.tenant_ids.contains([str(tenant_id)])


async def get_run(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID, *, for_update: bool = False
) -> Run:
    stmt = select(Run).where(Run.id == run_id)
    if principal.is_tenant_scoped:
        assert principal.tenant_id is not None
        stmt = stmt.where(_involves(principal.tenant_id))
    return await one_or_404(
        session, stmt, RunNotFound, f"No run with id '{run_id}'.", lock=for_update
    )


async def find_run(
    session: AsyncSession, run_id: uuid.UUID, *, for_update: bool = False
) -> Run | None:
    """A run by id (None: gone); `for_update` locks it, the executor's first lock."""
    return await session.get(Run, run_id, with_for_update=for_update or None)


async def queued_run_for_update(session: AsyncSession, stack_id: uuid.UUID) -> Run | None:
    """The stack's run still waiting in the queue, locked (a new change joins it)."""
    return await session.scalar(
        select(Run)
        .where(Run.stack_id == stack_id, Run.status == RunStatus.queued)
        .with_for_update()
    )


async def runs_of_tenant(
    session: AsyncSession, tenant_id: uuid.UUID, *, limit: int, cursor: str | None
) -> tuple[list[Run], bool]:
    stmt = select(Run).where(_involves(tenant_id))
    return await fetch_page(session, stmt, Run.created_at, Run.id, cursor, limit, descending=True)


async def log_lines(
    session: AsyncSession, run_id: uuid.UUID, *, after: int, limit: int
) -> list[RunLogLine]:
    stmt = (
        select(RunLogLine)
        .where(RunLogLine.run_id == run_id, RunLogLine.id > after)
        .order_by(RunLogLine.id)
        .limit(limit)
    )
    return list(await session.scalars(stmt))


async def list_runs(
    session: AsyncSession,
    *,
    limit: int,
    cursor: str | None,
    tenant_id: uuid.UUID | None = None,
    status: str | None = None,
) -> tuple[list[Run], bool]:
    """Runs of every stack, newest first, optionally of one tenant or in one status."""
    stmt = select(Run)
    if tenant_id is not None:
        stmt = stmt.where(_involves(tenant_id))
    if status:
        stmt = stmt.where(Run.status == status)
    return await fetch_page(session, stmt, Run.created_at, Run.id, cursor, limit, descending=True)


async def runs_triggered_by(session: AsyncSession, trigger: str) -> list[Run]:
    """The runs a cause started (e.g. `stripe:<event id>`), oldest first."""
    stmt = select(Run).where(Run.trigger == trigger).order_by(Run.created_at, Run.id).limit(50)
    return list(await session.scalars(stmt))
