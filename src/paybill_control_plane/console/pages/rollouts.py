"""Fleet: module releases, rollouts with their waves and per-stack status, and their actions.

The same functions as `GET /v1/module-releases`, `GET /v1/rollouts[/{id}]` and
`POST /v1/rollouts/{id}/pause|resume|cancel|rollback` (`fleet.rollouts`), behind the same
permissions: `infra:read` to read, `runs:write` to act.
"""

from __future__ import annotations

import uuid

from fastapi import Request, Response

from paybill_control_plane.auth.principal import Permission
from paybill_control_plane.console.pages._common import console_router, page_links, see_other
from paybill_control_plane.console.pages._common import query_value as q
from paybill_control_plane.console.rendering import render
from paybill_control_plane.console.security import SignedInDep
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.errors import NotFound
from paybill_control_plane.fleet import releases, rollouts
from paybill_control_plane.fleet import repository as fleet_repo
from paybill_control_plane.fleet.schemas import RolloutOut
from paybill_control_plane.kit.app_state import SettingsDep
from paybill_control_plane.models.enums import RolloutStatus as R

router = console_router()
PAGE_SIZE = 50
# The statuses each action starts from, as fleet.rollouts checks them (again, under a lock).
ALLOWED: dict[str, tuple[R, ...]] = {
    "pause": (R.running,),
    "resume": (R.paused,),
    "cancel": (R.running, R.paused, R.halted),
    "rollback": tuple(s for s in R if s not in (R.rolling_back, R.rolled_back)),
}
ACTION_TEXT = {
    "pause": "No further stack is started; the ones upgrading finish.",
    "resume": "The rollout carries on from where it stopped.",
    "cancel": "Waiting stacks are never started; the ones upgrading finish. This is final.",
    "rollback": "Every stack the rollout touched goes back to the release it had before.",
}


def actions_of(rollout: RolloutOut) -> list[str]:
    return [
        a
        for a, allowed in ALLOWED.items()
        if rollout.status in allowed and not (a == "rollback" and rollout.kind == "schema")
    ]


@router.get("/fleet/rollouts")
async def console_rollouts(request: Request, user: SignedInDep, session: SessionDep) -> Response:
    user.principal.require(Permission.infra_read)
    rows, more = await fleet_repo.list_rollouts(
        session, limit=PAGE_SIZE, cursor=q(request, "cursor")
    )
    targets = await fleet_repo.targets_by_rollout(session, [r.id for r in rows])
    found, _ = await fleet_repo.list_releases(session, module=None, limit=PAGE_SIZE, cursor=None)
    context = {
        "rollouts": [rollouts.rollout_out(r, targets[r.id]) for r in rows],
        **page_links(request, rows, more),
        "releases": [releases.release_out(r) for r in found],
    }
    return render(request, "fleet/rollouts.html", context, user=user)


@router.get("/fleet/rollouts/{rollout_id}")
async def console_rollout(
    rollout_id: uuid.UUID, request: Request, user: SignedInDep, session: SessionDep
) -> Response:
    user.principal.require(Permission.infra_read)
    rollout = await rollouts.get_rollout(session, rollout_id)
    detail = rollouts.rollout_detail(rollout, await rollouts.targets_of(session, rollout.id))
    context = {
        "rollout": detail,
        "actions": actions_of(detail) if user.principal.can(Permission.runs_write) else [],
        "action_text": ACTION_TEXT,
        "done": request.query_params.get("done"),
    }
    return render(request, "fleet/rollout.html", context, user=user)


@router.post("/fleet/rollouts/{rollout_id}/{action}")
async def console_rollout_action(
    rollout_id: uuid.UUID,
    action: str,
    user: SignedInDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    if action not in ALLOWED:
        raise NotFound(f"No rollout action '{action}'.")
    user.principal.require(Permission.runs_write)
    if action == "rollback":
        await rollouts.rollback(session, user.principal, rollout_id, settings)
    else:
        act = {"pause": rollouts.pause, "resume": rollouts.resume, "cancel": rollouts.cancel}
        await act[action](session, user.principal, rollout_id)
    return see_other(f"/console/fleet/rollouts/{rollout_id}?done={action}")
