"""Approving and rejecting runs that a policy holds in `awaiting_approval`.

An approval is bound to the SHA-256 of the plan it approves; the run then applies exactly that
plan (plan_phase.py). The requester (the actor who caused the run) cannot approve it, nor can a
tenant or billing key; a tier may require several distinct approvers. The last approval resumes
the run (its job deferred in the same transaction); a rejection fails it, and its tenants as any
failed run does.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal, may_have_requested
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.errors import Conflict, Forbidden, NotFound
from paybill_control_plane.models.approval import Approval
from paybill_control_plane.models.enums import ApprovalStatus, Role, RunStatus, StackStatus
from paybill_control_plane.models.run import Run
from paybill_control_plane.models.run_plan import RunPlan
from paybill_control_plane.provisioning import repository as repo
from paybill_control_plane.provisioning._jobs import defer_run_job
from paybill_control_plane.telemetry.metrics import observe_run_on_commit

NEVER_APPROVE = frozenset({Role.tenant, Role.billing})


class NoPendingApproval(Conflict):
    type_slug = "no-pending-approval"
    title = "The run is not awaiting approval"


class ApprovalExpired(Conflict):
    type_slug = "approval-expired"
    title = "The approval request has expired"


class AlreadyApproved(Conflict):
    type_slug = "already-approved"
    title = "This key has already approved the run"


class SelfApproval(Forbidden):
    type_slug = "self-approval"
    title = "The requester of a run cannot approve it"


class PlanNotFound(NotFound):
    type_slug = "run-plan-not-found"
    title = "The run has no saved plan"


def effective_status(approval: Approval, now: datetime | None = None) -> ApprovalStatus:
    """A pending request past its expiry reads as expired."""
    status = ApprovalStatus(approval.status)
    if status is ApprovalStatus.pending and approval.expires_at <= (now or utcnow()):
        return ApprovalStatus.expired
    return status


async def current_plan(session: AsyncSession, run: Run) -> RunPlan:
    """The run's newest saved plan."""
    plan = await repo.newest_plan(session, run.id)
    if plan is None:
        raise PlanNotFound(f"Run {run.id} has no saved plan yet.")
    return plan


async def _pending(session: AsyncSession, run: Run, principal: Principal) -> Approval:
    if principal.role in NEVER_APPROVE:  # also refused by the permission; kept as a rule here
        raise Forbidden("Tenant and billing keys can never approve or reject runs.")
    approval = await repo.pending_approval_for_update(session, run.id)
    if approval is None or run.status != RunStatus.awaiting_approval:
        raise NoPendingApproval(
            f"Run {run.id} is '{run.status}' with no pending approval.",
            extra={"run_status": run.status},
        )
    if approval.expires_at <= utcnow():
        raise ApprovalExpired(
            f"The approval request for run {run.id} expired at {approval.expires_at.isoformat()}; "
            "retry the run to plan it again.",
            extra={"expires_at": approval.expires_at.isoformat()},
        )
    return approval


def _tenant_of(run: Run) -> uuid.UUID | None:
    return uuid.UUID(run.tenant_ids[0]) if len(run.tenant_ids) == 1 else None


async def approve(
    session: AsyncSession, principal: Principal, run: Run, comment: str | None = None
) -> Approval:
    """Add the caller's approval; the last one required resumes the run with the approved plan."""
    approval = await _pending(session, run, principal)
    actor = principal.actor
    if may_have_requested(principal, approval.requested_by):
        raise SelfApproval(
            f"{actor} caused run {run.id} (requested by {approval.requested_by}) "
            "and cannot approve it."
        )
    if any(a["actor"] == actor for a in approval.approvers):
        raise AlreadyApproved(f"{actor} has already approved run {run.id}.")
    now = utcnow()
    approval.approvers = [*approval.approvers, {"actor": actor, "at": now.isoformat()}]
    done = len(approval.approvers) >= approval.required
    if done:
        approval.status = ApprovalStatus.approved
        approval.decided_at = now
        approval.decided_by = actor
        run.status = RunStatus.queued
        run.job_id = await defer_run_job(session, run.id, run.stack_id)
    await audit.record(
        session, actor=principal, action="run.approved", target_type="run", target_id=run.id,
        tenant_id=_tenant_of(run),
        after={"approval_id": str(approval.id), "plan_sha256": approval.plan_sha256,
               "approvals": len(approval.approvers), "required": approval.required,
               "resumed": done, "comment": comment},
    )  # fmt: skip
    return approval


async def reject(session: AsyncSession, principal: Principal, run: Run, reason: str) -> Approval:
    """Reject the held plan: the run fails (its tenants are the lifecycle layer's, which fails
    them as after any failed run: `lifecycle.runs.reject_run`)."""
    approval = await _pending(session, run, principal)
    now = utcnow()
    approval.status = ApprovalStatus.rejected
    approval.decided_at = now
    approval.decided_by = principal.actor
    approval.reason = reason
    run.status = RunStatus.failed
    run.error = f"rejected by {principal.actor}: {reason}"
    run.finished_at = now
    observe_run_on_commit(session, run.operation, RunStatus.failed, run.started_at, now)
    stack = await repo.find_stack(session, run.stack_id, for_update=True)
    if stack is not None:
        stack.status = StackStatus.failed
    await audit.record(
        session, actor=principal, action="run.rejected", target_type="run", target_id=run.id,
        tenant_id=_tenant_of(run),
        after={"approval_id": str(approval.id), "plan_sha256": approval.plan_sha256,
               "reason": reason},
    )  # fmt: skip
    return approval
