"""Grace and retention over days, with an injected clock: the code path of events and reviews."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from paybill_control_plane.auth.principal import CLI
from paybill_control_plane.billing import service
from paybill_control_plane.billing._context import BillingContext, Cause
from paybill_control_plane.billing._subscriptions import apply_subscription
from paybill_control_plane.billing.desired_state import snapshot_from_stripe
from paybill_control_plane.catalog import service as catalog
from paybill_control_plane.catalog.schemas import PlanCreate, TierCreate
from paybill_control_plane.cli._runtime import unit_of_work
from paybill_control_plane.config import Settings
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.tenants import service as tenants
from paybill_control_plane.tenants.schemas import TenantCreate
from tests.billing import events
from tests.conftest import unique
from tests.factories import tier_body

T0 = datetime(2031, 3, 1, 12, 0, tzinfo=UTC)


async def _bound_tenant(database_url: str, status: str, at: datetime) -> tuple[str, str, str]:
    """A Stripe tenant whose subscription was `status` at `at`: (tenant id, subscription, price)."""
    price, subscription = unique("price"), events.new_id("sub")
    async with unit_of_work(database_url) as session:
        tier = await catalog.create_tier(
            session, CLI, TierCreate.model_validate(tier_body(default_isolation="silo"))
        )
        await catalog.create_plan(
            session,
            CLI,
            PlanCreate.model_validate(
                {"key": unique("plan"), "name": "P", "tier": tier.key,
                 "stripe_price_ids": [price], "interval": "month"}
            ),
        )  # fmt: skip
        tenant = await tenants.create_tenant(
            session,
            CLI,
            TenantCreate(slug=unique("t"), name="T", tier=tier.key, cloud="local", region="r-1"),
            billing_provider="stripe",
        )
        tenant.stripe_customer_id, tenant.stripe_subscription_id = "cus_time", subscription
        await session.flush()
    await _apply(database_url, tenant.id, subscription, price, status, at, now=at)
    return str(tenant.id), subscription, price


async def _apply(
    url: str,
    tenant_id: uuid.UUID | str,
    subscription: str,
    price: str,
    status: str,
    at: datetime,
    *,
    now: datetime,
    **fields: object,
) -> None:
    obj = events.subscription(
        id=subscription, customer="cus_time", status=status, price_id=price, **fields
    )
    snap = snapshot_from_stripe(obj, at)
    async with unit_of_work(url) as session:
        tenant = await session.get(Tenant, uuid.UUID(str(tenant_id)), with_for_update=True)
        await apply_subscription(
            session, tenant=tenant, subscription_id=subscription, snapshot=snap,
            ctx=BillingContext(Settings(), now), cause=Cause(f"evt_{status}"),
        )  # fmt: skip


async def _review(url: str, subscription: str, now: datetime) -> None:
    async with unit_of_work(url) as session:
        await service.review_subscription(session, subscription, BillingContext(Settings(), now))


async def _state(url: str, tenant_id: str, subscription: str) -> tuple[str, str, list[datetime]]:
    async with unit_of_work(url) as session:
        tenant = await session.get(Tenant, uuid.UUID(tenant_id))
        assert tenant is not None
        reviews = await session.scalars(
            text(
                "SELECT scheduled_at FROM procrastinate_jobs "
                "WHERE queueing_lock = :lock AND status = 'todo'"
            ),
            {"lock": f"billing:review:{subscription}"},
        )
        return tenant.status, tenant.desired_state, list(reviews)


async def test_past_due_grace_of_three_days_then_suspended(database_url: str) -> None:
    tenant_id, sub, price = await _bound_tenant(database_url, "active", T0)
    assert await _state(database_url, tenant_id, sub) == ("provisioning", "active", [])

    await _apply(database_url, tenant_id, sub, price, "past_due", T0, now=T0 + timedelta(hours=1))
    deadline = T0 + timedelta(days=3)
    assert await _state(database_url, tenant_id, sub) == ("provisioning", "active", [deadline])

    # A later re-send of past_due does not restart the grace period.
    later = T0 + timedelta(days=2)
    await _apply(database_url, tenant_id, sub, price, "past_due", later, now=later)
    assert (await _state(database_url, tenant_id, sub))[2] == [deadline]

    await _review(database_url, sub, deadline + timedelta(seconds=1))
    assert await _state(database_url, tenant_id, sub) == ("provisioning", "suspended", [])


async def test_canceled_is_suspended_during_retention_then_deprovisioned(
    database_url: str,
) -> None:
    tenant_id, sub, price = await _bound_tenant(database_url, "active", T0)
    ended = int((T0 + timedelta(days=1)).timestamp())
    await _apply(
        database_url, tenant_id, sub, price, "canceled", T0 + timedelta(days=1),
        now=T0 + timedelta(days=1, hours=1), canceled_at=ended, ended_at=ended,
    )  # fmt: skip
    end_of_retention = T0 + timedelta(days=31)
    assert await _state(database_url, tenant_id, sub) == (
        "provisioning",
        "suspended",
        [end_of_retention],
    )
    await _review(database_url, sub, end_of_retention - timedelta(days=1))  # too early: kept
    assert (await _state(database_url, tenant_id, sub))[1] == "suspended"
    await _review(database_url, sub, end_of_retention)
    assert await _state(database_url, tenant_id, sub) == ("deprovisioning", "deprovisioned", [])


async def test_active_again_cancels_the_pending_review(database_url: str) -> None:
    tenant_id, sub, price = await _bound_tenant(database_url, "active", T0)
    await _apply(database_url, tenant_id, sub, price, "past_due", T0, now=T0)
    assert len((await _state(database_url, tenant_id, sub))[2]) == 1
    paid = T0 + timedelta(days=1)
    await _apply(database_url, tenant_id, sub, price, "active", paid, now=paid)
    assert await _state(database_url, tenant_id, sub) == ("provisioning", "active", [])
