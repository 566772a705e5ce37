"""What every phase of a run shares: the claim, the fencing token and the run's steps."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from paybill_control_plane.config import Settings
from paybill_control_plane.datatier.provision import DataTierContext
from paybill_control_plane.db.conflicts import retry_on_conflict
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.models.enums import StepStatus
from paybill_control_plane.models.run import Run
from paybill_control_plane.provisioning import repository as repo
from paybill_control_plane.provisioning._data_overlap import Alongside
from paybill_control_plane.provisioning._step_writer import StepWriter
from paybill_control_plane.provisioning.cloud_runtime import CloudRun
from paybill_control_plane.provisioning.outcomes import RunOutcomes
from paybill_control_plane.provisioning.planner import StackSpec
from paybill_control_plane.provisioning.steps import Step
from paybill_control_plane.provisioning.terraform.init_reuse import InitReuse
from paybill_control_plane.telemetry import tracing

WORKER_ACTOR = "worker"


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
    # Work the run does while Terraform runs (a `local` apply's data tier, _data_overlap.py).
    alongside: Alongside = field(default_factory=Alongside, repr=False)
    # A create no policy can fit (decided at the claim: plan_phase.ungated).
    ungated: bool = False
    # A `local` boundary (a pure function of the tenant), recorded by the outcome transaction.
    boundary_to_record: dict[str, Any] | None = None
    # The saved plan's shown JSON (plan_id, SavedPlan), written by the outcome transaction.
    shown_plan: tuple[uuid.UUID, Any] | None = None


def _steps_json(run: Run, claim: _Claim, steps: list[Step]) -> list[dict[str, Any]]:
    """The run's steps with this attempt's replaced by `steps`."""
    kept = [s for s in map(Step.from_json, run.steps) if s.attempt != claim.attempt]
    return [s.to_json() for s in kept] + [s.to_json() | {"attempt": claim.attempt} for s in steps]


async def _fenced_run(session: AsyncSession, claim: _Claim) -> Run | None:
    """The claim's run, locked, unless a newer attempt has taken it over (the fencing token)."""
    run = await repo.find_run(session, claim.run_id, for_update=True)
    return run if run is not None and run.attempt == claim.attempt else None


class _ExecutorBase:
    """The executor's state (set by `RunExecutor.__init__`) and the step record every
    phase writes to."""

    sessionmaker: async_sessionmaker[AsyncSession]
    settings: Settings
    outcomes: RunOutcomes
    state_env: dict[str, str]
    data_tier: DataTierContext
    init_reuse: InitReuse

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

    async def _settle_steps(self, claim: _Claim, run: Run, steps: list[Step]) -> None:
        """The outcome transaction writes the final steps and plan counts itself."""
        run.steps = _steps_json(run, claim, steps)
        if claim.plan_summary is not None:
            run.plan_summary = claim.plan_summary
