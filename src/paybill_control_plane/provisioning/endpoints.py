"""/v1/tenants/{tenant_id}/runs, /v1/runs, /v1/stacks, /v1/pools."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, status

from paybill_control_plane.auth.dependencies import InfraReader, RunReader, RunWriter
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.http_controls import ControlledRoute
from paybill_control_plane.kit.app_state import SettingsDep
from paybill_control_plane.kit.pagination import (
    DEFAULT_LIMIT,
    Page,
    PageCursor,
    PageLimit,
    PageParams,
    next_cursor_of,
)
from paybill_control_plane.kit.problems import AUTHED, problem_responses
from paybill_control_plane.kit.schemas import INT64_MAX
from paybill_control_plane.lifecycle import runs as lifecycle_runs
from paybill_control_plane.provisioning import repository as repo
from paybill_control_plane.provisioning.preview import tenant_plan
from paybill_control_plane.provisioning.schemas import (
    PoolOut,
    RunLogLineOut,
    RunLogs,
    RunOut,
    StackOut,
    TenantPlanOut,
)
from paybill_control_plane.provisioning.views import (
    pool_outs,
    run_out,
    shared_run_hidden,
    stack_out,
    tenant_plan_out,
)
from paybill_control_plane.tenants import repository as tenants_repo

router = APIRouter(prefix="/v1", route_class=ControlledRoute)


@router.get(
    "/tenants/{tenant_id}/runs",
    tags=["runs"],
    summary="List a tenant's runs, newest first",
    responses=problem_responses(*AUTHED, 404),
)
async def tenants_runs_list(
    tenant_id: uuid.UUID,
    session: SessionDep,
    principal: RunReader,
    page: PageParams,
) -> Page[RunOut]:
    """The runs that touched the tenant's stacks (its own and its pool's), newest first."""
    await tenants_repo.get(session, principal, tenant_id)
    rows, more = await repo.runs_of_tenant(session, tenant_id, limit=page.limit, cursor=page.cursor)
    next_cursor = next_cursor_of(rows, more)
    return Page[RunOut](items=[run_out(r, principal) for r in rows], next_cursor=next_cursor)


@router.get(
    "/runs/{run_id}",
    tags=["runs"],
    summary="Get a run: steps, timings, plan summary",
    responses=problem_responses(*AUTHED, 404),
)
async def runs_get(run_id: uuid.UUID, session: SessionDep, principal: RunReader) -> RunOut:
    """A run with its steps, timings and plan summary (a tenant key sees only its part)."""
    return run_out(await repo.get_run(session, principal, run_id), principal)


@router.get(
    "/runs/{run_id}/logs",
    tags=["runs"],
    summary="Read a run's Terraform log",
    responses=problem_responses(*AUTHED, 404),
)
async def runs_logs(
    run_id: uuid.UUID,
    session: SessionDep,
    principal: RunReader,
    after: Annotated[int, Query(ge=0, le=INT64_MAX, description="Return lines after this id.")] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> RunLogs:
    """Terraform output lines after `after`; poll with `next_after` to follow a live run."""
    run = await repo.get_run(session, principal, run_id)
    if shared_run_hidden(run, principal):
        return RunLogs(
            run_id=run.id, run_status=run.status, lines=[], next_after=None, redacted=True
        )
    lines = await repo.log_lines(session, run_id, after=after, limit=limit)
    return RunLogs(
        run_id=run.id,
        run_status=run.status,
        lines=[RunLogLineOut.model_validate(line) for line in lines],
        next_after=lines[-1].id if lines else after,
    )


@router.post(
    "/runs/{run_id}/retry",
    tags=["runs"],
    summary="Retry a failed run",
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(*AUTHED, 404, 409),
)
async def runs_retry(
    run_id: uuid.UUID, session: SessionDep, principal: RunWriter, settings: SettingsDep
) -> RunOut:
    """Queue a failed run again (202); 409 when the run is not failed."""
    run = await repo.get_run(session, principal, run_id, for_update=True)
    return run_out(await lifecycle_runs.retry_run(session, run, principal, settings), principal)


@router.get(
    "/stacks", tags=["infrastructure"], summary="List stacks", responses=problem_responses(*AUTHED)
)
async def stacks_list(
    session: SessionDep,
    _: InfraReader,
    limit: PageLimit = DEFAULT_LIMIT,
    cursor: PageCursor = None,
    tenant_id: uuid.UUID | None = None,
    pool_id: uuid.UUID | None = None,
    kind: Literal["silo", "pool", "bridge-data"] | None = None,
) -> Page[StackOut]:
    """Terraform stacks (one workspace each), oldest first, optionally filtered."""
    rows, more = await repo.list_stacks(
        session, limit=limit, cursor=cursor, tenant_id=tenant_id, pool_id=pool_id, kind=kind
    )
    next_cursor = next_cursor_of(rows, more)
    return Page[StackOut](items=[stack_out(s) for s in rows], next_cursor=next_cursor)


@router.get(
    "/stacks/{stack_id}",
    tags=["infrastructure"],
    summary="Get a stack",
    responses=problem_responses(*AUTHED, 404),
)
async def stacks_get(stack_id: uuid.UUID, session: SessionDep, _: InfraReader) -> StackOut:
    """A stack: its module, variables, revisions and non-sensitive outputs."""
    return stack_out(await repo.get_stack(session, stack_id))


@router.get(
    "/pools", tags=["infrastructure"], summary="List pools", responses=problem_responses(*AUTHED)
)
async def pools_list(session: SessionDep, _: InfraReader, page: PageParams) -> Page[PoolOut]:
    """Pools of pooled and bridge tenants, with member counts, oldest first."""
    rows, more = await repo.list_pools(session, limit=page.limit, cursor=page.cursor)
    return Page[PoolOut](
        items=await pool_outs(session, rows), next_cursor=next_cursor_of(rows, more)
    )


@router.get(
    "/pools/{pool_id}",
    tags=["infrastructure"],
    summary="Get a pool",
    responses=problem_responses(*AUTHED, 404),
)
async def pools_get(pool_id: uuid.UUID, session: SessionDep, _: InfraReader) -> PoolOut:
    """A pool with its capacity, member count and stack."""
    [out] = await pool_outs(session, [await repo.get_pool(session, pool_id)])
    return out


@router.get(
    "/tenants/{tenant_id}/plan",
    tags=["infrastructure"],
    summary="Preview the Terraform inputs of a tenant's stacks",
    responses=problem_responses(*AUTHED, 404),
)
async def tenants_plan_get(
    tenant_id: uuid.UUID, session: SessionDep, principal: InfraReader, settings: SettingsDep
) -> TenantPlanOut:
    """The stacks the tenant's desired state renders to now, on any cloud: module, inputs,
    revision, file names and the tfvars JSON, for review before anything is applied.

    Needs no cloud credentials: nothing is decrypted and no cloud is called. `notes` says what
    would stop a run (e.g. no cloud target yet); `placeholders` and `boundary_inputs` name the
    inputs known only later.
    """
    tenant = await tenants_repo.get(session, principal, tenant_id)
    plan = await tenant_plan(session, tenant, settings)
    return tenant_plan_out(plan)
