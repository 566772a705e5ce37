"""Provisioning rules: which stacks a tenant needs, queuing runs, whether a tenant has converged."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal, actor_name
from paybill_control_plane.catalog import repository as catalog_repo
from paybill_control_plane.config import Settings
from paybill_control_plane.errors import Conflict
from paybill_control_plane.models.enums import (
    RunStatus,
    StackStatus,
    TenantDesiredState,
)
from paybill_control_plane.models.run import Run
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.provisioning import placement
from paybill_control_plane.provisioning import repository as repo
from paybill_control_plane.provisioning._jobs import defer_run_job
from paybill_control_plane.provisioning.facts import desired_for, pinned_release_id
from paybill_control_plane.provisioning.policy_gate import void_open_approvals

OWN_STACK_KIND = {"silo": "silo", "bridge": "bridge-data"}


class RunNotRetryable(Conflict):
    type_slug = "run-not-retryable"
    title = "Only a failed run, or one awaiting approval, can be retried"


async def _own_stack(session: AsyncSession, tenant: Tenant, kind: str) -> Stack:
    stack = await repo.tenant_stack(session, tenant.id, kind)
    if stack is None:
        module = f"{tenant.cloud}/{'silo' if kind == 'silo' else 'bridge'}"
        tier = await catalog_repo.find_tier(session, tenant.tier_key)
        stack = Stack(
            id=uuid.uuid4(), kind=kind, tenant_id=tenant.id, cloud=tenant.cloud, module=module,
            workspace=f"{kind}-{tenant.id}", status=StackStatus.pending, variables={}, outputs={},
            release_id=await pinned_release_id(session, tier, module),
        )  # fmt: skip
        session.add(stack)
        await session.flush()
    return stack


async def ensure_own_stack(session: AsyncSession, tenant: Tenant, isolation: str) -> Stack | None:
    """The tenant's own stack for an isolation model (silo, or bridge's data stack), made if
    missing; None for pooled, which has none."""
    kind = OWN_STACK_KIND.get(isolation)
    return await _own_stack(session, tenant, kind) if kind else None


async def own_stack(session: AsyncSession, tenant_id: uuid.UUID, isolation: str) -> Stack | None:
    """The tenant's existing own stack for an isolation model, if any."""
    kind = OWN_STACK_KIND.get(isolation)
    if kind is None:
        return None
    return await repo.tenant_stack(session, tenant_id, kind)


async def pool_stack(session: AsyncSession, pool_id: uuid.UUID | None) -> Stack | None:
    """The stack of a pool."""
    if pool_id is None:
        return None
    return await repo.stack_of_pool(session, pool_id)


async def stacks_of(session: AsyncSession, tenant: Tenant) -> list[Stack]:
    """Every stack the tenant has or shares: its own, and its pool's."""
    # One statement (it runs on every create, under the placement lock, and per member when a
    # pool's run settles its tenants): the tenant's own stacks, then its pool's.
    found = await repo.stacks_of_tenant_and_pool(session, tenant.id, tenant.pool_id)
    stacks = [s for s in found if s.tenant_id == tenant.id and s.kind != "pool"]
    stacks += [s for s in found if s.kind == "pool" and s.pool_id == tenant.pool_id]
    return stacks


async def request_run(
    session: AsyncSession,
    stack: Stack,
    *,
    kind: str,
    trigger: str,
    tenant_ids: Iterable[uuid.UUID],
    actor: Principal | str,
    settings: Settings,
) -> Run:
    """Queue a run of `stack`, or join the run already queued for it (batching pool changes)."""
    ids = sorted({str(t) for t in tenant_ids})
    queued = await repo.queued_run_for_update(session, stack.id)
    if queued is not None:
        queued.tenant_ids = sorted(set(queued.tenant_ids) | set(ids))
        await session.flush()
        return queued
    run = Run(
        id=uuid.uuid4(), stack_id=stack.id, kind=kind, trigger=trigger, status=RunStatus.queued,
        tenant_ids=ids, attempt=0, max_attempts=settings.run_max_attempts, steps=[],
        requested_by=actor_name(actor),
    )  # fmt: skip
    session.add(run)
    await session.flush()
    run.job_id = await defer_run_job(session, run.id, stack.id)
    stack.last_run_id = run.id
    await audit.record(
        session, actor=actor, action="run.queued", target_type="run", target_id=run.id,
        tenant_id=uuid.UUID(ids[0]) if len(ids) == 1 else None,
        after={"stack_id": str(stack.id), "kind": kind, "trigger": trigger, "tenant_ids": ids},
    )  # fmt: skip
    return run


async def reconcile_tenant(
    session: AsyncSession,
    tenant: Tenant,
    *,
    kind: str,
    trigger: str,
    actor: Principal | str,
    settings: Settings,
    previous_pool_id: uuid.UUID | None = None,
) -> list[Run]:
    """Queue runs on every stack whose desired state the tenant's change may have moved."""
    if tenant.desired_state in repo.PRESENT:
        if tenant.isolation_model in ("pooled", "bridge"):
            tier = await catalog_repo.find_tier(session, tenant.tier_key)
            assert tier is not None
            await placement.place(session, tenant, tier, settings)
        own_kind = OWN_STACK_KIND.get(tenant.isolation_model)
        if own_kind:
            await _own_stack(session, tenant, own_kind)
    stacks = await stacks_of(session, tenant)
    if previous_pool_id is not None and previous_pool_id != tenant.pool_id:
        old = await repo.stack_of_pool(session, previous_pool_id)
        if old is not None:
            stacks.append(old)
    runs = []
    for stack in sorted(stacks, key=lambda s: (s.kind != "pool", str(s.id))):
        runs.append(
            await request_run(
                session,
                stack,
                kind=kind,
                trigger=trigger,
                tenant_ids=[tenant.id],
                actor=actor,
                settings=settings,
            )
        )
    return runs


async def tenant_converged(session: AsyncSession, tenant: Tenant, settings: Settings) -> bool:
    """Every stack of the tenant matches the tenant's desired state."""
    present = tenant.desired_state in repo.PRESENT
    for stack in await stacks_of(session, tenant):
        if stack.kind == "pool":
            members = (
                (stack.applied_variables or {}).get("tenants", [])
                if stack.status == StackStatus.applied
                else []
            )
            entry = next((m for m in members if m["tenant_id"] == str(tenant.id)), None)
            if present and (
                entry is None
                or entry["suspended"] != (tenant.desired_state == TenantDesiredState.suspended)
            ):
                return False
            if not present and entry is not None:
                return False
            continue
        desired = await desired_for(session, stack, settings)
        if desired.waiting_for:
            return False
        if desired.spec is None:
            if stack.status not in (StackStatus.destroyed, StackStatus.pending) or (
                stack.status == StackStatus.pending and stack.applied_revision is not None
            ):
                return False
        elif stack.status != StackStatus.applied or stack.applied_revision != desired.spec.revision:
            return False
    return True


async def record_run_outcome(session: AsyncSession, run: Run, actor: Principal | str) -> None:
    """Audit a run's end (`run.succeeded` / `run.failed`), which outbound events report."""
    tenant_ids = sorted(run.tenant_ids)
    await audit.record(
        session, actor=actor, action=f"run.{run.status}", target_type="run", target_id=run.id,
        tenant_id=uuid.UUID(tenant_ids[0]) if len(tenant_ids) == 1 else None,
        after={"stack_id": str(run.stack_id), "kind": run.kind, "operation": run.operation,
               "status": run.status, "tenant_ids": tenant_ids, "revision": run.revision,
               "error": run.error},
    )  # fmt: skip


async def requeue_failed_run(
    session: AsyncSession, run: Run, actor: Principal, settings: Settings
) -> Run:
    """Queue a failed run again with fresh attempts (its tenants are the lifecycle layer's).

    A run awaiting approval is planned again: its approval request is void, and the policies
    judge the new plan (docs/policies-and-approvals.md)."""
    if run.status not in (RunStatus.failed, RunStatus.awaiting_approval):
        raise RunNotRetryable(
            f"Run {run.id} is '{run.status}'; only failed runs (or runs awaiting approval, "
            "to plan them again) can be retried.",
            extra={"run_status": run.status},
        )
    before = {"status": run.status, "attempt": run.attempt, "error": run.error}
    if run.status == RunStatus.awaiting_approval:
        await void_open_approvals(session, run.id, "the run was retried", actor_name(actor))
    run.status = RunStatus.queued
    run.max_attempts = run.attempt + settings.run_max_attempts
    run.error = None
    run.finished_at = None
    run.next_attempt_at = None
    run.job_id = await defer_run_job(session, run.id, run.stack_id)
    await audit.record(
        session, actor=actor, action="run.retried", target_type="run", target_id=run.id,
        before=before, after={"status": RunStatus.queued.value, "max_attempts": run.max_attempts},
    )  # fmt: skip
    return run
