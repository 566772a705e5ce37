"""Phase 1, the claim: lock the run and its stack, decide apply, destroy, no-op or wait."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.db.base import utcnow
from paybill_control_plane.db.conflicts import retry_on_conflict
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.models.enums import RunStatus, StackStatus, StepStatus
from paybill_control_plane.models.run import Run
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.provisioning import cloud_runtime, plan_phase, planner
from paybill_control_plane.provisioning import repository as repo
from paybill_control_plane.provisioning._data_overlap import overlapped_data_tier
from paybill_control_plane.provisioning._jobs import defer_run_job
from paybill_control_plane.provisioning.executor._base import WORKER_ACTOR, _Claim, _ExecutorBase
from paybill_control_plane.provisioning.facts import desired_for, module_files_for
from paybill_control_plane.provisioning.service import record_run_outcome
from paybill_control_plane.provisioning.steps import Step
from paybill_control_plane.telemetry.metrics import observe_run_on_commit

RUNNABLE = (RunStatus.queued, RunStatus.retrying, RunStatus.running)
WAIT_POLL_SECONDS = 2.0
WAIT_LIMIT = timedelta(minutes=10)


class _ClaimPhase(_ExecutorBase):
    """Phase 1: claim."""

    @retry_on_conflict()
    async def _claim(self, run_id: uuid.UUID) -> _Claim | None:
        async with transaction(self.sessionmaker) as session:
            run = await repo.find_run(session, run_id, for_update=True)
            if run is None or run.status not in RUNNABLE:
                return None
            stack = await repo.find_stack(session, run.stack_id, for_update=True)
            assert stack is not None
            desired = await desired_for(session, stack, self.settings)
            if desired.waiting_for:
                await self._wait(session, run, desired.waiting_for)
                return None
            now = utcnow()
            run.attempt += 1
            run.started_at = run.started_at or now
            run.next_attempt_at = None
            spec = desired.spec
            if spec is None:
                if stack.applied_variables is None:
                    await self._noop(session, run, stack, "nothing to destroy: never applied")
                    return None
                model = stack.module.split("/", 1)[1]
                files = await module_files_for(session, stack)  # the release it runs
                spec = planner.render(
                    stack.cloud, model, stack.kind, stack.applied_variables, files
                )
                operation = "destroy"
            else:
                stack.desired_revision = spec.revision
                stack.variables = spec.variables
                if stack.status == StackStatus.applied and stack.applied_revision == spec.revision:
                    await self._noop(session, run, stack, "revision already applied")
                    return None
                operation = "apply"
            owner = await repo.stack_owner(session, stack)
            cloud = await cloud_runtime.prepare(session, stack, owner)
            run.status = RunStatus.running
            run.operation = operation
            run.revision = spec.revision
            stack.status = StackStatus.applying if operation == "apply" else StackStatus.destroying
            # A stack that was applied before has its workspace; a new one gets it created.
            workspace_exists = stack.applied_variables is not None
            # A create that no policy can fit is never held nor denied: decided now, in this
            # transaction, and not asked again (on `local` its data tier starts with init).
            ungated = (
                overlapped_data_tier(spec, operation)
                and not workspace_exists
                and await plan_phase.ungated(session, run, stack)
            )
            return _Claim(
                run.id,
                run.attempt,
                stack.id,
                stack.workspace,
                operation,
                spec,
                workspace_exists,
                list(run.tenant_ids),
                cloud,
                ungated=ungated,
            )

    async def _wait(self, session: AsyncSession, run: Run, reason: str) -> None:
        if utcnow() - run.created_at > WAIT_LIMIT:
            run.status = RunStatus.failed
            run.error = f"gave up waiting for {reason}"
            run.finished_at = utcnow()
            observe_run_on_commit(
                session, run.operation, RunStatus.failed, run.created_at, run.finished_at
            )
            await record_run_outcome(session, run, WORKER_ACTOR)
            for tenant in await repo.tenants_of_run(session, run, None):
                await self.outcomes.run_failed(session, tenant, WORKER_ACTOR, run.error)
            return
        if not any(Step.from_json(step).name == "wait" for step in run.steps):
            waiting = Step("wait", StepStatus.waiting, detail=f"waiting for {reason}")
            run.steps = [*run.steps, waiting.to_json()]
        await defer_run_job(
            session,
            run.id,
            run.stack_id,
            scheduled_at=utcnow() + timedelta(seconds=WAIT_POLL_SECONDS),
        )

    async def _noop(self, session: AsyncSession, run: Run, stack: Stack, why: str) -> None:
        now = utcnow()
        run.status = RunStatus.succeeded
        run.operation = "noop"
        run.revision = stack.applied_revision
        run.plan_summary = {"add": 0, "change": 0, "destroy": 0}
        run.steps = [
            *run.steps,
            Step(
                "plan",
                StepStatus.skipped,
                detail=why,
                started_at=now.isoformat(),
                finished_at=now.isoformat(),
                duration_ms=0,
            ).to_json(),
        ]
        run.finished_at = now
        observe_run_on_commit(session, "noop", RunStatus.succeeded, run.started_at, now)
        await record_run_outcome(session, run, WORKER_ACTOR)
        if stack.status == StackStatus.pending and stack.applied_variables is None:
            stack.status = StackStatus.destroyed if run.revision is None else stack.status
        for tenant in await repo.tenants_of_run(session, run, stack):
            await self.outcomes.run_succeeded(session, tenant, self.settings, WORKER_ACTOR)
