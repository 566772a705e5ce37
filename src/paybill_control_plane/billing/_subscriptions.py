"""Applying a subscription's state: the ordering rule, the decision, the tenant, the next review.

`apply_subscription` is the one code path behind webhook events, scheduled reviews and
`paybill stripe reconcile`. It runs under a per-subscription advisory lock, so two transactions
never apply one subscription at the same time, whatever the job queue does.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import STRIPE
from paybill_control_plane.billing import repository as repo
from paybill_control_plane.billing._context import BillingContext, Cause, EventFailed
from paybill_control_plane.billing._converge import converge_tenant
from paybill_control_plane.billing._jobs import (
    PRIORITY,
    QUEUE,
    REVIEW_SUBSCRIPTION_TASK,
    review_queueing_lock,
)
from paybill_control_plane.billing.desired_state import (
    Decision,
    DesiredState,
    PriceMappingError,
    SubscriptionItemSnapshot,
    SubscriptionSnapshot,
    UnknownStatusError,
    decide,
    past_due_since_for,
    should_apply,
)
from paybill_control_plane.models.plan import Plan
from paybill_control_plane.models.subscription import Subscription
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.worker.jobs import defer_job


@dataclass
class Applied:
    """What applying a subscription did."""

    subscription: Subscription | None
    decision: Decision | None = None
    stale: bool = False
    tenant_changes: list[str] = field(default_factory=list)
    # Why the tenant was left as it is although the decision asks otherwise (operator hold).
    held: str | None = None

    def describe(self) -> str:
        row, decision = self.subscription, self.decision
        if row is None or decision is None:
            return "no state of the subscription is known yet"
        parts = []
        if self.stale:
            parts.append(
                f"stale: the applied state ({row.status} as of {row.state_time.isoformat()}) "
                "is newer"
            )
        parts.append(f"subscription {row.external_id} {row.status}: {decision.reason}")
        if self.held:
            parts.append(f"tenant: unchanged, {self.held}")
        else:
            parts.append(
                "tenant: "
                + (", ".join(self.tenant_changes) if self.tenant_changes else "unchanged")
            )
        return "; ".join(parts)


def snapshot_of(row: Subscription) -> SubscriptionSnapshot:
    """The applied snapshot, rebuilt from its row."""
    return SubscriptionSnapshot(
        id=row.external_id,
        customer=row.customer_id,
        status=row.status,
        items=tuple(
            SubscriptionItemSnapshot(
                id=item.get("id"),
                price_id=item["price_id"],
                quantity=item.get("quantity"),
                current_period_end=_dt(item.get("current_period_end")),
            )
            for item in row.items
        ),
        current_period_end=row.current_period_end,
        trial_end=row.trial_end,
        cancel_at_period_end=row.cancel_at_period_end,
        cancel_at=row.cancel_at,
        canceled_at=row.canceled_at,
        ended_at=row.ended_at,
        metadata=dict(row.metadata_),
        livemode=row.livemode,
        state_time=row.state_time,
        authoritative=row.state_authoritative,
    )


def _dt(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _write(row: Subscription, snap: SubscriptionSnapshot, past_due_since: datetime | None) -> None:
    row.customer_id = snap.customer
    row.status = snap.status
    row.price_ids = list(snap.price_ids)
    row.items = [
        {
            "id": item.id,
            "price_id": item.price_id,
            "quantity": item.quantity,
            "current_period_end": item.current_period_end.isoformat()
            if item.current_period_end
            else None,
        }
        for item in snap.items
    ]
    row.current_period_end = snap.current_period_end
    row.trial_end = snap.trial_end
    row.cancel_at_period_end = snap.cancel_at_period_end
    row.cancel_at = snap.cancel_at
    row.canceled_at = snap.canceled_at
    row.ended_at = snap.ended_at
    row.livemode = snap.livemode
    row.metadata_ = dict(snap.metadata)
    row.state_time = snap.state_time
    row.state_authoritative = snap.authoritative
    row.past_due_since = past_due_since


def _audit_view(row: Subscription) -> dict[str, Any]:
    # Not state_time: a re-read restamps it without anything changing.
    return {
        "status": row.status,
        "desired_state": row.desired_state,
        "tier": row.tier_key,
        "plan": row.plan_key,
        "seats": row.seats,
        "tenant_id": str(row.tenant_id) if row.tenant_id else None,
        "past_due_since": row.past_due_since,
        "suspend_at": row.suspend_at,
        "deprovision_at": row.deprovision_at,
        "cancel_at_period_end": row.cancel_at_period_end,
    }


async def price_plans(session: AsyncSession, snap: SubscriptionSnapshot) -> dict[str, Plan]:
    return await repo.plans_for_prices(session, snap.price_ids)


def tier_of(snap: SubscriptionSnapshot, plans: dict[str, Plan]) -> str | None:
    """The one tier the subscription's prices map to (None: unknown or ambiguous)."""
    tiers = {plans[p].tier_key for p in snap.price_ids if p in plans}
    return tiers.pop() if len(tiers) == 1 else None


async def apply_subscription(
    session: AsyncSession,
    *,
    tenant: Tenant | None,
    subscription_id: str,
    snapshot: SubscriptionSnapshot | None,
    ctx: BillingContext,
    cause: Cause,
) -> Applied:
    """Take `snapshot` if it is newer than the applied state, decide, converge the tenant.

    With no snapshot (an invoice without an API key, a scheduled review) the applied state is
    decided again at `ctx.now`. Without a tenant the state is only stored (a checkout may bind it).
    The tenant must be locked (`FOR UPDATE`) by the caller.
    """
    await repo.lock_subject(session, subscription_id)
    row = await repo.get_subscription(session, subscription_id)
    before = _audit_view(row) if row is not None else None
    stale = False
    if snapshot is not None:
        if row is None or should_apply(
            row.state_time,
            snapshot.state_time,
            snapshot.authoritative,
            current_status=row.status,
            incoming_status=snapshot.status,
        ):
            since = past_due_since_for(
                snapshot,
                row.status if row else None,
                row.past_due_since if row else None,
            )
            if row is None:
                row = Subscription(
                    id=uuid.uuid4(), provider="stripe", external_id=subscription_id,
                    desired_state=DesiredState.not_provisioned,
                )  # fmt: skip
                session.add(row)
            _write(row, snapshot, since)
            if cause.event_id:
                row.last_event_id = cause.event_id
        else:
            stale = True
    if row is None:
        return Applied(None)
    if tenant is None:
        # Stored for the checkout that will bind it; decided once it pays for a tenant (an
        # unbound subscription's prices need not be in the catalog).
        await session.flush()
        return Applied(row)
    row.tenant_id = tenant.id

    current = snapshot_of(row)
    plans = await price_plans(session, current)
    try:
        decision = decide(
            current,
            {price: plan.tier_key for price, plan in plans.items()},
            now=ctx.now,
            grace_period=ctx.grace_period,
            retention=ctx.retention,
            past_due_since=row.past_due_since,
        )
    except (PriceMappingError, UnknownStatusError) as exc:
        raise EventFailed(str(exc)) from exc
    row.tier_key = decision.tier_key
    row.plan_key = next(
        (plan.key for plan in plans.values() if plan.tier_key == decision.tier_key), None
    )
    row.seats = decision.seats
    row.desired_state = decision.state.value
    row.reason = decision.reason
    row.suspend_at = decision.suspend_at
    row.deprovision_at = decision.deprovision_at
    row.review_at = decision.review_at
    await session.flush()

    after = _audit_view(row)
    if after != before:
        await audit.record(
            session, actor=STRIPE,
            action="subscription.created" if before is None else "subscription.updated",
            target_type="subscription", target_id=row.external_id, tenant_id=row.tenant_id,
            before=before, after={**after, **cause.audit()},
        )  # fmt: skip

    applied = Applied(row, decision, stale=stale)
    if tenant.stripe_subscription_id == row.external_id:
        applied.tenant_changes, applied.held = await converge_tenant(
            session, tenant, decision, ctx, cause
        )
        await schedule_review(session, row)
    return applied


_TODO_REVIEWS = text(
    "SELECT id, scheduled_at FROM procrastinate_jobs WHERE queueing_lock = :lock AND status = 'todo'"
)
_DROP_JOB = text("SELECT procrastinate_cancel_job_v1(:id, false, true)")


async def schedule_review(session: AsyncSession, row: Subscription) -> None:
    """Keep exactly one review job, at `review_at` (grace or retention ending), or none."""
    lock = review_queueing_lock(row.external_id)
    for job_id, scheduled_at in (await session.execute(_TODO_REVIEWS, {"lock": lock})).all():
        if row.review_at is not None and scheduled_at == row.review_at:
            return
        await session.execute(_DROP_JOB, {"id": job_id})
    if row.review_at is not None:
        # No `lock`: a job waiting days under the subscription's lock would hold back its events.
        await defer_job(
            session,
            QUEUE,
            REVIEW_SUBSCRIPTION_TASK,
            {"subscription_id": row.external_id},
            queueing_lock=lock,
            scheduled_at=row.review_at,
            priority=PRIORITY,
        )
