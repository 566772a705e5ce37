"""Fleet: drift findings, with remediate and ignore.

The same functions as `GET /v1/drift-findings` and `POST /v1/drift-findings/{id}/remediate|
ignore` (`fleet.findings`), behind the same permissions: `infra:read` to read, `runs:write` to
act.
"""

from __future__ import annotations

import uuid

from fastapi import Request, Response

from paybill_control_plane.auth.principal import Permission
from paybill_control_plane.console.pages._common import (
    console_router,
    form_reason,
    page_links,
    see_other,
    status_query,
)
from paybill_control_plane.console.pages._common import query_value as q
from paybill_control_plane.console.rendering import render
from paybill_control_plane.console.security import SignedInDep
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.fleet import findings
from paybill_control_plane.fleet import repository as fleet_repo
from paybill_control_plane.fleet.schemas import DriftFindingOut
from paybill_control_plane.kit.app_state import SettingsDep
from paybill_control_plane.models.enums import DriftFindingStatus

router = console_router()
PAGE_SIZE = 50
MAX_REASON = 2000


@router.get("/fleet/drift")
async def console_drift(request: Request, user: SignedInDep, session: SessionDep) -> Response:
    user.principal.require(Permission.infra_read)
    status = status_query(
        request, DriftFindingStatus, "a finding status", default=DriftFindingStatus.open
    )
    rows, more = await fleet_repo.list_findings(
        session, stack_id=None, tenant_id=None, status=None if status == "all" else status,
        limit=PAGE_SIZE, cursor=q(request, "cursor"),
    )  # fmt: skip
    context = {
        "findings": [DriftFindingOut.model_validate(r) for r in rows],
        **page_links(request, rows, more),
        "status": status,
        "statuses": [*DriftFindingStatus, "all"],
        "can_act": user.principal.can(Permission.runs_write),
        "done": request.query_params.get("done"),
    }
    return render(request, "fleet/drift.html", context, user=user)


@router.post("/fleet/drift/{finding_id}/remediate")
async def console_remediate(
    finding_id: uuid.UUID, user: SignedInDep, session: SessionDep, settings: SettingsDep
) -> Response:
    user.principal.require(Permission.runs_write)
    run = await findings.remediate(session, user.principal, finding_id, settings)
    return see_other(f"/console/runs/{run.id}")


@router.post("/fleet/drift/{finding_id}/ignore")
async def console_ignore(
    finding_id: uuid.UUID, request: Request, user: SignedInDep, session: SessionDep
) -> Response:
    user.principal.require(Permission.runs_write)
    reason = await form_reason(request, limit=MAX_REASON, what="Ignoring drift")
    await findings.ignore(session, user.principal, finding_id, reason)
    return see_other("/console/fleet/drift?done=ignored")
