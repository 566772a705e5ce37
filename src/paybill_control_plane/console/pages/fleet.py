"""Fleet: pools with their fill level, and stacks. Later fleet sections (migrations, rollouts,
drift findings) are added beside these, one template and one route each."""

from __future__ import annotations

from fastapi import Request, Response

from paybill_control_plane.auth.principal import Permission
from paybill_control_plane.console.pages._common import console_router
from paybill_control_plane.console.pages._common import query_value as q
from paybill_control_plane.console.rendering import render
from paybill_control_plane.console.security import SignedInDep
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.kit.pagination import next_cursor_of
from paybill_control_plane.provisioning import repository as runs_repo
from paybill_control_plane.provisioning.views import pool_outs, stack_out

router = console_router()
PAGE_SIZE = 50


@router.get("/fleet")
async def console_fleet(request: Request, user: SignedInDep, session: SessionDep) -> Response:
    user.principal.require(Permission.infra_read)
    pools, more_pools = await runs_repo.list_pools(
        session, limit=PAGE_SIZE, cursor=q(request, "pools_cursor")
    )
    stacks, more_stacks = await runs_repo.list_stacks(
        session, limit=PAGE_SIZE, cursor=q(request, "stacks_cursor"),
        tenant_id=None, pool_id=None, kind=None,
    )  # fmt: skip
    context = {
        "pools": await pool_outs(session, pools),
        "pools_next": next_cursor_of(pools, more_pools),
        "stacks": [stack_out(s) for s in stacks],
        "stacks_next": next_cursor_of(stacks, more_stacks),
    }
    return render(request, "fleet/index.html", context, user=user)
