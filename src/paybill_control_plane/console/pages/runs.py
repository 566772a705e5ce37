"""Runs: the list across tenants, a run's page with its live Terraform log, retry."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Query, Request, Response

from paybill_control_plane.auth.principal import Permission
from paybill_control_plane.console.pages._common import console_router, see_other, status_query
from paybill_control_plane.console.pages._common import query_value as q
from paybill_control_plane.console.pages.approvals import approval_context
from paybill_control_plane.console.rendering import is_htmx, render
from paybill_control_plane.console.security import SignedInDep
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.kit.app_state import SettingsDep
from paybill_control_plane.kit.pagination import next_cursor_of
from paybill_control_plane.lifecycle import runs as lifecycle_runs
from paybill_control_plane.models.enums import RunStatus
from paybill_control_plane.provisioning import repository as runs_repo
from paybill_control_plane.provisioning.views import run_out, shared_run_hidden

router = console_router()
PAGE_SIZE = 50
LOG_CHUNK = 2000
_LIVE = frozenset({RunStatus.queued, RunStatus.running, RunStatus.retrying})


@router.get("/runs")
async def console_runs(request: Request, user: SignedInDep, session: SessionDep) -> Response:
    principal = user.principal
    principal.require(Permission.runs_read)
    status = status_query(request, RunStatus, "a run status")
    # A tenant key lists its own tenant's runs only, as GET /v1/tenants/{id}/runs does.
    rows, more = await runs_repo.list_runs(
        session,
        limit=PAGE_SIZE,
        cursor=q(request, "cursor"),
        tenant_id=principal.tenant_id if principal.is_tenant_scoped else None,
        status=status,
    )
    context = {
        "runs": [run_out(r, principal) for r in rows],
        "next_cursor": next_cursor_of(rows, more),
        "status": status,
        "statuses": list(RunStatus),
        "first_page": q(request, "cursor") is None,
    }
    block = "results" if is_htmx(request) else None
    return render(request, "runs/list.html", context, user=user, block=block)


async def _run_context(session: Any, user: SignedInDep, run_id: uuid.UUID) -> dict[str, Any]:
    run = await runs_repo.get_run(session, user.principal, run_id)
    out = run_out(run, user.principal)
    return {
        "run": out,
        "live": RunStatus(run.status) in _LIVE,
        "log_hidden": shared_run_hidden(run, user.principal),
        "can_retry": user.principal.can(Permission.runs_write) and run.status == RunStatus.failed,
    }


@router.get("/runs/{run_id}")
async def console_run(
    run_id: uuid.UUID, request: Request, user: SignedInDep, session: SessionDep
) -> Response:
    user.principal.require(Permission.runs_read)
    context = await _run_context(session, user, run_id)
    lines: list[Any] = []
    if not context["log_hidden"]:
        lines = await runs_repo.log_lines(session, run_id, after=0, limit=LOG_CHUNK)
    context["lines"] = lines
    context["after"] = lines[-1].id if lines else 0
    run = await runs_repo.get_run(session, user.principal, run_id)
    context.update(await approval_context(session, user.principal, run))
    return render(request, "runs/detail.html", context, user=user)


@router.get("/runs/{run_id}/log")
async def console_run_log(
    run_id: uuid.UUID,
    request: Request,
    user: SignedInDep,
    session: SessionDep,
    after: int = Query(0, ge=0, le=2**62),
) -> Response:
    """The lines after `after`, the run's refreshed summary, and the next poller (while live)."""
    user.principal.require(Permission.runs_read)
    context = await _run_context(session, user, run_id)
    lines: list[Any] = []
    if not context["log_hidden"]:
        lines = await runs_repo.log_lines(session, run_id, after=after, limit=LOG_CHUNK)
    context["lines"] = lines
    context["after"] = lines[-1].id if lines else after
    # More lines waiting than one chunk: keep polling even if the run has ended.
    context["live"] = context["live"] or len(lines) == LOG_CHUNK
    return render(request, "runs/detail.html", context, user=user, block="log_update")


@router.post("/runs/{run_id}/retry")
async def console_run_retry(
    run_id: uuid.UUID, user: SignedInDep, session: SessionDep, settings: SettingsDep
) -> Response:
    user.principal.require(Permission.runs_write)
    run = await runs_repo.get_run(session, user.principal, run_id, for_update=True)
    await lifecycle_runs.retry_run(session, run, user.principal, settings)
    return see_other(f"/console/runs/{run_id}")
