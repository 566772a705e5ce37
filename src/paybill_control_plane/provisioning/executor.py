"""Executing one run: claim it, converge its stack with real Terraform, record steps, settle tenants.

A run is idempotent: it renders what its stack should be *now* and converges to it, so a job
that is picked up again after a worker crash finishes the work instead of repeating it. Every
database write is a short transaction; Terraform runs outside them. `attempt` is the fencing
token: an execution that finds a newer attempt recorded stops without writing.
"""

from __future__ import annotations

import asyncio
import logging
import random
import shutil
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from paybill_control_plane.clouds import CloudError
from paybill_control_plane.config import Settings
from paybill_control_plane.datatier.provision import DataTierContext
from paybill_control_plane.datatier.runs import converge_stack
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.db.conflicts import retry_on_conflict
from paybill_control_plane.db.embedded import to_libpq_url
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.kit.net_guard import EgressPolicy, guarded
from paybill_control_plane.kit.request_context import run_id_var, tenant_id_var
from paybill_control_plane.models.enums import DriftStatus, RunStatus, StackStatus, StepStatus
from paybill_control_plane.models.run import Run, RunLogLine
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.provisioning import cloud_runtime, plan_phase, planner
from paybill_control_plane.provisioning._jobs import defer_run_job
from paybill_control_plane.provisioning._step_writer import StepWriter
from paybill_control_plane.provisioning.cloud_runtime import CloudRun, CloudTargetUnusable
from paybill_control_plane.provisioning.facts import desired_for, module_files_for
from paybill_control_plane.provisioning.outcomes import RunOutcomes
from paybill_control_plane.provisioning.planner import StackSpec
from paybill_control_plane.provisioning.service import record_run_outcome
from paybill_control_plane.provisioning.steps import Step
from paybill_control_plane.provisioning.terraform import TerraformError, TerraformRunner
from paybill_control_plane.telemetry import tracing
from paybill_control_plane.telemetry.metrics import observe_run_on_commit
from paybill_control_plane.telemetry.redact import secrets_in_scope

log = logging.getLogger(__name__)
T = TypeVar("T")

WORKER_ACTOR = "worker"
RUNNABLE = (RunStatus.queued, RunStatus.retrying, RunStatus.running)
WAIT_POLL_SECONDS = 2.0
WAIT_LIMIT = timedelta(minutes=10)
_LOG_FLUSH_LINES = 20
_EXCERPT_LINES = 30


def terraform_state_env(database_url: str) -> dict[str, str]:
    """The pg backend's connection, passed by environment so no stack file holds it."""
    conn = to_libpq_url(database_url)
    if "sslmode=" not in conn:
        conn += ("&" if "?" in conn else "?") + "sslmode=disable"
    return {"PG_CONN_STR": conn, "PG_SCHEMA_NAME": "terraform_state"}


@dataclass
class _Claim:
    run_id: uuid.UUID
    attempt: int
    stack_id: uuid.UUID
    workspace: str
    operation: str  # apply | destroy
    spec: StackSpec
    workspace_exists: bool
    tenant_ids: list[str] = field(default_factory=list)
    cloud: CloudRun | None = None
    # Decrypted credential values, only to scrub them from failure messages.
    secrets: list[str] = field(default_factory=list, repr=False)
    # Step-list saves in the background; the plan counts wait for the outcome transaction.
    steps_writer: StepWriter | None = field(default=None, repr=False)
    plan_summary: dict[str, int] | None = None


def _steps_json(run: Run, claim: _Claim, steps: list[Step]) -> list[dict[str, Any]]:
    """The run's steps with this attempt's replaced by `steps`."""
    kept = [s for s in map(Step.from_json, run.steps) if s.attempt != claim.attempt]
    return [s.to_json() for s in kept] + [s.to_json() | {"attempt": claim.attempt} for s in steps]


async def _fenced_run(session: AsyncSession, claim: _Claim) -> Run | None:
    """The claim's run, locked, unless a newer attempt has taken it over (the fencing token)."""
    run = await session.get(Run, claim.run_id, with_for_update=True)
    return run if run is not None and run.attempt == claim.attempt else None


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
        lines, self.pending = self.pending, []
        now = utcnow()
        async with transaction(self.sessionmaker) as session:
            session.add_all(
                RunLogLine(run_id=self.run_id, attempt=self.attempt, line=line, created_at=now)
                for line in lines
            )


class RunExecutor:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        settings: Settings,
        database_url: str,
        outcomes: RunOutcomes,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.settings = settings
        # What a finished run means for its tenants is the lifecycle layer's to decide.
        self.outcomes = outcomes
        self.state_env = terraform_state_env(database_url)
        self.data_tier = DataTierContext(sessionmaker, settings, database_url)

    async def execute(self, run_id: uuid.UUID) -> None:
        """Run one attempt; its log lines carry the run id (and the tenant's, when it has one)."""
        run_token = run_id_var.set(str(run_id))
        tenant_token = tenant_id_var.set(None)
        try:
            with tracing.span("run.execute", {tracing.RUN_ID: str(run_id)}):
                await self._execute(run_id)
        finally:
            tenant_id_var.reset(tenant_token)
            run_id_var.reset(run_token)

    async def _execute(self, run_id: uuid.UUID) -> None:
        claim = await self._claim(run_id)
        if claim is None:
            return
        if len(claim.tenant_ids) == 1:
            tenant_id_var.set(claim.tenant_ids[0])
        tracing.set_attributes(
            {
                "paybill.operation": claim.operation,
                "paybill.attempt": claim.attempt,
                "paybill.stack_id": str(claim.stack_id),
            }
        )
        runlog = _RunLog(self.sessionmaker, claim.run_id, claim.attempt)
        steps: list[Step] = []
        claim.steps_writer = StepWriter(lambda: self._write_steps(claim, steps))
        try:
            # Any log line of this attempt masks the run's decrypted credentials.
            with secrets_in_scope(lambda: claim.secrets):
                outputs = await self._terraform(claim, runlog, steps)
        except plan_phase.RunHeld:  # awaiting approval (the gate recorded it), or fenced out
            await runlog.flush()
            return
        except Exception as exc:  # any failure is recorded on the run, never lost
            await runlog.flush()
            expected = isinstance(
                exc, (TerraformError, CloudError, CloudTargetUnusable, plan_phase.PolicyDenied)
            )
            if isinstance(exc, TerraformError):
                message = exc.message
            else:
                message = str(exc) if expected else f"{type(exc).__name__}: {exc}"
            message = cloud_runtime.scrub(message, claim.secrets)
            retryable = not (
                cloud_runtime.is_permanent(exc) or isinstance(exc, plan_phase.PolicyDenied)
            )
            await self._fail(claim, steps, message, runlog.tail, retryable=retryable)
            if not expected:
                trace = "".join(traceback.format_exception(exc))
                log.error(
                    "run %s failed\n%s", claim.run_id, cloud_runtime.scrub(trace, claim.secrets)
                )
            return
        await runlog.flush()
        await self._succeed(claim, steps, outputs, runlog.tail)

    # -- phase 1: claim ----------------------------------------------------------------------

    @retry_on_conflict()
    async def _claim(self, run_id: uuid.UUID) -> _Claim | None:
        async with transaction(self.sessionmaker) as session:
            run = await session.get(Run, run_id, with_for_update=True)
            if run is None or run.status not in RUNNABLE:
                return None
            stack = await session.get(Stack, run.stack_id, with_for_update=True)
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
            owner = await cloud_runtime.stack_owner(session, stack)
            cloud = await cloud_runtime.prepare(session, stack, owner)
            run.status = RunStatus.running
            run.operation = operation
            run.revision = spec.revision
            stack.status = StackStatus.applying if operation == "apply" else StackStatus.destroying
            # A stack that was applied before has its workspace; a new one gets it created.
            workspace_exists = stack.applied_variables is not None
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
            for tenant in await self._tenants(session, run, None):
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
        for tenant in await self._tenants(session, run, stack):
            await self.outcomes.run_succeeded(session, tenant, self.settings, WORKER_ACTOR)

    # -- phase 2: terraform ------------------------------------------------------------------

    def _workdir(self, stack_id: uuid.UUID, spec: StackSpec) -> Path:
        workdir = self.settings.stacks_dir.resolve() / str(stack_id)
        workdir.mkdir(parents=True, exist_ok=True)
        for existing in workdir.iterdir():
            if existing.is_file() and existing.name not in spec.files:
                existing.unlink()
        for name, content in spec.files.items():
            target = workdir / name
            if not target.exists() or target.read_bytes() != content:
                target.write_bytes(content)
        return workdir

    async def _step(
        self, claim: _Claim, steps: list[Step], name: str, detail: str | None = None
    ) -> Step:
        span = tracing.start_span(
            f"step {name}",
            {
                tracing.RUN_ID: str(claim.run_id),
                "paybill.step": name,
                "paybill.attempt": claim.attempt,
            },
        )
        step = Step.start(name, detail, span)
        steps.append(step)
        await self._save_steps(claim, steps)
        return step

    async def _done(
        self,
        claim: _Claim,
        steps: list[Step],
        step: Step,
        detail: str | None = None,
    ) -> None:
        step.close(StepStatus.succeeded, detail)
        await self._save_steps(claim, steps)

    async def _save_steps(self, claim: _Claim, steps: list[Step]) -> None:
        if claim.steps_writer is not None:
            claim.steps_writer.changed()
        else:
            await self._write_steps(claim, steps)

    @retry_on_conflict()
    async def _write_steps(self, claim: _Claim, steps: list[Step]) -> None:
        async with transaction(self.sessionmaker) as session:
            run = await _fenced_run(session, claim)
            if run is not None:
                run.steps = _steps_json(run, claim, steps)

    async def _terraform(self, claim: _Claim, runlog: _RunLog, steps: list[Step]) -> dict[str, Any]:
        creds, cloud_env, backend_config = await self._cloud_setup(claim, steps)
        step = await self._step(
            claim, steps, "render", f"{claim.spec.module} revision {claim.spec.revision[:12]}"
        )
        workdir = self._workdir(claim.stack_id, claim.spec)
        await self._done(claim, steps, step)
        # init runs in the default workspace (which always exists); TF_WORKSPACE then points
        # apply at the stack's workspace, and on the pg backend apply itself creates a new
        # one: a separate creating process (even overlapped with init) cost a third more CPU
        # than a bare `init && apply` and showed as slower steps on 2 cores.
        binary = self.settings.terraform_bin
        # The pg backend's connection goes only to stacks whose state is in pg.
        env = {**(self.state_env if backend_config is None else {}), **cloud_env}
        runner = TerraformRunner(binary, extra_env=env, on_output=runlog.line)
        detail = claim.workspace if claim.workspace_exists else f"{claim.workspace} (created)"
        step = await self._step(claim, steps, "init", f"workspace {detail}")
        creates_workspace = not claim.workspace_exists and backend_config is None
        if claim.workspace_exists or creates_workspace:
            await runner.init(workdir, backend_config)
        else:  # a remote backend: its workspace is created through the stack's own directory
            await runner.init(workdir, backend_config)
            await runner.ensure_workspace(workdir, claim.workspace)
        await self._done(claim, steps, step)
        applier = TerraformRunner(
            binary,
            extra_env={**env, "TF_WORKSPACE": claim.workspace},
            on_output=runlog.line,
        )
        # Saved plans: plan to a file, gate it on the policies, apply exactly that file.
        ready = await plan_phase.plan(self, claim, steps, applier, workdir, creates_workspace)
        if claim.operation == "destroy":
            # The data goes first (a final snapshot before the drop), once the policies have
            # let the plan through: a run held for approval has dropped nothing.
            await self._data_tier(claim, steps, None)
        step = await self._step(claim, steps, claim.operation, f"plan sha256 {ready.sha256}")
        result = await plan_phase.apply(self, claim, applier, workdir, ready)
        counts = result.changes
        summary = {
            "add": counts.add if counts else 0,
            "change": counts.change if counts else 0,
            "destroy": counts.remove if counts else 0,
        }
        detail = (
            f"{summary['add']} added, {summary['change']} changed, {summary['destroy']} destroyed"
            f"; plan sha256 {ready.sha256}"
        )
        await self._done(claim, steps, step, detail)
        claim.plan_summary = summary
        if claim.operation == "destroy":
            shutil.rmtree(workdir, ignore_errors=True)
            await self._remove_boundary(claim, steps, creds)
        else:
            await self._data_tier(claim, steps, dict(result.outputs))
        return dict(result.outputs)

    # -- the cloud: credentials, boundary, provider environment -----------------------------

    async def _cloud_call(self, cloud: CloudRun, fn: Callable[..., T], *args: Any) -> T:
        # SDK calls block; the local adapter does nothing worth a thread.
        if cloud.local:
            return fn(*args)
        policy = EgressPolicy.of(self.settings.allow_insecure_endpoint_hosts)

        def call() -> T:
            # Every connection the SDK opens is checked and pinned (kit/net_guard.py).
            with guarded(policy):
                return fn(*args)

        return await asyncio.to_thread(call)

    async def _cloud_setup(
        self, claim: _Claim, steps: list[Step]
    ) -> tuple[dict[str, str], dict[str, str], dict[str, str] | None]:
        """Credentials, the tenant's boundary before its stack's first apply, the provider's
        environment and the state backend: (credentials, env, backend config or None for pg)."""
        cloud = claim.cloud
        assert cloud is not None
        if cloud.bound_tenant is not None:
            async with transaction(self.sessionmaker) as session:
                await cloud_runtime.record_binding(session, cloud)
        creds = cloud.credentials(self.settings)
        claim.secrets = cloud_runtime.secret_values(creds)
        if claim.operation == "apply" and cloud.boundary_request and cloud.boundary is None:
            await self._ensure_boundary(claim, steps, cloud, creds)
        env = await self._cloud_call(cloud, cloud_runtime.terraform_env, cloud, creds)
        claim.secrets = cloud_runtime.secret_values(creds, env)
        claim.spec, backend_config = cloud_runtime.backend(cloud, claim.spec)
        return creds, env, backend_config

    async def _ensure_boundary(
        self, claim: _Claim, steps: list[Step], cloud: CloudRun, creds: dict[str, str]
    ) -> None:
        step = await self._step(claim, steps, "boundary", f"ensure on {cloud.config.name}")
        boundary = await self._cloud_call(
            cloud, cloud.adapter.ensure_boundary, cloud.config, creds, cloud.boundary_request
        )
        recorded = cloud_runtime.boundary_json(boundary, cloud.target)
        cloud.boundary = recorded
        claim.spec = cloud_runtime.with_boundary(claim.spec, recorded)
        step.close(StepStatus.succeeded, f"{boundary.kind} {boundary.id}")
        async with transaction(self.sessionmaker) as session:
            # Locks in the executor's order (run, then stack). The boundary exists in the cloud
            # now: it is recorded even if a newer attempt took the run over (ensure_boundary is
            # idempotent, so both name the same one).
            run = await session.get(Run, claim.run_id, with_for_update=True)
            stack = await session.get(Stack, claim.stack_id, with_for_update=True)
            assert stack is not None
            stack.boundary = recorded
            if run is not None and run.attempt == claim.attempt:
                stack.desired_revision = claim.spec.revision
                stack.variables = claim.spec.variables
                run.revision = claim.spec.revision
                run.steps = _steps_json(run, claim, steps)

    async def _remove_boundary(
        self, claim: _Claim, steps: list[Step], creds: dict[str, str]
    ) -> None:
        cloud = claim.cloud
        assert cloud is not None
        if cloud.boundary is None:
            return
        boundary = cloud_runtime.boundary_of(cloud.boundary)
        step = await self._step(claim, steps, "boundary", f"remove {boundary.kind} {boundary.id}")
        await self._cloud_call(cloud, cloud.adapter.remove_boundary, cloud.config, creds, boundary)
        await self._done(claim, steps, step)

    async def _data_tier(
        self, claim: _Claim, steps: list[Step], outputs: dict[str, Any] | None
    ) -> None:
        """The tenants' real databases follow the stack (datatier/runs.py): made, suspended,
        resumed after an apply; dropped before a destroy."""
        step = await self._step(claim, steps, "database")
        detail = await converge_stack(
            self.data_tier, claim.stack_id, claim.operation, outputs, actor=WORKER_ACTOR
        )
        await self._done(claim, steps, step, detail)

    async def _settle_steps(self, claim: _Claim, run: Run, steps: list[Step]) -> None:
        """The outcome transaction writes the final steps and plan counts itself."""
        run.steps = _steps_json(run, claim, steps)
        if claim.plan_summary is not None:
            run.plan_summary = claim.plan_summary

    # -- phase 3: outcome --------------------------------------------------------------------

    async def _tenants(self, session: AsyncSession, run: Run, stack: Stack | None) -> list[Tenant]:
        ids = {uuid.UUID(t) for t in run.tenant_ids}
        if stack is not None and stack.tenant_id is not None:
            ids.add(stack.tenant_id)
        condition: ColumnElement[bool] = Tenant.id.in_(ids)
        if stack is not None and stack.pool_id is not None:
            condition = or_(condition, Tenant.pool_id == stack.pool_id)
        rows = await session.scalars(select(Tenant).where(condition).order_by(Tenant.id))
        return list(rows)

    @retry_on_conflict()
    async def _succeed(
        self, claim: _Claim, steps: list[Step], outputs: dict[str, Any], tail: list[str]
    ) -> None:
        if claim.steps_writer is not None:
            await claim.steps_writer.settle()
        async with transaction(self.sessionmaker) as session:
            run = await _fenced_run(session, claim)
            if run is None:
                return
            await self._settle_steps(claim, run, steps)
            stack = await session.get(Stack, claim.stack_id, with_for_update=True)
            assert stack is not None
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
            for tenant in await self._tenants(session, run, stack):
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
        if claim.steps_writer is not None:
            await claim.steps_writer.settle()
        async with transaction(self.sessionmaker) as session:
            run = await _fenced_run(session, claim)
            if run is None:
                return
            await self._settle_steps(claim, run, steps)
            stack = await session.get(Stack, claim.stack_id, with_for_update=True)
            assert stack is not None
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
            for tenant in await self._tenants(session, run, stack):
                await self.outcomes.run_failed(
                    session, tenant, WORKER_ACTOR, f"run {run.id} failed: {message[:300]}"
                )
