"""Phase 3, the outcome: the run succeeded, will be retried, or failed; its stack and tenants follow."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.db.base import utcnow
from paybill_control_plane.db.conflicts import retry_on_conflict
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.models.enums import DriftStatus, RunStatus, StackStatus, StepStatus
from paybill_control_plane.models.run import Run
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.provisioning import policy_gate
from paybill_control_plane.provisioning import repository as repo
from paybill_control_plane.provisioning._jobs import defer_run_job
from paybill_control_plane.provisioning.executor._base import (
    WORKER_ACTOR,
    _Claim,
    _ExecutorBase,
    _fenced_run,
)
from paybill_control_plane.provisioning.executor._log import _RunLog
from paybill_control_plane.provisioning.service import record_run_outcome
from paybill_control_plane.provisioning.steps import Step
from paybill_control_plane.telemetry.metrics import observe_run_on_commit


class _OutcomePhase(_ExecutorBase):
    """Phase 3: outcome."""

    async def _settled(
        self, session: AsyncSession, claim: _Claim, steps: list[Step]
    ) -> tuple[Run, Stack] | None:
        """The run (fenced) with its final steps written, and its stack, both locked; None: a
        newer attempt owns the run. Background step saves finish first."""
        if claim.steps_writer is not None:
            await claim.steps_writer.settle()
        run = await _fenced_run(session, claim)
        if run is None:
            return None
        await self._settle_steps(claim, run, steps)
        stack = await repo.find_stack(session, claim.stack_id, for_update=True)
        assert stack is not None
        # What the run left for this transaction instead of one of its own each: a `local`
        # boundary (recomputed by a next attempt, it is a function of the tenant) and the
        # JSON of a plan shown while it was applied.
        if claim.boundary_to_record is not None:
            stack.boundary = claim.boundary_to_record
        if claim.shown_plan is not None:
            plan_id, shown = claim.shown_plan
            await policy_gate.fill_plan(session, plan_id, shown)
        return run, stack

    @retry_on_conflict()
    async def _succeed(
        self, claim: _Claim, steps: list[Step], outputs: dict[str, Any], runlog: _RunLog
    ) -> None:
        async with transaction(self.sessionmaker) as session:
            runlog.add_pending(session)  # written even if a newer attempt owns the run
            settled = await self._settled(session, claim, steps)
            if settled is None:
                return
            run, stack = settled
            tail = runlog.tail
            if claim.operation == "apply":
                stack.status = StackStatus.applied
                stack.applied_revision = claim.spec.revision
                stack.applied_variables = claim.spec.variables
                stack.outputs = outputs
            else:
                stack.status = StackStatus.destroyed
                stack.boundary = None  # removed by the run, after the destroy
                stack.applied_revision = None
                stack.applied_variables = None
                stack.outputs = {}
            stack.drift_status = DriftStatus.in_sync
            run.status = RunStatus.succeeded
            run.finished_at = utcnow()
            observe_run_on_commit(
                session, claim.operation, RunStatus.succeeded, run.started_at, run.finished_at
            )
            run.log_excerpt = "\n".join(tail)
            await record_run_outcome(session, run, WORKER_ACTOR)
            for tenant in await repo.tenants_of_run(session, run, stack):
                await self.outcomes.run_succeeded(session, tenant, self.settings, WORKER_ACTOR)

    @retry_on_conflict()
    async def _fail(
        self,
        claim: _Claim,
        steps: list[Step],
        message: str,
        tail: list[str],
        *,
        retryable: bool = True,
    ) -> None:
        for step in steps:
            if step.status is StepStatus.running:
                step.close(StepStatus.failed, message[:500])
        async with transaction(self.sessionmaker) as session:
            settled = await self._settled(session, claim, steps)
            if settled is None:
                return
            run, stack = settled
            run.error = message
            run.log_excerpt = "\n".join(tail)
            if run.attempt < run.max_attempts and retryable:
                base = self.settings.run_retry_base_seconds
                delay = base * 2 ** (run.attempt - 1) + random.uniform(0, base)  # noqa: S311
                run.status = RunStatus.retrying
                run.next_attempt_at = utcnow() + timedelta(seconds=delay)
                await defer_run_job(session, run.id, run.stack_id, scheduled_at=run.next_attempt_at)
                return
            run.status = RunStatus.failed
            run.finished_at = utcnow()
            observe_run_on_commit(
                session, claim.operation, RunStatus.failed, run.started_at, run.finished_at
            )
            stack.status = StackStatus.failed
            await record_run_outcome(session, run, WORKER_ACTOR)
            for tenant in await repo.tenants_of_run(session, run, stack):
                await self.outcomes.run_failed(
                    session, tenant, WORKER_ACTOR, f"run {run.id} failed: {message[:300]}"
                )
