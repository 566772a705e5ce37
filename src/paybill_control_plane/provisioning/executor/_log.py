"""The run's log: Terraform's lines, written to run_log_lines in small batches."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from paybill_control_plane.db.base import utcnow
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.models.run import RunLogLine

_LOG_FLUSH_LINES = 20
_EXCERPT_LINES = 30


class _RunLog:
    """Collects Terraform's lines and writes them to run_log_lines in small batches."""

    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], run_id: uuid.UUID, attempt: int
    ) -> None:
        self.sessionmaker = sessionmaker
        self.run_id = run_id
        self.attempt = attempt
        self.pending: list[str] = []
        self.tail: list[str] = []

    async def line(self, text: str) -> None:
        self.pending.append(text)
        self.tail = [*self.tail, text][-_EXCERPT_LINES:]
        if len(self.pending) >= _LOG_FLUSH_LINES:
            await self.flush()

    async def flush(self) -> None:
        if not self.pending:
            return
        async with transaction(self.sessionmaker) as session:
            self.add_pending(session)

    def add_pending(self, session: AsyncSession) -> None:
        """The lines not written yet, added to `session` (the outcome's transaction writes the
        last ones with the outcome: one transaction fewer before `active`)."""
        lines, self.pending = self.pending, []
        now = utcnow()
        session.add_all(
            RunLogLine(run_id=self.run_id, attempt=self.attempt, line=line, created_at=now)
            for line in lines
        )
