"""Billing rules: turning a stored Stripe event into the tenant's desired state; replay; reconcile.

Every event is a signal to converge on the subscription's *current* state (re-read from Stripe
when an API key is configured, else the snapshot the event carries, ordered by `should_apply`),
never a delta to replay. The event row records the outcome in the same transaction as the effects.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.audit import service as audit
from paybill_control_plane.auth.principal import STRIPE, Principal
from paybill_control_plane.billing import checkout, entitlements
from paybill_control_plane.billing import repository as repo
from paybill_control_plane.billing._binding import tenant_for_checkout, tenant_for_subscription
from paybill_control_plane.billing._context import (
    BillingContext,
    BindingPending,
    Cause,
    EventFailed,
)
from paybill_control_plane.billing._jobs import (
    PRIORITY,
    PROCESS_EVENT_TASK,
    QUEUE,
    event_queueing_lock,
    subject_lock,
)
from paybill_control_plane.billing._subscriptions import Applied, apply_subscription
from paybill_control_plane.billing.desired_state import (
    SnapshotError,
    SubscriptionSnapshot,
    snapshot_from_event,
)
from paybill_control_plane.billing.event_refs import (
    CHECKOUT_EVENT_TYPES,
    CUSTOMER_NOTICE_EVENT_TYPES,
    ENTITLEMENT_EVENT_TYPES,
    HANDLED_EVENT_TYPES,
    INVOICE_EVENT_TYPES,
    NOTIFY_ONLY_EVENT_TYPES,
    CheckoutBindingError,
    checkout_binding,
)
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.errors import Conflict, ControlPlaneError
from paybill_control_plane.models.billing_event import BillingEvent
from paybill_control_plane.models.enums import BillingEventStatus
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.worker.jobs import defer_job


class EventAlreadyQueued(Conflict):
    type_slug = "billing-event-already-queued"
    title = "The event is already queued for processing"


# Not an event status: the attempt is recorded and the event stays `received` for the next one.
Retry = Literal["retry"]
RETRY: Retry = "retry"


@dataclass
class Outcome:
    """How one processing attempt ended."""

    status: BillingEventStatus | Retry
    note: str | None = None
    error: str | None = None


@dataclass
class _Seen:
    """What an attempt learnt before it failed (its effects roll back, this does not)."""

    tenant_id: uuid.UUID | None = None


async def process_event(
    session: AsyncSession, stripe_event_id: str, ctx: BillingContext, *, final_attempt: bool
) -> Outcome:
    """One attempt at a stored event; its row records the outcome in the same transaction.

    Returns status `retry` when the event should be tried again (e.g. its customer is not bound
    to a tenant yet); on the final attempt that becomes `failed`.
    """
    event = await repo.get_event(session, stripe_event_id, for_update=True)
    if event.status != BillingEventStatus.received:
        return Outcome(BillingEventStatus(event.status), "already finished")
    event.attempts += 1
    attempts = event.attempts
    cause = Cause(event.stripe_event_id)
    seen = _Seen()
    try:
        async with session.begin_nested():
            outcome = await _dispatch(session, event, ctx, cause, seen)
    except BindingPending as exc:
        outcome = Outcome(RETRY, error=str(exc))
    except EventFailed as exc:
        outcome = Outcome(BillingEventStatus.failed, error=str(exc))
    except (SnapshotError, CheckoutBindingError) as exc:
        outcome = Outcome(BillingEventStatus.failed, error=f"the event is not usable: {exc}")
    except ControlPlaneError as exc:  # the tenants service refused (tier, transition, slug)
        outcome = Outcome(BillingEventStatus.failed, error=exc.detail)
    # A tenant created by a rolled-back attempt is gone again (and must not be referenced).
    if seen.tenant_id is not None and await session.get(Tenant, seen.tenant_id) is not None:
        event.tenant_id = seen.tenant_id
    if outcome.status == RETRY and final_attempt:
        outcome = Outcome(
            BillingEventStatus.failed, error=f"{outcome.error} (gave up after {attempts} attempts)"
        )
    event.error = outcome.error
    event.outcome = outcome.note
    if outcome.status != RETRY:
        event.status = outcome.status
        event.processed_at = utcnow()
        if outcome.status == BillingEventStatus.failed:
            await _audit_failed(session, event)
    return outcome


async def _audit_failed(session: AsyncSession, event: BillingEvent) -> None:
    """A Stripe event given up on is audited (`billing.event_failed`, an outbound event)."""
    await audit.record(
        session, actor=STRIPE, action="billing.event_failed", target_type="billing_event",
        target_id=event.stripe_event_id, tenant_id=event.tenant_id,
        after={"type": event.type, "attempts": event.attempts, "error": event.error},
    )  # fmt: skip


async def record_attempt_error(
    session: AsyncSession, stripe_event_id: str, error: str, *, final_attempt: bool
) -> None:
    """An attempt that crashed (its effects rolled back) still counts and leaves its error."""
    event = await repo.get_event(session, stripe_event_id, for_update=True)
    if event.status != BillingEventStatus.received:
        return
    event.attempts += 1
    event.error = error
    if final_attempt:
        event.status = BillingEventStatus.failed
        event.error = f"{error} (gave up after {event.attempts} attempts)"
        event.processed_at = utcnow()
        await _audit_failed(session, event)


async def _dispatch(
    session: AsyncSession, event: BillingEvent, ctx: BillingContext, cause: Cause, seen: _Seen
) -> Outcome:
    etype = event.type
    if etype not in HANDLED_EVENT_TYPES:
        return Outcome(BillingEventStatus.ignored, f"the control plane does not act on {etype}")
    if etype in ENTITLEMENT_EVENT_TYPES:
        note, row = await entitlements.apply_summary(session, event, ctx, cause)
        tenants = await repo.tenants_by_customer(session, row.customer_id) if row else []
        if len(tenants) == 1:
            seen.tenant_id = tenants[0].id
        return Outcome(BillingEventStatus.processed, note)
    if etype in CHECKOUT_EVENT_TYPES:
        return await _checkout(session, event, ctx, cause, seen)
    sub_id = event.subscription_ref
    if sub_id is None:
        return Outcome(BillingEventStatus.ignored, "the event concerns no subscription")

    # Locked before the re-read: reads applied in the order they were made.
    await repo.lock_subject(session, sub_id)
    snap: SubscriptionSnapshot | None = None
    if etype not in NOTIFY_ONLY_EVENT_TYPES:
        snap = await ctx.reread(sub_id)
        if snap is None and etype not in INVOICE_EVENT_TYPES:
            snap = snapshot_from_event(event.payload)
    tenant = await tenant_for_subscription(session, sub_id, event.customer_ref, cause)
    if tenant is None:
        if snap is not None:  # kept for the checkout that will bind it (it may need the plan)
            await apply_subscription(
                session, tenant=None, subscription_id=sub_id, snapshot=snap, ctx=ctx, cause=cause
            )
        customer = f" or customer {event.customer_ref}" if event.customer_ref else ""
        return Outcome(
            RETRY,
            error=f"no tenant is bound to Stripe subscription {sub_id}{customer}: no processed "
            "checkout.session.completed names one",
        )
    seen.tenant_id = tenant.id
    notes = []
    if etype in CUSTOMER_NOTICE_EVENT_TYPES:
        await _notice(session, tenant, event, cause)
        notes.append("customer notice recorded")
    if etype in NOTIFY_ONLY_EVENT_TYPES:
        return Outcome(BillingEventStatus.processed, "; ".join(notes))
    applied = await apply_subscription(
        session, tenant=tenant, subscription_id=sub_id, snapshot=snap, ctx=ctx, cause=cause
    )
    notes.append(applied.describe())
    return Outcome(BillingEventStatus.processed, "; ".join(notes))


async def _checkout(
    session: AsyncSession, event: BillingEvent, ctx: BillingContext, cause: Cause, seen: _Seen
) -> Outcome:
    obj = event.payload.get("data", {}).get("object", {})
    binding = checkout_binding(obj)
    if event.type == "checkout.session.async_payment_failed":
        found = None
        if binding.subscription:
            found = await tenant_for_subscription(
                session, binding.subscription, binding.customer, cause
            )
        if found is not None:
            seen.tenant_id = found.id
            await _notice(session, found, event, cause)
        return Outcome(BillingEventStatus.processed, "customer notice recorded")
    if binding.mode != "subscription" or binding.subscription is None:
        return Outcome(
            BillingEventStatus.ignored,
            f"checkout session {binding.session_id} is not a subscription",
        )
    subscription = binding.subscription
    intent = await checkout.intent_for(session, binding.session_id)
    if intent is not None:
        binding = checkout.binding_from_intent(binding, intent)
    elif not ctx.settings.stripe_trust_client_reference:
        # Not ours: a Payment Link, or a session made elsewhere naming any tenant it likes.
        return Outcome(
            BillingEventStatus.failed,
            error=f"checkout session {binding.session_id} was not created by the control plane "
            "(no POST /v1/…/checkout-sessions recorded it): nothing is bound. Its "
            "client_reference_id/metadata are not trusted unless "
            "PAYBILL_STRIPE_TRUST_CLIENT_REFERENCE is set.",
        )
    await repo.lock_subject(session, subscription)
    snap = await ctx.reread(subscription)
    tenant = await tenant_for_checkout(session, binding, snap, cause)
    seen.tenant_id = tenant.id
    if intent is not None:
        checkout.complete(intent, tenant, event.stripe_event_id)
    applied = await apply_subscription(
        session,
        tenant=tenant,
        subscription_id=subscription,
        snapshot=snap,
        ctx=ctx,
        cause=cause,
    )
    return Outcome(
        BillingEventStatus.processed, f"checkout bound tenant {tenant.slug}; {applied.describe()}"
    )


async def _notice(session: AsyncSession, tenant: Tenant, event: BillingEvent, cause: Cause) -> None:
    """Something the customer should hear about (sending it is the notification system's job)."""
    obj: Mapping[str, Any] = event.payload.get("data", {}).get("object", {})
    await audit.record(
        session, actor=STRIPE, action="billing.notice", target_type="tenant",
        target_id=tenant.id, tenant_id=tenant.id,
        after=cause.audit(event_type=event.type, object_id=obj.get("id"),
                          trial_end=obj.get("trial_end"), amount_due=obj.get("amount_due")),
    )  # fmt: skip


# -- scheduled reviews and the reconciler -------------------------------------------------------


async def review_subscription(
    session: AsyncSession, subscription_id: str, ctx: BillingContext
) -> Applied | None:
    """Decide a subscription again now (a grace period or a retention period has ended)."""
    await repo.lock_subject(session, subscription_id)
    row = await repo.get_subscription(session, subscription_id)
    if row is None or row.tenant_id is None:
        return None
    tenant = await repo.tenant_for_update(session, row.tenant_id)
    cause = Cause(row.last_event_id, "review")
    snap = await ctx.reread(subscription_id)
    return await apply_subscription(
        session, tenant=tenant, subscription_id=subscription_id, snapshot=snap, ctx=ctx, cause=cause
    )


@dataclass
class Reconciled:
    subscription_id: str
    status: str
    tenant: Tenant | None
    applied: Applied | None


async def reconcile_subscription(
    session: AsyncSession, snap: SubscriptionSnapshot, ctx: BillingContext
) -> Reconciled:
    """Apply a subscription listed from Stripe (authoritative) to its tenant, if it has one."""
    cause = Cause(None, "reconcile")
    await repo.lock_subject(session, snap.id)
    tenant = await tenant_for_subscription(session, snap.id, snap.customer, cause)
    applied = await apply_subscription(
        session, tenant=tenant, subscription_id=snap.id, snapshot=snap, ctx=ctx, cause=cause
    )
    return Reconciled(snap.id, snap.status, tenant, applied if tenant is not None else None)


# -- operators ----------------------------------------------------------------------------------


async def replay_event(
    session: AsyncSession, actor: Principal, stripe_event_id: str
) -> BillingEvent:
    """Process a stored event again (after fixing what made it fail, or to re-converge)."""
    event = await repo.get_event(session, stripe_event_id, for_update=True)
    before = {"status": event.status, "attempts": event.attempts, "error": event.error}
    try:
        async with session.begin_nested():
            await defer_job(
                session,
                QUEUE,
                PROCESS_EVENT_TASK,
                {"event_id": event.stripe_event_id},
                lock=subject_lock(event.subscription_ref, event.customer_ref),
                queueing_lock=event_queueing_lock(event.stripe_event_id),
                priority=PRIORITY,
            )
    except IntegrityError as exc:
        raise EventAlreadyQueued(
            f"Event '{stripe_event_id}' is already waiting to be processed.",
            extra={"event_status": event.status},
        ) from exc
    event.status = BillingEventStatus.received
    event.error = None
    event.outcome = None
    event.processed_at = None
    await session.flush()
    await audit.record(
        session, actor=actor, action="billing.event_replayed", target_type="billing_event",
        target_id=event.stripe_event_id, tenant_id=event.tenant_id, before=before,
        after={"status": BillingEventStatus.received.value},
    )  # fmt: skip
    return event
