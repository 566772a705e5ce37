"""Approvals: runs a policy holds for people, a run's saved plan, approve and reject.

The same functions as `GET /v1/approvals`, `GET /v1/runs/{id}/plan`, `POST /v1/runs/{id}/approve`
and `POST /v1/runs/{id}/reject`, with the signed-in key's principal: only keys with
`runs:approve` (admin, operator) see or use the buttons, and never the run's requester.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.auth.principal import Permission, Principal
from paybill_control_plane.console.pages._common import (
    console_router,
    form_reason,
    page_links,
    see_other,
    status_query,
)
from paybill_control_plane.console.pages._common import query_value as q
from paybill_control_plane.console.rendering import render
from paybill_control_plane.console.security import SignedInDep, form_fields
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.lifecycle import runs as lifecycle_runs
from paybill_control_plane.models.enums import ApprovalStatus
from paybill_control_plane.models.run import Run
from paybill_control_plane.provisioning import approvals, views
from paybill_control_plane.provisioning import repository as runs_repo
from paybill_control_plane.provisioning.approval_schemas import SavedPlanSummary

router = console_router()
PAGE_SIZE = 50
MAX_TEXT = 2000


async def approval_context(session: AsyncSession, principal: Principal, run: Run) -> dict[str, Any]:
    """The run page's approval part: its saved plan (as GET /v1/runs/{id}/plan shows it to this
    key) and its approval request, with whether this key may decide it."""
    context: dict[str, Any] = {"plan": None, "approval": None, "can_decide": False}
    if not (principal.is_tenant_scoped and len(run.tenant_ids) != 1):
        try:
            plan = await approvals.current_plan(session, run)
        except approvals.PlanNotFound:
            plan = None
        if plan is not None:
            context["plan"] = {
                "sha256": plan.sha256,
                "superseded": plan.superseded_at is not None,
                "summary": SavedPlanSummary.model_validate(plan.summary),
            }
    # The approval request itself is what GET /v1/approvals shows: keys with runs:approve only.
    if not principal.can(Permission.runs_approve):
        return context
    row = await runs_repo.approval_of_run(session, run.id)
    if row is not None:
        out = views.approval_out(row)
        context["approval"] = out
        context["can_decide"] = (
            principal.role not in approvals.NEVER_APPROVE
            and out.status == ApprovalStatus.pending
            and principal.actor != out.requested_by
            and all(a.actor != principal.actor for a in out.approvers)
        )
    return context


@router.get("/approvals")
async def console_approvals(request: Request, user: SignedInDep, session: SessionDep) -> Response:
    user.principal.require(Permission.runs_approve)
    status = status_query(
        request, ApprovalStatus, "an approval status", default=ApprovalStatus.pending
    )
    rows, more = await runs_repo.list_approvals(
        session,
        None if status == "all" else ApprovalStatus(status),
        limit=PAGE_SIZE,
        cursor=q(request, "cursor"),
    )
    context = {
        "approvals": [views.approval_out(a) for a in rows],
        **page_links(request, rows, more),
        "status": status,
        "statuses": ["all", *ApprovalStatus],
        "me": user.principal.actor,
    }
    return render(request, "approvals/list.html", context, user=user)


@router.post("/runs/{run_id}/approve")
async def console_approve(
    run_id: uuid.UUID, request: Request, user: SignedInDep, session: SessionDep
) -> Response:
    run = await runs_repo.get_run(session, user.principal, run_id, for_update=True)
    user.principal.require(Permission.runs_approve)
    comment = ((await form_fields(request)).get("comment") or "").strip()[:MAX_TEXT] or None
    await approvals.approve(session, user.principal, run, comment)
    return see_other(f"/console/runs/{run_id}")


@router.post("/runs/{run_id}/reject")
async def console_reject(
    run_id: uuid.UUID, request: Request, user: SignedInDep, session: SessionDep
) -> Response:
    run = await runs_repo.get_run(session, user.principal, run_id, for_update=True)
    user.principal.require(Permission.runs_approve)
    reason = await form_reason(request, limit=MAX_TEXT, what="A rejection")
    await lifecycle_runs.reject_run(session, user.principal, run, reason)
    return see_other(f"/console/runs/{run_id}")
