"""/v1/module-releases, /v1/rollouts, /v1/stacks/{id}/drift-checks, /v1/drift-findings."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from paybill_control_plane.auth.dependencies import CatalogWriter, InfraReader, RunWriter
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.fleet import (
    findings,
    releases,
    rollouts,
    schema_releases,
    schema_rollouts,
)
from paybill_control_plane.fleet import repository as repo
from paybill_control_plane.fleet.schemas import (
    DriftCheckQueued,
    DriftFindingOut,
    DriftIgnore,
    FindingStatus,
    Module,
    ModuleReleaseCreate,
    ModuleReleaseOut,
    RolloutCreate,
    RolloutDetail,
    RolloutOut,
    SchemaMigrationOut,
    SchemaReleaseCreate,
    SchemaRolloutCreate,
)
from paybill_control_plane.http_controls import ControlledRoute
from paybill_control_plane.kit.app_state import SettingsDep
from paybill_control_plane.kit.pagination import Page, PageParams, next_cursor_of
from paybill_control_plane.kit.problems import AUTHED, problem_responses
from paybill_control_plane.provisioning import repository as provisioning_repo
from paybill_control_plane.provisioning.schemas import RunOut

router = APIRouter(prefix="/v1", route_class=ControlledRoute)


@router.post(
    "/module-releases",
    tags=["fleet"],
    summary="Release a module version (an immutable snapshot of its files)",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(*AUTHED, 409),
)
async def module_releases_create(
    body: ModuleReleaseCreate, session: SessionDep, principal: CatalogWriter, response: Response
) -> ModuleReleaseOut:
    """Snapshot `terraform-modules/<cloud>/<model>` (or the given files) as a release. The same
    version with the same files answers the existing release (200); other files, a 409."""
    release, created = await releases.create_release(session, principal, body)
    if not created:
        response.status_code = status.HTTP_200_OK
    return releases.release_out(release)


@router.get(
    "/module-releases",
    tags=["fleet"],
    summary="List module releases, newest first",
    responses=problem_responses(*AUTHED),
)
async def module_releases_list(
    session: SessionDep,
    _: InfraReader,
    page: PageParams,
    module: Annotated[Module | None, Query(description="Only this module.")] = None,
) -> Page[ModuleReleaseOut]:
    """Releases with their digests and file names (the files themselves stay server-side)."""
    rows, more = await repo.list_releases(
        session, module=module, limit=page.limit, cursor=page.cursor
    )
    return Page[ModuleReleaseOut](
        items=[releases.release_out(r) for r in rows], next_cursor=next_cursor_of(rows, more)
    )


@router.post(
    "/rollouts",
    tags=["fleet"],
    summary="Start a rollout of a release over selected stacks",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(*AUTHED, 404),
)
async def rollouts_create(
    body: RolloutCreate, session: SessionDep, principal: RunWriter
) -> RolloutDetail:
    """Pick the stacks, order them in waves (canary, then growing), and start moving them."""
    rollout = await rollouts.create_rollout(session, principal, body)
    return rollouts.rollout_detail(rollout, await rollouts.targets_of(session, rollout.id))


@router.get(
    "/rollouts", tags=["fleet"], summary="List rollouts", responses=problem_responses(*AUTHED)
)
async def rollouts_list(session: SessionDep, _: InfraReader, page: PageParams) -> Page[RolloutOut]:
    """Rollouts, newest first, with their targets counted by status."""
    rows, more = await repo.list_rollouts(session, limit=page.limit, cursor=page.cursor)
    targets = await repo.targets_by_rollout(session, [r.id for r in rows])
    return Page[RolloutOut](
        items=[rollouts.rollout_out(r, targets[r.id]) for r in rows],
        next_cursor=next_cursor_of(rows, more),
    )


@router.get(
    "/rollouts/{rollout_id}",
    tags=["fleet"],
    summary="Get a rollout: waves, per-stack status, failures",
    responses=problem_responses(*AUTHED, 404),
)
async def rollouts_get(rollout_id: uuid.UUID, session: SessionDep, _: InfraReader) -> RolloutDetail:
    """A rollout with every target's status, its run and, for failures, the run's error."""
    rollout = await rollouts.get_rollout(session, rollout_id)
    return rollouts.rollout_detail(rollout, await rollouts.targets_of(session, rollout.id))


async def _detail(session: SessionDep, rollout_id: uuid.UUID) -> RolloutDetail:
    rollout = await rollouts.get_rollout(session, rollout_id)
    return rollouts.rollout_detail(rollout, await rollouts.targets_of(session, rollout.id))


@router.post(
    "/rollouts/{rollout_id}/pause",
    tags=["fleet"],
    summary="Pause a rollout",
    responses=problem_responses(*AUTHED, 404, 409),
)
async def rollouts_pause(
    rollout_id: uuid.UUID, session: SessionDep, principal: RunWriter
) -> RolloutDetail:
    """Start no further stack until resumed; stacks upgrading now finish."""
    await rollouts.pause(session, principal, rollout_id)
    return await _detail(session, rollout_id)


@router.post(
    "/rollouts/{rollout_id}/resume",
    tags=["fleet"],
    summary="Resume a paused rollout",
    responses=problem_responses(*AUTHED, 404, 409),
)
async def rollouts_resume(
    rollout_id: uuid.UUID, session: SessionDep, principal: RunWriter
) -> RolloutDetail:
    """Carry on where the rollout was paused."""
    await rollouts.resume(session, principal, rollout_id)
    return await _detail(session, rollout_id)


@router.post(
    "/rollouts/{rollout_id}/cancel",
    tags=["fleet"],
    summary="Cancel a rollout",
    responses=problem_responses(*AUTHED, 404, 409),
)
async def rollouts_cancel(
    rollout_id: uuid.UUID, session: SessionDep, principal: RunWriter
) -> RolloutDetail:
    """Never start the stacks still waiting; the ones upgrading finish."""
    await rollouts.cancel(session, principal, rollout_id)
    return await _detail(session, rollout_id)


@router.post(
    "/rollouts/{rollout_id}/rollback",
    tags=["fleet"],
    summary="Roll back a rollout",
    responses=problem_responses(*AUTHED, 404, 409),
)
async def rollouts_rollback(
    rollout_id: uuid.UUID, session: SessionDep, principal: RunWriter, settings: SettingsDep
) -> RolloutDetail:
    """Every stack the rollout touched goes back to its previous release, by a normal run."""
    await rollouts.rollback(session, principal, rollout_id, settings)
    return await _detail(session, rollout_id)


@router.post(
    "/stacks/{stack_id}/drift-checks",
    tags=["fleet"],
    summary="Check a stack for drift now",
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(*AUTHED, 404),
)
async def stacks_drift_check(
    stack_id: uuid.UUID, session: SessionDep, principal: RunWriter
) -> DriftCheckQueued:
    """Queue `plan -refresh-only` and a normal plan of the stack (after any run holding it)."""
    stack = await provisioning_repo.get_stack(session, stack_id)
    queued = await findings.request_check(session, principal, stack)
    return DriftCheckQueued(stack_id=stack.id, queued=queued)


@router.get(
    "/drift-findings",
    tags=["fleet"],
    summary="List drift findings, newest first",
    responses=problem_responses(*AUTHED),
)
async def drift_findings_list(
    session: SessionDep,
    _: InfraReader,
    page: PageParams,
    stack_id: uuid.UUID | None = None,
    tenant_id: uuid.UUID | None = None,
    finding_status: Annotated[FindingStatus | None, Query(alias="status")] = None,
) -> Page[DriftFindingOut]:
    """One finding per distinct drift of a stack, with the resources and attributes that differ."""
    rows, more = await repo.list_findings(
        session,
        stack_id=stack_id,
        tenant_id=tenant_id,
        status=finding_status,
        limit=page.limit,
        cursor=page.cursor,
    )
    return Page[DriftFindingOut](
        items=[DriftFindingOut.model_validate(r) for r in rows],
        next_cursor=next_cursor_of(rows, more),
    )


@router.post(
    "/drift-findings/{finding_id}/remediate",
    tags=["fleet"],
    summary="Remediate a drift finding with a normal run",
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(*AUTHED, 404, 409),
)
async def drift_findings_remediate(
    finding_id: uuid.UUID, session: SessionDep, principal: RunWriter, settings: SettingsDep
) -> RunOut:
    """Queue a run that applies the stack's configuration again, then a new check."""
    run = await findings.remediate(session, principal, finding_id, settings)
    return RunOut.model_validate(run)


@router.post(
    "/drift-findings/{finding_id}/ignore",
    tags=["fleet"],
    summary="Ignore a drift finding",
    responses=problem_responses(*AUTHED, 404),
)
async def drift_findings_ignore(
    finding_id: uuid.UUID, body: DriftIgnore, session: SessionDep, principal: RunWriter
) -> DriftFindingOut:
    """Stop reporting this drift; the reason is kept on the finding and in the audit log."""
    finding = await findings.ignore(session, principal, finding_id, body.reason)
    return DriftFindingOut.model_validate(finding)


@router.post(
    "/schema-releases",
    tags=["fleet"],
    summary="Release tenant schema migrations",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(*AUTHED, 409),
)
async def schema_releases_create(
    body: SchemaReleaseCreate, session: SessionDep, principal: CatalogWriter
) -> list[SchemaMigrationOut]:
    """Record ordered SQL migrations with their checksums. A released version must come back
    byte-identical (409 `schema-migration-changed` otherwise). Answers every released one."""
    rows = await schema_releases.release(session, principal, body)
    return [SchemaMigrationOut.model_validate(r) for r in rows]


@router.get(
    "/schema-releases",
    tags=["fleet"],
    summary="List released tenant schema migrations",
    responses=problem_responses(*AUTHED),
)
async def schema_releases_list(session: SessionDep, _: InfraReader) -> list[SchemaMigrationOut]:
    """Every released migration, in version order, with its checksum."""
    rows = await schema_releases.all_migrations(session)
    return [SchemaMigrationOut.model_validate(r) for r in rows]


@router.post(
    "/schema-rollouts",
    tags=["fleet"],
    summary="Apply released migrations to selected tenant databases in waves",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(*AUTHED),
)
async def schema_rollouts_create(
    body: SchemaRolloutCreate, session: SessionDep, principal: RunWriter
) -> RolloutDetail:
    """A rollout (see `GET /v1/rollouts/{id}`, pause, resume, cancel) whose targets are tenant
    databases: each gets its pending migrations in one transaction with a lock timeout."""
    rollout = await schema_rollouts.create_schema_rollout(session, principal, body)
    return rollouts.rollout_detail(rollout, await rollouts.targets_of(session, rollout.id))
