"""Drift findings: one per distinct drift of a stack (its fingerprint), opened, seen again,
resolved when a check no longer finds it, ignored with a reason, or remediated by a run."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import Principal
from paybill_control_plane.config import Settings
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.errors import InvalidTransition, NotFound
from paybill_control_plane.fleet import _diff
from paybill_control_plane.fleet._jobs import defer_drift_check
from paybill_control_plane.fleet._stacks import lock_stack, move_stack
from paybill_control_plane.kit.lookup import get_or_404
from paybill_control_plane.models.enums import DriftFindingStatus, DriftStatus
from paybill_control_plane.models.fleet import DriftFinding
from paybill_control_plane.models.run import Run
from paybill_control_plane.models.stack import Stack

F = DriftFindingStatus
ACTOR = "drift-check"


class FindingNotFound(NotFound):
    type_slug = "drift-finding-not-found"
    title = "Drift finding not found"


async def record_check(
    session: AsyncSession,
    stack_id: uuid.UUID,
    tenant_id: uuid.UUID | None,
    module: str,
    drift: _diff.Drift,
) -> DriftFinding | None:
    """Fold one check's outcome into the stack's findings; returns the current finding."""
    now = utcnow()
    stack = await session.get(Stack, stack_id, with_for_update=True)
    if stack is None:
        return None
    stack.drift_checked_at = now
    stack.drift_status = DriftStatus.drifted if drift else DriftStatus.in_sync
    print_ = _diff.fingerprint(drift) if drift else None
    for finding in await session.scalars(
        select(DriftFinding).where(DriftFinding.stack_id == stack_id, DriftFinding.status == F.open)
    ):
        if finding.fingerprint != print_:
            finding.status = F.resolved
            finding.resolved_at = now
            await audit.record(
                session, actor=ACTOR, action="drift.resolved", target_type="drift_finding",
                target_id=finding.id, tenant_id=tenant_id, after={"stack_id": str(stack_id)},
            )  # fmt: skip
    if print_ is None:
        return None
    seen = await session.scalar(
        select(DriftFinding).where(
            DriftFinding.stack_id == stack_id, DriftFinding.fingerprint == print_
        )
    )
    if seen is not None:
        seen.last_seen_at = now
        if seen.status == F.resolved:  # the same drift came back
            seen.status = F.open
            seen.resolved_at = None
            await _detected(session, seen)
        return seen
    finding = DriftFinding(
        id=uuid.uuid4(), stack_id=stack_id, tenant_id=tenant_id, module=module,
        fingerprint=print_, status=F.open, addresses=sorted(drift),
        attributes=_diff.attribute_names(drift), first_seen_at=now, last_seen_at=now,
    )  # fmt: skip
    session.add(finding)
    await session.flush()
    await _detected(session, finding)
    return finding


async def _detected(session: AsyncSession, finding: DriftFinding) -> None:
    # The outbound-events feature maps this action to a webhook.
    await audit.record(
        session, actor=ACTOR, action="drift.detected", target_type="drift_finding",
        target_id=finding.id, tenant_id=finding.tenant_id,
        after={"stack_id": str(finding.stack_id), "addresses": finding.addresses,
               "attributes": finding.attributes, "fingerprint": finding.fingerprint},
    )  # fmt: skip


async def get_finding(
    session: AsyncSession, finding_id: uuid.UUID, *, lock: bool = False
) -> DriftFinding:
    detail = f"No drift finding {finding_id}."
    return await get_or_404(session, DriftFinding, finding_id, FindingNotFound, detail, lock=lock)


async def request_check(session: AsyncSession, actor: Principal | str, stack: Stack) -> bool:
    """Queue a drift check of the stack now; False when one was already waiting."""
    queued = await defer_drift_check(session, stack.id)
    await audit.record(
        session, actor=actor, action="drift.check_requested", target_type="stack",
        target_id=stack.id, tenant_id=stack.tenant_id, after={"queued": queued},
    )  # fmt: skip
    return queued


async def ignore(
    session: AsyncSession, actor: Principal | str, finding_id: uuid.UUID, reason: str
) -> DriftFinding:
    """Stop reporting this drift (the same fingerprint stays ignored)."""
    finding = await get_finding(session, finding_id, lock=True)
    before = finding.status
    finding.status = F.ignored
    finding.ignored_reason = reason
    await audit.record(
        session, actor=actor, action="drift.ignored", target_type="drift_finding",
        target_id=finding.id, tenant_id=finding.tenant_id,
        before={"status": before}, after={"status": F.ignored.value, "reason": reason},
    )  # fmt: skip
    return finding


async def remediate(
    session: AsyncSession, actor: Principal | str, finding_id: uuid.UUID, settings: Settings
) -> Run:
    """Queue a normal run that applies the stack's configuration over the drift, then a check."""
    finding = await get_finding(session, finding_id, lock=True)
    if finding.status != F.open:
        raise InvalidTransition(
            f"Finding {finding.id} is '{finding.status}'; only an open finding is remediated.",
            extra={"finding_status": finding.status},
        )
    stack = await lock_stack(session, finding.stack_id)
    # The real infrastructure no longer matches the applied revision: the run must apply it
    # again rather than find it "already applied".
    stack.applied_revision = None
    run = await move_stack(
        session, stack, stack.release_id, kind="remediate",
        trigger=f"drift finding {finding.id}", actor=actor, settings=settings,
        tenant_id=stack.tenant_id,
    )  # fmt: skip
    finding.remediation_run_id = run.id
    await defer_drift_check(session, stack.id)  # after the run: same stack lock, deferred later
    await audit.record(
        session, actor=actor, action="drift.remediate", target_type="drift_finding",
        target_id=finding.id, tenant_id=finding.tenant_id, after={"run_id": str(run.id)},
    )  # fmt: skip
    return run
