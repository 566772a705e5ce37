"""Moving one stack to a release: record it on the stack and queue a normal run."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.config import Settings
from paybill_control_plane.models.run import Run
from paybill_control_plane.models.stack import Stack

# Issue 14 (the lifecycle layer) owns starting runs; until then the fleet asks provisioning.
from paybill_control_plane.provisioning.service import request_run


async def lock_stack(session: AsyncSession, stack_id: uuid.UUID | None) -> Stack:
    """The stack, locked until commit (a fleet target's or finding's stack is never deleted)."""
    stack = await session.get(Stack, stack_id, with_for_update=True)
    assert stack is not None
    return stack


async def move_stack(
    session: AsyncSession,
    stack: Stack,
    release_id: uuid.UUID | None,
    *,
    kind: str,
    trigger: str,
    actor: Principal | str,
    settings: Settings,
    tenant_id: uuid.UUID | None,
) -> Run:
    """Point `stack` (locked by the caller) at `release_id` and queue the run that applies it.

    The run goes through the same executor as every other: the release's files are rendered by
    the planner (provisioning/facts.py reads `stack.release_id`)."""
    if stack.release_id != release_id:
        stack.previous_release_id = stack.release_id
        stack.release_id = release_id
    return await request_run(
        session,
        stack,
        kind=kind,
        trigger=trigger,
        tenant_ids=[tenant_id] if tenant_id is not None else [],
        actor=actor,
        settings=settings,
    )
