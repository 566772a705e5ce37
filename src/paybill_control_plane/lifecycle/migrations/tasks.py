"""The migration phase job: one phase of one migration per job (see phases.py)."""

from __future__ import annotations

import uuid

import procrastinate

from paybill_control_plane.datatier.provision import DataTierContext
from paybill_control_plane.lifecycle.migrations._jobs import MIGRATION_PHASE_TASK, QUEUE
from paybill_control_plane.lifecycle.migrations.runner import MigrationEnded, run_phase
from paybill_control_plane.models.enums import MigrationPhase
from paybill_control_plane.telemetry import tracing
from paybill_control_plane.worker.jobs import Registrar, WorkerDeps


def registrar(ended: MigrationEnded) -> Registrar:
    """The migration task's `register`, calling `ended` when a migration ends (billing's retry
    of held changes, handed in by the worker's builder: lifecycle cannot import billing)."""

    def register(app: procrastinate.App, deps: WorkerDeps) -> None:
        _register(app, deps, ended)

    return register


def _register(app: procrastinate.App, deps: WorkerDeps, ended: MigrationEnded) -> None:
    """Add the migration task to the worker's procrastinate app."""
    ctx = DataTierContext(deps.sessionmaker, deps.settings, deps.database_url)

    @app.task(name=MIGRATION_PHASE_TASK, queue=QUEUE)
    async def migration_phase(migration_id: str, phase: str) -> None:
        with tracing.span(f"job {MIGRATION_PHASE_TASK}", {"migration.phase": phase}):
            await run_phase(
                deps.sessionmaker, uuid.UUID(migration_id), MigrationPhase(phase), ctx, ended
            )
