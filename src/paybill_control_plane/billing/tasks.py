"""Billing jobs: process a stored Stripe event; review a subscription when a period ends.

Retries are procrastinate's, with exponential backoff and jitter (`billing_retry_base_seconds`,
doubling, `billing_event_max_attempts` attempts). On its last attempt an event that still cannot be
applied is marked `failed` with the reason, for an operator to fix and replay.
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta

import procrastinate
from procrastinate.jobs import Job
from procrastinate.retry import BaseRetryStrategy, RetryDecision
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from paybill_control_plane.billing import service
from paybill_control_plane.billing._context import BillingContext, make_reader
from paybill_control_plane.billing._converge import retry_held_changes
from paybill_control_plane.billing._jobs import (
    PROCESS_EVENT_TASK,
    QUEUE,
    REVIEW_SUBSCRIPTION_TASK,
    retry_lock,
)
from paybill_control_plane.billing.repository import BillingEventNotFound
from paybill_control_plane.billing.stripe_reader import StripeSubscriptionReader
from paybill_control_plane.config import Settings
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.telemetry import tracing
from paybill_control_plane.worker.jobs import WorkerDeps

log = logging.getLogger(__name__)


class RetryLater(Exception):
    """Raised after the attempt was recorded, so that procrastinate schedules the next one."""


class BillingRetryStrategy(BaseRetryStrategy):
    def __init__(self, max_attempts: int, base_seconds: float) -> None:
        self.max_attempts = max_attempts
        self.base_seconds = base_seconds

    def delay(self, attempts: int) -> float:
        """Seconds before the next attempt, after `attempts` failed ones (1, 2, …)."""
        wait: float = self.base_seconds * 2 ** (attempts - 1)
        return wait + random.uniform(0, wait / 4)  # noqa: S311 (jitter, not crypto)

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        if job.attempts + 1 >= self.max_attempts:
            return None
        event_id = job.task_kwargs.get("event_id")
        return RetryDecision(
            retry_at=utcnow() + timedelta(seconds=self.delay(job.attempts + 1)),
            lock=retry_lock(str(event_id)) if event_id else None,
        )


async def run_event_job(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    reader: StripeSubscriptionReader | None,
    stripe_event_id: str,
    *,
    final_attempt: bool,
) -> service.Outcome | None:
    """One attempt at one event, in one transaction; raises to ask for a retry."""
    ctx = BillingContext(settings, utcnow(), reader)
    try:
        async with transaction(sessionmaker) as session:
            outcome = await service.process_event(
                session, stripe_event_id, ctx, final_attempt=final_attempt
            )
    except BillingEventNotFound:
        log.warning("billing event %s is not stored; nothing to process", stripe_event_id)
        return None
    except Exception as exc:  # e.g. Stripe unreachable: recorded, then retried by procrastinate
        async with transaction(sessionmaker) as session:
            await service.record_attempt_error(
                session,
                stripe_event_id,
                f"{type(exc).__name__}: {exc}",
                final_attempt=final_attempt,
            )
        log.warning("billing event %s: attempt failed: %s", stripe_event_id, exc, exc_info=True)
        if final_attempt:
            return None
        raise
    if outcome.status == service.RETRY:
        raise RetryLater(outcome.error)
    return outcome


__all__ = ["register", "retry_held_changes"]


def register(app: procrastinate.App, deps: WorkerDeps) -> None:
    """Add the billing tasks to the worker's procrastinate app."""
    settings, sessionmaker = deps.settings, deps.sessionmaker
    reader = make_reader(settings)
    retry = BillingRetryStrategy(
        settings.billing_event_max_attempts, settings.billing_retry_base_seconds
    )

    @app.task(name=PROCESS_EVENT_TASK, queue=QUEUE, pass_context=True, retry=retry)
    async def process_billing_event(context: procrastinate.JobContext, event_id: str) -> None:
        assert context.job is not None
        final = context.job.attempts + 1 >= settings.billing_event_max_attempts
        attributes: dict[str, tracing.Attribute] = {
            "paybill.stripe_event_id": event_id,
            "paybill.attempt": context.job.attempts,
        }
        with tracing.span(f"job {PROCESS_EVENT_TASK}", attributes):
            await run_event_job(sessionmaker, settings, reader, event_id, final_attempt=final)

    @app.task(name=REVIEW_SUBSCRIPTION_TASK, queue=QUEUE, retry=retry)
    async def review_subscription(subscription_id: str) -> None:
        ctx = BillingContext(settings, utcnow(), reader)
        with tracing.span(
            f"job {REVIEW_SUBSCRIPTION_TASK}", {"paybill.subscription_id": subscription_id}
        ):
            async with transaction(sessionmaker) as session:
                await service.review_subscription(session, subscription_id, ctx)
