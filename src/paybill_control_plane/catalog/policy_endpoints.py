"""/v1/policies: the catalog's plan policies, one at a time (the catalog file sets them in bulk)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from paybill_control_plane.auth.dependencies import CatalogReader, CatalogWriter
from paybill_control_plane.catalog import policies, views
from paybill_control_plane.catalog import repository as repo
from paybill_control_plane.catalog.policy_schemas import PolicyFields, PolicyOut
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.http_controls import ControlledRoute
from paybill_control_plane.kit.pagination import Page, PageParams, next_cursor_of
from paybill_control_plane.kit.problems import AUTHED, problem_responses
from paybill_control_plane.kit.schemas import KEY_PATTERN

router = APIRouter(prefix="/v1", route_class=ControlledRoute)
PolicyName = Annotated[str, Path(pattern=KEY_PATTERN, description="The policy's name.")]


@router.get(
    "/policies",
    tags=["policies"],
    summary="List plan policies",
    responses=problem_responses(*AUTHED),
)
async def policies_list(session: SessionDep, _: CatalogReader, page: PageParams) -> Page[PolicyOut]:
    """Policies, oldest first (cursor-paginated)."""
    rows, more = await repo.policies_page(session, limit=page.limit, cursor=page.cursor)
    return Page[PolicyOut](
        items=[views.policy_out(p) for p in rows],
        next_cursor=next_cursor_of(rows, more, key="name"),
    )


@router.get(
    "/policies/{name}",
    tags=["policies"],
    summary="Get a plan policy",
    responses=problem_responses(*AUTHED, 404),
)
async def policies_get(name: PolicyName, session: SessionDep, _: CatalogReader) -> PolicyOut:
    """One policy."""
    return views.policy_out(await repo.get_policy(session, name))


@router.put(
    "/policies/{name}",
    tags=["policies"],
    summary="Create or replace a plan policy",
    responses=problem_responses(*AUTHED),
)
async def policies_put(
    name: PolicyName, body: PolicyFields, session: SessionDep, principal: CatalogWriter
) -> PolicyOut:
    """Create or replace a policy; 422 names the problem when the CEL expression does not parse."""
    return views.policy_out(await policies.put_policy(session, principal, name, body))


@router.delete(
    "/policies/{name}",
    tags=["policies"],
    summary="Delete a plan policy",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(*AUTHED, 404),
)
async def policies_delete(name: PolicyName, session: SessionDep, principal: CatalogWriter) -> None:
    """Remove a policy."""
    await policies.delete_policy(session, principal, name)
