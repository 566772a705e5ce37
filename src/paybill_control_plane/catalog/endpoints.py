"""/v1/tiers and /v1/plans."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from paybill_control_plane.auth.dependencies import CatalogReader, CatalogWriter
from paybill_control_plane.catalog import repository as repo
from paybill_control_plane.catalog import service, views
from paybill_control_plane.catalog.schemas import (
    PlanCreate,
    PlanOut,
    PlanUpdate,
    TierCreate,
    TierOut,
    TierUpdate,
)
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.http_controls import ControlledRoute
from paybill_control_plane.kit.etag import IfMatch, etag_response, parse_if_match, set_etag
from paybill_control_plane.kit.pagination import Page, PageParams, next_cursor_of
from paybill_control_plane.kit.problems import AUTHED, problem_responses
from paybill_control_plane.kit.schemas import KEY_PATTERN

router = APIRouter(prefix="/v1", route_class=ControlledRoute)
TierKey = Annotated[str, Path(pattern=KEY_PATTERN, description="The tier's key.")]
PlanKey = Annotated[str, Path(pattern=KEY_PATTERN, description="The plan's key.")]


@router.get(
    "/tiers", tags=["catalog"], summary="List licence tiers", responses=problem_responses(*AUTHED)
)
async def tiers_list(session: SessionDep, _: CatalogReader, page: PageParams) -> Page[TierOut]:
    """Tiers, oldest first (cursor-paginated)."""
    rows, more = await repo.tiers_page(session, limit=page.limit, cursor=page.cursor)
    return Page[TierOut](
        items=[views.tier_out(t) for t in rows], next_cursor=next_cursor_of(rows, more, key="key")
    )


@router.post(
    "/tiers",
    tags=["catalog"],
    summary="Create a licence tier",
    status_code=status.HTTP_201_CREATED,
    responses={**etag_response(201), **problem_responses(*AUTHED, 409)},
)
async def tiers_create(
    body: TierCreate, session: SessionDep, principal: CatalogWriter, response: Response
) -> TierOut:
    """Create a tier; 409 `already-exists` if the key is taken."""
    tier = await service.create_tier(session, principal, body)
    set_etag(response, tier.version)
    return views.tier_out(tier)


@router.get(
    "/tiers/{key}",
    tags=["catalog"],
    summary="Get a licence tier",
    responses={**etag_response(), **problem_responses(*AUTHED, 404)},
)
async def tiers_get(
    key: TierKey, session: SessionDep, _: CatalogReader, response: Response
) -> TierOut:
    """The tier and, in `ETag`, its version."""
    tier = await repo.get_tier(session, key)
    set_etag(response, tier.version)
    return views.tier_out(tier)


@router.patch(
    "/tiers/{key}",
    tags=["catalog"],
    summary="Update a licence tier",
    responses={**etag_response(), **problem_responses(*AUTHED, 404, 412)},
)
async def tiers_update(
    key: TierKey,
    body: TierUpdate,
    session: SessionDep,
    principal: CatalogWriter,
    response: Response,
    if_match: IfMatch = None,
) -> TierOut:
    """Change the given fields; send `If-Match` to fail (412) if someone changed it since."""
    tier = await service.update_tier(
        session, principal, key, body, parse_if_match(if_match, required=False)
    )
    set_etag(response, tier.version)
    return views.tier_out(tier)


@router.delete(
    "/tiers/{key}",
    tags=["catalog"],
    summary="Delete an unused licence tier",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(*AUTHED, 404, 409, 412),
)
async def tiers_delete(
    key: TierKey, session: SessionDep, principal: CatalogWriter, if_match: IfMatch = None
) -> None:
    """Delete a tier no plan or tenant uses; 409 `in-use` counts those that still do."""
    await service.delete_tier(session, principal, key, parse_if_match(if_match, required=False))


@router.get("/plans", tags=["catalog"], summary="List plans", responses=problem_responses(*AUTHED))
async def plans_list(session: SessionDep, _: CatalogReader, page: PageParams) -> Page[PlanOut]:
    """Plans, oldest first (cursor-paginated)."""
    rows, more = await repo.plans_page(session, limit=page.limit, cursor=page.cursor)
    return Page[PlanOut](
        items=[views.plan_out(p) for p in rows], next_cursor=next_cursor_of(rows, more, key="key")
    )


@router.post(
    "/plans",
    tags=["catalog"],
    summary="Create a plan",
    status_code=status.HTTP_201_CREATED,
    responses={**etag_response(201), **problem_responses(*AUTHED, 404, 409)},
)
async def plans_create(
    body: PlanCreate, session: SessionDep, principal: CatalogWriter, response: Response
) -> PlanOut:
    """Create a plan granting a tier (404 if the tier does not exist; 409 if the key is taken)."""
    plan = await service.create_plan(session, principal, body)
    set_etag(response, plan.version)
    return views.plan_out(plan)


@router.get(
    "/plans/{key}",
    tags=["catalog"],
    summary="Get a plan",
    responses={**etag_response(), **problem_responses(*AUTHED, 404)},
)
async def plans_get(
    key: PlanKey, session: SessionDep, _: CatalogReader, response: Response
) -> PlanOut:
    """The plan and, in `ETag`, its version."""
    plan = await repo.get_plan(session, key)
    set_etag(response, plan.version)
    return views.plan_out(plan)


@router.patch(
    "/plans/{key}",
    tags=["catalog"],
    summary="Update a plan",
    responses={**etag_response(), **problem_responses(*AUTHED, 404, 409, 412)},
)
async def plans_update(
    key: PlanKey,
    body: PlanUpdate,
    session: SessionDep,
    principal: CatalogWriter,
    response: Response,
    if_match: IfMatch = None,
) -> PlanOut:
    """Change the given fields; send `If-Match` to fail (412) if someone changed it since."""
    plan = await service.update_plan(
        session, principal, key, body, parse_if_match(if_match, required=False)
    )
    set_etag(response, plan.version)
    return views.plan_out(plan)


@router.delete(
    "/plans/{key}",
    tags=["catalog"],
    summary="Delete a plan",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(*AUTHED, 404, 412),
)
async def plans_delete(
    key: PlanKey, session: SessionDep, principal: CatalogWriter, if_match: IfMatch = None
) -> None:
    """Remove a plan from the catalog."""
    await service.delete_plan(session, principal, key, parse_if_match(if_match, required=False))
