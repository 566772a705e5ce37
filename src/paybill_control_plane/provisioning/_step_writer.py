"""Writing a run's step list in the background, coalesced, off Terraform's critical path.

Each step used to be saved in its own transaction when it started and when it finished (about
seven per run), each awaited before the next Terraform command could start. The step list is
for people following a run; the outcome transaction writes the final list anyway. So a change
only marks the list dirty, one background task writes the newest version (a change made while a
write is in flight is folded into the next write), and the outcome waits for it to settle.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


class StepWriter:
    def __init__(self, write: Callable[[], Awaitable[None]]) -> None:
        self._write = write
        self._dirty = False
        self._task: asyncio.Task[None] | None = None

    def changed(self) -> None:
        """The step list changed: have it written soon (never waits)."""
        self._dirty = True
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain())

    async def _drain(self) -> None:
        while self._dirty:
            self._dirty = False
            try:
                await self._write()
            except Exception:  # progress display only: the outcome writes the final list
                log.exception("saving a run's steps failed")

    async def settle(self) -> None:
        """Wait until no write is in flight (before the outcome transaction writes the list)."""
        if self._task is not None:
            await asyncio.shield(self._task)
