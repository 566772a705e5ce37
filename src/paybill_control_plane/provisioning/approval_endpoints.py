"""/v1/runs/{run_id}/plan, /v1/approvals, /v1/runs/{run_id}/approve and /reject."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from paybill_control_plane.auth.dependencies import RunApprover, RunReader
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.http_controls import ControlledRoute
from paybill_control_plane.kit.pagination import Page, PageParams, next_cursor_of
from paybill_control_plane.kit.problems import AUTHED, problem_responses
from paybill_control_plane.lifecycle import runs as lifecycle_runs
from paybill_control_plane.models.enums import ApprovalStatus
from paybill_control_plane.provisioning import approvals, views
from paybill_control_plane.provisioning import repository as repo
from paybill_control_plane.provisioning.approval_schemas import (
    ApprovalOut,
    ApproveBody,
    RejectBody,
    RunPlanOut,
)

router = APIRouter(prefix="/v1", route_class=ControlledRoute)


@router.get(
    "/runs/{run_id}/plan",
    tags=["runs"],
    summary="Get a run's saved Terraform plan",
    responses=problem_responses(*AUTHED, 404),
)
async def runs_plan_get(run_id: uuid.UUID, session: SessionDep, principal: RunReader) -> RunPlanOut:
    """The run's newest saved plan: `terraform show -json` (sensitive values masked), its
    SHA-256 and the resources to add, change, replace and destroy. A tenant key reads only its
    own runs, and not a pool run shared with other tenants (404 there)."""
    run = await repo.get_run(session, principal, run_id)
    if principal.is_tenant_scoped and len(run.tenant_ids) != 1:
        raise approvals.PlanNotFound(f"Run {run.id}'s plan covers other tenants too.")
    return views.run_plan_out(run, await approvals.current_plan(session, run))


@router.get(
    "/approvals",
    tags=["approvals"],
    summary="List approval requests, newest first",
    responses=problem_responses(*AUTHED),
)
async def approvals_list(
    session: SessionDep,
    _: RunApprover,
    page: PageParams,
    status: ApprovalStatus | None = None,
) -> Page[ApprovalOut]:
    """Runs that policies held for approval; `status=pending` lists those waiting for people."""
    rows, more = await repo.list_approvals(session, status, limit=page.limit, cursor=page.cursor)
    return Page[ApprovalOut](
        items=[views.approval_out(a) for a in rows], next_cursor=next_cursor_of(rows, more)
    )


@router.post(
    "/runs/{run_id}/approve",
    tags=["approvals"],
    summary="Approve a run's held plan",
    responses=problem_responses(*AUTHED, 404, 409),
)
async def runs_approve(
    run_id: uuid.UUID, session: SessionDep, principal: RunApprover, body: ApproveBody | None = None
) -> ApprovalOut:
    """Approve the plan (bound to its SHA-256); the last approval required resumes the run.
    403 `self-approval` for the run's requester; 409 `approval-expired` after the TTL."""
    run = await repo.get_run(session, principal, run_id, for_update=True)
    approval = await approvals.approve(session, principal, run, body.comment if body else None)
    return views.approval_out(approval)


@router.post(
    "/runs/{run_id}/reject",
    tags=["approvals"],
    summary="Reject a run's held plan",
    responses=problem_responses(*AUTHED, 404, 409),
)
async def runs_reject(
    run_id: uuid.UUID, body: RejectBody, session: SessionDep, principal: RunApprover
) -> ApprovalOut:
    """Reject the plan with a reason: the run fails, and its tenants as after any failed run."""
    run = await repo.get_run(session, principal, run_id, for_update=True)
    return views.approval_out(await lifecycle_runs.reject_run(session, principal, run, body.reason))
