"""Steps with timings and progress lines of one attempt of a snapshot or restore, fenced.

Each write is a short transaction of its own that first checks the row's `attempt`: an execution
that a newer attempt took over (a worker thought dead that was not) writes nothing.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from paybill_control_plane.db.conflicts import retry_on_conflict
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.models.enums import StepStatus
from paybill_control_plane.models.tenant_snapshot import SnapshotRestore, TenantSnapshot
from paybill_control_plane.provisioning.steps import Step
from paybill_control_plane.telemetry import tracing

Row = TenantSnapshot | SnapshotRestore
R = TypeVar("R", TenantSnapshot, SnapshotRestore)
PROGRESS_EVERY_SECONDS = 1.0


async def fenced(session: AsyncSession, model: type[Row], row_id: uuid.UUID, attempt: int) -> Any:
    """The row, locked, unless a newer attempt has taken it over."""
    row: Row | None = await session.get(model, row_id, with_for_update=True)
    return row if row is not None and row.attempt == attempt else None


def steps_json(row: Row, attempt: int, steps: list[Step]) -> list[dict[str, Any]]:
    """The row's steps with this attempt's replaced by `steps` (earlier attempts' are kept)."""
    kept = [s for s in row.steps if s.get("attempt") != attempt]
    return kept + [s.to_json() | {"attempt": attempt} for s in steps]


class Tracker:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        model: type[Row],
        row_id: uuid.UUID,
        attempt: int,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.model = model
        self.row_id = row_id
        self.attempt = attempt
        self.steps: list[Step] = []
        self.last_line: str | None = None
        self._last_save = 0.0

    async def step(self, name: str, detail: str | None = None) -> Step:
        """Start a step (saved at once)."""
        span = tracing.start_span(f"step {name}", {"paybill.step": name})
        step = Step.start(name, detail, span)
        self.steps.append(step)
        await self.save()
        return step

    async def done(self, step: Step, detail: str | None = None) -> None:
        step.close(StepStatus.succeeded, detail)
        await self.save()

    def fail_running(self, message: str) -> None:
        for step in self.steps:
            if step.status is StepStatus.running:
                step.close(StepStatus.failed, message[:500])

    async def line(self, text: str) -> None:
        """A progress line from pg_dump/pg_restore: the latest is saved about once a second."""
        self.last_line = text[:1000]
        now = time.perf_counter()
        if now - self._last_save >= PROGRESS_EVERY_SECONDS:
            self._last_save = now
            await self.save()

    @retry_on_conflict()
    async def save(self) -> None:
        async with transaction(self.sessionmaker) as session:
            row = await fenced(session, self.model, self.row_id, self.attempt)
            if row is not None:
                self.apply(row)

    async def settle(
        self, session: AsyncSession, view: Callable[[R], dict[str, object]]
    ) -> tuple[R, dict[str, object]] | None:
        """For an attempt's last write: the row, fenced, with this attempt's steps written onto
        it, and its audit `view` from before; None if a newer attempt has taken it over."""
        row: R | None = await fenced(session, self.model, self.row_id, self.attempt)
        if row is None:
            return None
        before = view(row)
        self.apply(row)
        return row, before

    def apply(self, row: Row) -> None:
        """Write the steps and the latest line onto a row the caller has fenced."""
        row.steps = steps_json(row, self.attempt, self.steps)
        if self.last_line is not None:
            row.progress = self.last_line
