"""Provisioning jobs: execute one run (claim it, converge its stack with Terraform, settle)."""

from __future__ import annotations

import uuid

import procrastinate

from paybill_control_plane.provisioning._jobs import QUEUE, RUN_STACK_TASK
from paybill_control_plane.provisioning.executor import RunExecutor
from paybill_control_plane.provisioning.outcomes import RunOutcomes
from paybill_control_plane.telemetry import tracing
from paybill_control_plane.worker.jobs import Registrar, WorkerDeps


def registrar(outcomes: RunOutcomes) -> Registrar:
    """The provisioning tasks' `register`, reporting finished runs to `outcomes` (the lifecycle
    layer's, handed in by the worker's builder: provisioning cannot import that layer)."""

    def register(app: procrastinate.App, deps: WorkerDeps) -> None:
        _register(app, deps, outcomes)

    return register


def _register(app: procrastinate.App, deps: WorkerDeps, outcomes: RunOutcomes) -> None:
    """Add the provisioning tasks to the worker's procrastinate app."""
    # One executor per worker: it holds the workspace directory's once-only setup.
    executor = RunExecutor(deps.sessionmaker, deps.settings, deps.database_url, outcomes)

    @app.task(name=RUN_STACK_TASK, queue=QUEUE)
    async def run_stack(run_id: str) -> None:
        with tracing.span(f"job {RUN_STACK_TASK}", {tracing.RUN_ID: run_id}):
            await executor.execute(uuid.UUID(run_id))
