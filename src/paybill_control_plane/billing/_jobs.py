"""Names and locks of the billing jobs; shared by the webhook's fast path and the worker."""

from __future__ import annotations

from paybill_control_plane.worker.jobs import Queue

QUEUE = Queue.billing
PROCESS_EVENT_TASK = "paybill.billing.process_event"
REVIEW_SUBSCRIPTION_TASK = "paybill.billing.review_subscription"
# Billing jobs are short; a worker listening on several queues takes them before Terraform runs
# that wait (procrastinate fetches by priority across the queues it listens on).
PRIORITY = 1


def subject_lock(subscription_ref: str | None, customer_ref: str | None) -> str | None:
    """Events of one subscription (else one customer) are processed one at a time, in order."""
    if subscription_ref:
        return f"billing:sub:{subscription_ref}"
    if customer_ref:
        return f"billing:cus:{customer_ref}"
    return None


def event_queueing_lock(stripe_event_id: str) -> str:
    """At most one job per event waits in the queue (a replay of a queued event is refused)."""
    return f"billing:event:{stripe_event_id}"


def retry_lock(stripe_event_id: str) -> str:
    """A retried event waits under its own lock, so it does not hold back its subscription's
    later events (which may be the very checkout that binds it); `should_apply` orders them."""
    return f"billing:retry:{stripe_event_id}"


def review_queueing_lock(subscription_id: str) -> str:
    return f"billing:review:{subscription_id}"
