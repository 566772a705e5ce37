"""`tenant.licence_renewed`: a new licence when what it says changes, and before it expires.

A commit hook (like the outbound-events outbox) defers a renewal job in the transaction that
audits `tenant.provisioned`, `tenant.resumed` or `tenant.updated`; a periodic job renews
licences past half their lifetime. The renewal audits `tenant.licence_renewed` with the new
licence, which the outbox turns into the event.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from paybill_control_plane.audit import service as audit
from paybill_control_plane.audit.chain import register_commit_hook
from paybill_control_plane.auth.principal import SYSTEM
from paybill_control_plane.config import Settings
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.licences import keys
from paybill_control_plane.licences._jobs import QUEUE, RENEW_TASK, tenant_lock
from paybill_control_plane.licences.service import eligible, sign
from paybill_control_plane.models.audit_event import AuditEvent
from paybill_control_plane.models.enums import TenantDesiredState, TenantStatus
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.webhook import LicenceRenewal
from paybill_control_plane.worker.jobs import defer_job, job_params

ACTOR = "licences"
RENEWING_ACTIONS = frozenset({"tenant.provisioned", "tenant.resumed", "tenant.updated"})
# What a licence says about a tenant: an update that changes none of these (a new name, new
# labels) renews nothing.
LICENSED_FIELDS = ("tier", "isolation_model", "entitlement_overrides", "slug")


def _renews(row: AuditEvent) -> bool:
    if row.action not in RENEWING_ACTIONS or row.tenant_id is None:
        return False
    if row.action != "tenant.updated":
        return True
    before, after = row.before or {}, row.after or {}
    return any(before.get(f) != after.get(f) for f in LICENSED_FIELDS)


# Every renewal job of one commit in one statement (the hook runs with the chain lock held).
_DEFER_ALL = text(
    "SELECT count(*) FROM unnest(procrastinate_defer_jobs_v1(ARRAY("
    "SELECT ROW(j.queue, j.task, j.priority, j.lock, j.queueing_lock, j.args, j.scheduled_at)"
    "::procrastinate_job_to_defer_v1 "
    "FROM jsonb_to_recordset(CAST(:jobs AS jsonb)) AS j(queue text, task text, "
    "priority int, lock text, queueing_lock text, args jsonb, scheduled_at timestamptz, ord int) "
    "ORDER BY j.ord)))"
)


def defer_on_change(session: Session, rows: list[AuditEvent]) -> None:
    """Commit hook: a renewal job for each tenant whose licence content may have changed."""
    tenants = {r.tenant_id for r in rows if _renews(r) and r.tenant_id is not None}
    jobs: list[dict[str, Any]] = []
    for tenant_id in sorted(tenants, key=str):
        params = job_params(
            QUEUE, RENEW_TASK, {"tenant_id": str(tenant_id)}, lock=tenant_lock(tenant_id)
        )
        jobs.append({**params, "args": json.loads(params["args"]), "ord": len(jobs)})
    if jobs:
        session.execute(_DEFER_ALL, {"jobs": json.dumps(jobs)})


register_commit_hook(defer_on_change)


async def renew(session: AsyncSession, tenant_id: uuid.UUID, settings: Settings) -> str | None:
    """Issue the tenant a new licence and audit it (`tenant.licence_renewed`); None when the
    tenant gets no licence (suspended, being removed, gone)."""
    tenant = await session.get(Tenant, tenant_id, with_for_update=True)
    if tenant is None or not eligible(tenant):
        return None
    key = await keys.current(session)
    if key is None:
        key = await keys.create(session, ACTOR, settings, retire_current=False)
    token, claims = await sign(session, SYSTEM, tenant, key, settings)
    values = {
        "tenant_id": tenant.id,
        "kid": key.kid,
        "jti": uuid.UUID(claims["jti"]),
        "issued_at": utcnow(),
        "expires_at": utcnow() + timedelta(hours=settings.licence_ttl_hours),
    }
    stmt = insert(LicenceRenewal).values(values)
    await session.execute(
        stmt.on_conflict_do_update(index_elements=["tenant_id"], set_=stmt.excluded)
    )
    await audit.record(
        session, actor=ACTOR, action="tenant.licence_renewed", target_type="tenant",
        target_id=tenant.id, tenant_id=tenant.id,
        after={"licence": token, "kid": key.kid, "jti": claims["jti"],
               "expires_at": values["expires_at"]},
    )  # fmt: skip
    return token


async def defer_due(session: AsyncSession, settings: Settings, limit: int = 1000) -> int:
    """Queue renewals of eligible tenants whose licence is past half its life (or never sent)."""
    half = utcnow() + timedelta(hours=settings.licence_ttl_hours / 2)
    rows = await session.scalars(
        select(Tenant.id)
        .outerjoin(LicenceRenewal, LicenceRenewal.tenant_id == Tenant.id)
        .where(
            Tenant.status.in_([TenantStatus.active.value, TenantStatus.updating.value]),
            Tenant.desired_state == TenantDesiredState.active.value,
            or_(LicenceRenewal.tenant_id.is_(None), LicenceRenewal.expires_at < half),
        )
        .limit(limit)
    )
    count = 0
    for tenant_id in rows:
        await defer_job(
            session, QUEUE, RENEW_TASK, {"tenant_id": str(tenant_id)}, lock=tenant_lock(tenant_id)
        )
        count += 1
    return count
