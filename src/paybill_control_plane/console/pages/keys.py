"""API keys and roles (admins): who can sign in, with which role. Keys are created and revoked
through the API or `paybill keys`; the console never shows a secret."""

from __future__ import annotations

from fastapi import Request, Response

from paybill_control_plane.auth import repository as keys_repo
from paybill_control_plane.auth.principal import ROLE_PERMISSIONS, Permission
from paybill_control_plane.auth.schemas import ApiKeyOut
from paybill_control_plane.console.pages._common import console_router
from paybill_control_plane.console.pages._common import query_value as q
from paybill_control_plane.console.rendering import render
from paybill_control_plane.console.security import SignedInDep
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.kit.pagination import next_cursor_of

router = console_router()
PAGE_SIZE = 50


@router.get("/keys")
async def console_keys(request: Request, user: SignedInDep, session: SessionDep) -> Response:
    user.principal.require(Permission.keys_manage)
    rows, more = await keys_repo.list_page(
        session, limit=PAGE_SIZE, cursor=q(request, "cursor"), include_revoked=True
    )
    context = {
        "keys": [ApiKeyOut.model_validate(k) for k in rows],
        "next_cursor": next_cursor_of(rows, more),
        "roles": {
            role.value: sorted(p.value for p in perms) for role, perms in ROLE_PERMISSIONS.items()
        },
    }
    return render(request, "keys/list.html", context, user=user)
