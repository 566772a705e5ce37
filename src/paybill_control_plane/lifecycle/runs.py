"""What finished runs mean for tenants: settling, failing, retrying.

`TenantRunOutcomes` is the callback the run executor (provisioning, below this layer) calls when
a run ends; `worker/app.py` hands it to the executor when the worker is built."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.config import Settings
from paybill_control_plane.lifecycle.transitions import change_state
from paybill_control_plane.models.approval import Approval
from paybill_control_plane.models.enums import TenantDesiredState, TenantStatus
from paybill_control_plane.models.run import Run
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.provisioning import approvals
from paybill_control_plane.provisioning import service as provisioning
from paybill_control_plane.tenants import lifecycle as machine

RETRY_STATUS = {
    "deprovision": TenantStatus.deprovisioning,
    "provision": TenantStatus.provisioning,
}


async def settle(
    session: AsyncSession, tenant: Tenant, settings: Settings, actor: Principal | str
) -> None:
    """After a run: a converged tenant in a running status takes the status its desired state names."""
    status = TenantStatus(tenant.status)
    if status not in machine.RUNNING:
        return
    if await provisioning.tenant_converged(session, tenant, settings):
        target = machine.SETTLED[tenant.desired_state]
        await change_state(
            session, actor, tenant, status=target,
            action=await _settled_action(session, tenant, status, target),
            reason="infrastructure converged",
        )  # fmt: skip


async def _settled_action(
    session: AsyncSession, tenant: Tenant, status: TenantStatus, target: TenantStatus
) -> str:
    """The audited action of settling: `tenant.provisioned` and `tenant.resumed` tell a first
    activation and a resumption from other settlings (outbound events report them)."""
    if target is not TenantStatus.active:
        return f"tenant.{target.value}"
    if status is TenantStatus.provisioning:
        return "tenant.provisioned"
    if await audit.status_before(session, tenant.id, status.value) == TenantStatus.suspended:
        return "tenant.resumed"
    return "tenant.active"


async def mark_failed(
    session: AsyncSession, tenant: Tenant, actor: Principal | str, reason: str
) -> None:
    """A tenant whose run failed for good leaves its running status for `failed`."""
    if TenantStatus(tenant.status) in machine.RUNNING:
        await change_state(
            session,
            actor,
            tenant,
            status=TenantStatus.failed,
            action="tenant.failed",
            reason=reason,
        )


async def retry_run(session: AsyncSession, run: Run, actor: Principal, settings: Settings) -> Run:
    """Start a failed run again (fresh attempts); its failed tenants go back to running."""
    await provisioning.requeue_failed_run(session, run, actor, settings)
    for tenant_id in run.tenant_ids:
        tenant = await session.get(Tenant, uuid.UUID(tenant_id), with_for_update=True)
        if tenant is not None and tenant.status == TenantStatus.failed.value:
            status = RETRY_STATUS.get(run.kind, TenantStatus.updating)
            if tenant.desired_state == TenantDesiredState.deprovisioned:
                status = TenantStatus.deprovisioning
            await change_state(session, actor, tenant, status=status, action="tenant.retry")
    return run


async def reject_run(
    session: AsyncSession, principal: Principal, run: Run, reason: str
) -> Approval:
    """Reject a run held for approval: the run fails, and its tenants as after any failed run."""
    approval = await approvals.reject(session, principal, run, reason)
    ids = [uuid.UUID(t) for t in run.tenant_ids]
    tenants = await session.scalars(
        select(Tenant).where(Tenant.id.in_(ids)).order_by(Tenant.id).with_for_update()
    )
    for tenant in tenants:
        await mark_failed(session, tenant, principal, f"run {run.id} rejected: {reason[:300]}")
    return approval


class TenantRunOutcomes:
    """The lifecycle layer's answer to the executor's `RunOutcomes` callback."""

    async def run_succeeded(
        self, session: AsyncSession, tenant: Tenant, settings: Settings, actor: Principal | str
    ) -> None:
        await settle(session, tenant, settings, actor)

    async def run_failed(
        self, session: AsyncSession, tenant: Tenant, actor: Principal | str, reason: str
    ) -> None:
        await mark_failed(session, tenant, actor, reason)
