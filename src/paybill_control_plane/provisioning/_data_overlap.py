"""The data tier of a `local` apply runs while Terraform applies the judged plan, not after.

A run's `database` step makes (or resumes, suspends) its tenants' real databases
(`datatier/runs.py`). On a real cloud it reads the module's outputs, so it must follow the
apply. On `local` it needs nothing from the apply (the names derive from the ids, the server
is the control plane's own) and the module's resources are `terraform_data` records: the
step is what a cloud module does inside its apply, and it takes about as long as the apply
itself, so running it after the apply made a silo provision take the sum of both
(docs/performance.md). Both are idempotent: after a crash, or when either fails, the next
attempt converges both again; the run succeeds only when both did.

When it starts (`RunExecutor._terraform`):
- once the saved plan has been judged by the policies (nothing awaits approval, nothing was
  denied): alongside the apply of exactly that plan. A run held or denied has touched no
  database.
- a create no policy can fit (`plan_phase.ungated`, decided from the policies' `applies_to`
  before init and not asked again, so no verdict can follow): alongside init, plan and apply.
  The plan is still saved and stored before it is applied.
A destroy keeps its order (final snapshot and drop before the destroy's apply).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from paybill_control_plane.provisioning.planner import StackSpec

log = logging.getLogger(__name__)


def overlapped_data_tier(spec: StackSpec, operation: str) -> bool:
    """Whether the run's data tier runs concurrently with Terraform (once nothing can hold or
    deny the run): a `local` apply."""
    return operation == "apply" and spec.cloud == "local"


class Alongside:
    """Work started during a block (`start`) and settled when the block ends.

    The block succeeded: the work is awaited and its failure raised (the run fails and is
    retried). The block failed: the work is still waited for (never left running past the
    run's outcome), its own failure only logged, the block's raised. Cancelled: so is the work.
    """

    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    @property
    def started(self) -> bool:
        return self._task is not None

    def start(self, work: Coroutine[Any, Any, None]) -> None:
        assert self._task is None, "one piece of work at a time"
        self._task = asyncio.create_task(work)

    async def __aenter__(self) -> Alongside:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: Any, tb: Any) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        if exc_type is None:
            await task
            return
        if issubclass(exc_type, asyncio.CancelledError):
            task.cancel()
        (outcome,) = await asyncio.gather(task, return_exceptions=True)
        if isinstance(outcome, Exception):
            log.warning("the data tier failed alongside a failed run: %s", outcome)
