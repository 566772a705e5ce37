"""All billing SQL: stored events, subscriptions, the tenants they are bound to, price mapping."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.errors import NotFound
from paybill_control_plane.kit.filters import where_given
from paybill_control_plane.kit.lookup import one_or_404
from paybill_control_plane.kit.pagination import fetch_page
from paybill_control_plane.models.audit_event import AuditEvent
from paybill_control_plane.models.billing_event import BillingEvent
from paybill_control_plane.models.enums import BillingEventStatus
from paybill_control_plane.models.plan import Plan
from paybill_control_plane.models.subscription import Subscription
from paybill_control_plane.models.tenant import Tenant


class BillingEventNotFound(NotFound):
    type_slug = "billing-event-not-found"
    title = "Billing event not found"


class SubscriptionNotFound(NotFound):
    type_slug = "subscription-not-found"
    title = "Subscription not found"


_SUBJECT_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 7312))")


async def lock_subject(session: AsyncSession, subscription_id: str) -> None:
    """Serialise, until commit, every transaction that applies this subscription's state."""
    await session.execute(_SUBJECT_LOCK, {"key": f"billing:sub:{subscription_id}"})


# -- events -----------------------------------------------------------------------------------


async def get_event(
    session: AsyncSession, stripe_event_id: str, *, for_update: bool = False
) -> BillingEvent:
    stmt = select(BillingEvent).where(BillingEvent.stripe_event_id == stripe_event_id)
    detail = f"No billing event with id '{stripe_event_id}'."
    return await one_or_404(session, stmt, BillingEventNotFound, detail, lock=for_update)


async def list_events(
    session: AsyncSession,
    *,
    limit: int,
    cursor: str | None,
    status: str | None = None,
    type: str | None = None,
    tenant_id: uuid.UUID | None = None,
) -> tuple[list[BillingEvent], bool]:
    """Newest first."""
    stmt = where_given(
        select(BillingEvent),
        (BillingEvent.status, status),
        (BillingEvent.type, type),
        (BillingEvent.tenant_id, tenant_id),
    )
    return await fetch_page(
        session, stmt, BillingEvent.received_at, BillingEvent.id, cursor, limit, descending=True
    )


async def event_health(session: AsyncSession) -> tuple[dict[str, int], str | None, float | None]:
    """(count by status, oldest unprocessed event id, its age in seconds by the database clock)."""
    counts = dict.fromkeys([s.value for s in BillingEventStatus], 0)
    rows = await session.execute(
        select(BillingEvent.status, func.count()).group_by(BillingEvent.status)
    )
    for status, count in rows.all():
        counts[status] = count
    oldest = (
        await session.execute(
            select(
                BillingEvent.stripe_event_id,
                func.extract("epoch", func.now() - BillingEvent.received_at),
            )
            .where(BillingEvent.status == BillingEventStatus.received)
            .order_by(BillingEvent.received_at, BillingEvent.id)
            .limit(1)
        )
    ).first()
    if oldest is None:
        return counts, None, None
    return counts, oldest[0], max(0.0, float(oldest[1]))


# -- subscriptions ----------------------------------------------------------------------------


async def get_subscription(
    session: AsyncSession, external_id: str, *, provider: str = "stripe"
) -> Subscription | None:
    row: Subscription | None = await session.scalar(
        select(Subscription).where(
            Subscription.provider == provider, Subscription.external_id == external_id
        )
    )
    return row


async def subscription_of_tenant(session: AsyncSession, tenant: Tenant) -> Subscription:
    """The tenant's current subscription (else its latest), or 404."""
    row: Subscription | None = None
    if tenant.stripe_subscription_id:
        row = await get_subscription(session, tenant.stripe_subscription_id)
    if row is None:
        row = await session.scalar(
            select(Subscription)
            .where(Subscription.tenant_id == tenant.id)
            .order_by(Subscription.state_time.desc())
            .limit(1)
        )
    if row is None:
        raise SubscriptionNotFound(
            f"Tenant '{tenant.id}' has no subscription"
            + (" (it is billed manually)." if tenant.billing_provider == "manual" else ".")
        )
    return row


# -- tenants ----------------------------------------------------------------------------------


async def tenant_for_update(session: AsyncSession, tenant_id: uuid.UUID) -> Tenant | None:
    tenant: Tenant | None = await session.get(Tenant, tenant_id, with_for_update=True)
    return tenant


async def tenant_by_subscription(session: AsyncSession, subscription_id: str) -> Tenant | None:
    tenant: Tenant | None = await session.scalar(
        select(Tenant).where(Tenant.stripe_subscription_id == subscription_id).with_for_update()
    )
    return tenant


async def tenants_by_customer(session: AsyncSession, customer_id: str) -> list[Tenant]:
    """At most two: one is a binding, two is ambiguous."""
    rows = await session.scalars(
        select(Tenant)
        .where(Tenant.stripe_customer_id == customer_id)
        .order_by(Tenant.created_at)
        .limit(2)
        .with_for_update()
    )
    return list(rows)


async def tenant_by_slug(session: AsyncSession, slug: str) -> Tenant | None:
    tenant: Tenant | None = await session.scalar(
        select(Tenant).where(Tenant.slug == slug).with_for_update()
    )
    return tenant


# -- catalog ----------------------------------------------------------------------------------


async def plans_for_prices(session: AsyncSession, price_ids: Iterable[str]) -> dict[str, Plan]:
    """price id -> the plan that carries it, for the prices the catalog knows."""
    wanted = sorted(set(price_ids))
    if not wanted:
        return {}
    plans = await session.scalars(
        select(Plan).where(Plan.stripe_price_ids.has_any(array(wanted))).order_by(Plan.key)
    )
    found: dict[str, Plan] = {}
    for plan in plans:
        for price in plan.stripe_price_ids:
            if price in wanted:
                found.setdefault(price, plan)
    return found


async def plan(session: AsyncSession, key: str) -> Plan | None:
    return await session.get(Plan, key)


async def held_by_migration(
    session: AsyncSession, action: str, migration_id: uuid.UUID
) -> list[str]:
    """The subscriptions whose change a migration held (its `action` audit events), once each."""
    rows = await session.scalars(
        select(AuditEvent.after["subscription_id"].astext)
        .where(AuditEvent.action == action, AuditEvent.target_id == str(migration_id))
        .distinct()
    )
    return sorted(r for r in rows if r)
