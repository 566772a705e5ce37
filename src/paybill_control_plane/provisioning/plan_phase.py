"""The executor's plan phase: plan to a file (or take the approved one), gate it, apply it.

Called from `RunExecutor._terraform` (`executor/_terraform.py`) in place of a one-process
`apply -auto-approve`:

    ready = await plan_phase.plan(
        executor, claim, steps, runner, workdir, creates_workspace, ungated=ungated
    )
    result = await plan_phase.apply(executor, claim, runner, workdir, ready)

Every run saves its plan before it applies exactly that file. A run no policy's `applies_to`
fits is not judged: its plan is stored at once and shown (`show -json`) while it is applied.
`ungated` is that decision taken at the claim, before init (`ungated()`, for a create whose data tier works
meanwhile, `_data_overlap.py`): it is not asked again after the plan. A run resumed after its approval takes its approved plan from the database when that plan is
still its current one for the same revision and operation; otherwise it plans again, which
voids the approval (the gate asks again if a policy still holds it).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.db.engine import transaction
from paybill_control_plane.models.enums import StepStatus
from paybill_control_plane.models.run import Run
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.provisioning import plans, policy_gate
from paybill_control_plane.provisioning import repository as repo
from paybill_control_plane.provisioning.steps import Step
from paybill_control_plane.provisioning.terraform import (
    ChangeCounts,
    CommandResult,
    TerraformError,
    TerraformRunner,
)

if TYPE_CHECKING:
    from paybill_control_plane.provisioning.executor._base import _Claim, _ExecutorBase

log = logging.getLogger(__name__)
PolicyDenied = policy_gate.PolicyDenied


class RunHeld(Exception):
    """The run stops here without an outcome: it awaits approval, or a newer attempt owns it."""


@dataclass
class Ready:
    sha256: str
    has_changes: bool
    approved: bool
    outputs: dict[str, Any] = field(default_factory=dict)
    # Set when the plan is still to be shown (no policy applied): shown during the apply.
    plan_id: uuid.UUID | None = None
    planned: plans.PlanFile | None = None


@dataclass
class Applied:
    changes: ChangeCounts | None
    outputs: dict[str, Any]


async def _approved(ex: _ExecutorBase, claim: _Claim) -> tuple[str, bytes] | None:
    async with transaction(ex.sessionmaker) as session:
        run = await repo.find_run(session, claim.run_id)
        if run is None:
            return None
        found = await policy_gate.approved_plan(session, run)
        if found is None:
            return None
        saved, _ = found
        if saved.revision != claim.spec.revision or saved.operation != claim.operation:
            return None  # older than the stack's current revision: planned again, never applied
        return saved.sha256, saved.plan_file


async def ungated(session: AsyncSession, run: Run, stack: Stack) -> bool:
    """No approved plan waits to be applied and no policy's `applies_to` fits the run (the
    filters need no plan: operation, kind, cloud, tiers): nothing can hold or deny it. Asked in
    the claim's transaction."""
    if await policy_gate.approved_plan(session, run) is not None:
        return False
    return not await policy_gate.needs_gate(session, run, stack)


async def _fenced(session: AsyncSession, claim: _Claim) -> Run:
    run = await repo.find_run(session, claim.run_id, for_update=True)
    if run is None or run.attempt != claim.attempt:
        raise RunHeld("a newer attempt owns the run")
    return run


def _detail(summary: dict[str, Any], sha256: str) -> str:
    counts = ", ".join(f"{summary[k]} to {k}" for k in ("add", "change", "replace", "destroy"))
    return f"{counts}; sha256 {sha256[:12]}"


async def plan(
    ex: _ExecutorBase,
    claim: _Claim,
    steps: list[Step],
    runner: TerraformRunner,
    workdir: Path,
    creates_workspace: bool,
    *,
    ungated: bool = False,
) -> Ready:
    """The plan to apply: the approved one, or a new one that passed the policy gate (or that
    no policy fits: `ungated`, decided before init, or asked here when the plan has changes)."""
    approved = None if ungated else await _approved(ex, claim)
    if approved is not None:
        sha256, data = approved
        step = await ex._step(claim, steps, "plan", f"approved plan sha256 {sha256[:12]}")
        plans.restore(workdir, data, sha256)
        await ex._done(claim, steps, step)
        return Ready(sha256, has_changes=True, approved=True)
    step = await ex._step(claim, steps, "plan")
    planned = await plans.plan_to_file(
        runner, workdir, destroy=claim.operation == "destroy", creates_workspace=creates_workspace
    )
    if planned.has_changes or ungated:
        async with transaction(ex.sessionmaker) as session:
            run = await _fenced(session, claim)
            stack = await repo.find_stack(session, claim.stack_id)
            assert stack is not None
            if ungated or not await policy_gate.needs_gate(session, run, stack):
                # No policy applies: the plan is saved now and shown while it is applied (an
                # ungated plan without changes too: its apply gives the outputs).
                row = await policy_gate.store_plan(session, run, planned, None)
                step.close(StepStatus.succeeded, f"sha256 {planned.sha256[:12]}; no policy applies")
                await ex._save_steps(claim, steps)
                return Ready(planned.sha256, True, approved=False, plan_id=row.id, planned=planned)
    saved = await plans.show(runner, workdir, planned)
    step.close(StepStatus.succeeded, _detail(saved.summary, saved.sha256))
    if claim.steps_writer is not None:
        await claim.steps_writer.settle()
    async with transaction(ex.sessionmaker) as session:
        run = await _fenced(session, claim)
        stack = await repo.find_stack(session, claim.stack_id)
        assert stack is not None
        result = await policy_gate.gate(session, ex.settings, run, stack, saved)
        if result.outcome == "hold":
            text = "; ".join(result.messages)
            steps.append(Step("approval", StepStatus.waiting, detail=f"awaiting approval: {text}"))
            await ex._settle_steps(claim, run, steps)
    if result.outcome == "hold":
        raise RunHeld("awaiting approval")
    await ex._save_steps(claim, steps)
    if result.outcome == "deny":
        raise PolicyDenied("denied by policy: " + "; ".join(result.messages))
    return Ready(saved.sha256, saved.has_changes, approved=False, outputs=saved.outputs)


async def apply(
    ex: _ExecutorBase, claim: _Claim, runner: TerraformRunner, workdir: Path, ready: Ready
) -> Applied:
    """Apply exactly the saved plan (its hash checked); nothing to apply when nothing changes."""
    if not ready.has_changes:
        return Applied(ChangeCounts(0, 0, 0), ready.outputs)
    try:
        if ready.planned is None:
            result = await plans.apply_saved(runner, workdir, ready.sha256)
        else:
            result = await _apply_and_show(claim, runner, workdir, ready, ready.planned)
    except TerraformError as exc:
        if ready.approved and plans.is_stale_plan(exc.message):
            # The state moved since the approval: the retry plans again and asks again.
            async with transaction(ex.sessionmaker) as session:
                await policy_gate.void_open_approvals(
                    session, claim.run_id, "the approved plan went stale"
                )
        raise
    return Applied(result.changes, dict(result.outputs))


async def _apply_and_show(
    claim: _Claim,
    runner: TerraformRunner,
    workdir: Path,
    ready: Ready,
    planned: plans.PlanFile,
) -> CommandResult:
    """Apply the saved file while `show -json` reads it (read-only: it takes no state lock and
    writes nothing in the directory), so an ungated run pays no extra process on its path.
    The shown JSON is written by the run's outcome transaction (a killed attempt's plan, which
    the next attempt supersedes, keeps its hash, file and counts but not its JSON)."""
    applied, shown = await asyncio.gather(
        plans.apply_saved(runner, workdir, ready.sha256),
        plans.show(runner, workdir, planned),
        return_exceptions=True,
    )
    if isinstance(shown, BaseException):
        log.warning("showing the saved plan %s failed: %s", ready.sha256[:12], shown)
    elif ready.plan_id is not None:
        claim.shown_plan = (ready.plan_id, shown)
    if isinstance(applied, BaseException):
        raise applied
    return applied
