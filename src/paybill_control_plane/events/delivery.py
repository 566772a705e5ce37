"""One delivery attempt: sign the event, POST it through the egress guard, record the answer.

At least once: the delivery row and its job were written with the event; the job reads the
row, posts outside any transaction, then records the attempt and (on failure) defers the next
one in one transaction. A worker killed mid-POST leaves the job to procrastinate's stalled-job
recovery, which runs it again: the receiver may see the event twice (same `webhook-id`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit, urlunsplit

import httpx
from sqlalchemy import select, text, true
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from paybill_control_plane.audit import service as audit
from paybill_control_plane.config import Settings
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.db.conflicts import retry_on_conflict
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.events import repository as repo
from paybill_control_plane.events import service
from paybill_control_plane.events._jobs import defer_delivery
from paybill_control_plane.events.schemas import OutboundEventOut
from paybill_control_plane.events.signing import signature_headers
from paybill_control_plane.kit.net_guard import EgressRefused, check_url
from paybill_control_plane.models.enums import WebhookDeliveryStatus
from paybill_control_plane.models.webhook import OutboundEvent, WebhookAttempt, WebhookEndpoint

log = logging.getLogger(__name__)

EVENT_SOURCE = "/paybill/control-plane"
MAX_RETRY_AFTER_SECONDS = 86_400.0
ACTOR = "webhooks"


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    latency_ms: float
    error: str | None = None
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def envelope(event: OutboundEvent) -> str:
    """The exact body receivers verify (CloudEvents 1.0 JSON)."""
    out = OutboundEventOut.of(event, EVENT_SOURCE)
    return json.dumps(out.model_dump(mode="json"), separators=(",", ":"))


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, (parsedate_to_datetime(value) - now).total_seconds())
    except (TypeError, ValueError):
        return None


def next_delay(attempt: int, answer: Answer, schedule: list[float]) -> float | None:
    """Seconds until the next attempt after failed attempt number `attempt` (None: give up)."""
    if attempt > len(schedule):
        return None
    delay = schedule[attempt - 1] * random.uniform(0.9, 1.1)  # noqa: S311 (jitter)
    if answer.retry_after is not None:  # 429/503 with Retry-After: never sooner than asked
        delay = max(delay, min(answer.retry_after, MAX_RETRY_AFTER_SECONDS))
    return delay


async def post(
    client: httpx.AsyncClient, url: str, body: str, headers: dict[str, str], settings: Settings
) -> Answer:
    """POST to the address the guard checked (pinned: DNS cannot change it after the check)."""
    started = time.perf_counter()

    def elapsed() -> float:
        return round((time.perf_counter() - started) * 1000, 3)

    try:
        checked = await asyncio.to_thread(check_url, url, service.egress_policy(settings))
    except EgressRefused as exc:
        log.info("webhook delivery to a refused address: %s", exc)
        return Answer(None, elapsed(), "the URL is not at an allowed address")
    parts = urlsplit(url)
    address = checked.addresses[0]
    host = f"[{address}]" if ":" in address else address
    pinned = urlunsplit(
        (parts.scheme, f"{host}:{checked.port}", parts.path or "/", parts.query, "")
    )
    extensions = {"sni_hostname": checked.host} if parts.scheme == "https" else {}
    try:
        response = await client.post(
            pinned,
            content=body.encode(),
            headers={
                **headers,
                "host": parts.netloc,
                "content-type": "application/json",
                "user-agent": "paybill-webhooks/1",
            },
            extensions=extensions,
            timeout=settings.webhook_timeout_seconds,
        )
    except httpx.HTTPError as exc:
        return Answer(None, elapsed(), f"{type(exc).__name__}: {exc}"[:500])
    retry_after = None
    if response.status_code in (429, 503):
        retry_after = parse_retry_after(response.headers.get("retry-after"), utcnow())
    return Answer(response.status_code, elapsed(), None, retry_after)


async def attempt_delivery(
    sessionmaker: async_sessionmaker[AsyncSession],
    client: httpx.AsyncClient,
    delivery_id: uuid.UUID,
    settings: Settings,
) -> None:
    """One attempt of one delivery (a job)."""
    claimed = await _claim(sessionmaker, delivery_id, settings)
    if claimed is None:
        return
    url, body, headers, attempt = claimed
    answer = await post(client, url, body, headers, settings)
    await _record(sessionmaker, delivery_id, attempt, answer, settings)


# One statement claims the attempt (counted even if this worker dies mid-POST).
_CLAIM = text(
    "UPDATE webhook_deliveries SET attempts = attempts + 1 "
    "WHERE id = :id AND status = 'pending' RETURNING endpoint_id, event_id, attempts"
)
_GIVE_UP = text(
    "UPDATE webhook_deliveries SET status = 'failed', finished_at = :now WHERE id = :id"
)


@retry_on_conflict()
async def _claim(
    sessionmaker: async_sessionmaker[AsyncSession], delivery_id: uuid.UUID, settings: Settings
) -> tuple[str, str, dict[str, str], int] | None:
    async with transaction(sessionmaker) as session:
        claimed = (await session.execute(_CLAIM, {"id": delivery_id})).first()
        if claimed is None:  # delivered, failed or gone
            return None
        endpoint_id, event_id, attempt = claimed
        found = (
            await session.execute(
                # Two single-row look-ups in one round trip (a cross join of one row each).
                select(WebhookEndpoint, OutboundEvent)
                .join_from(WebhookEndpoint, OutboundEvent, true())
                .where(WebhookEndpoint.id == endpoint_id, OutboundEvent.id == event_id)
            )
        ).first()
        if found is None or not found[0].enabled:
            await session.execute(_GIVE_UP, {"id": delivery_id, "now": utcnow()})
            return None
        endpoint, event = found
        body = envelope(event)
        headers = signature_headers(
            service.signing_secrets(endpoint, settings), str(event.id), utcnow(), body
        )
        return endpoint.url, body, headers, int(attempt)


@retry_on_conflict()
async def _record(
    sessionmaker: async_sessionmaker[AsyncSession],
    delivery_id: uuid.UUID,
    attempt: int,
    answer: Answer,
    settings: Settings,
) -> None:
    async with transaction(sessionmaker) as session:
        await record_attempt(session, delivery_id, attempt, answer, settings)


# The endpoint row is changed with single UPDATEs (FOR NO KEY UPDATE row locks), never read
# FOR UPDATE: the commit hook's fan-out INSERT takes KEY SHARE locks on endpoints while holding
# the audit chain lock, and FOR UPDATE would conflict with it (a deadlock with a disabling that
# waits for the chain lock).
_SUCCEEDED = text(
    "UPDATE webhook_endpoints SET failing_since = NULL WHERE id = :id AND failing_since IS NOT NULL"
)
_FAILED = text(
    "UPDATE webhook_endpoints SET failing_since = coalesce(failing_since, :now) "
    "WHERE id = :id RETURNING failing_since"
)


async def record_attempt(
    session: AsyncSession, delivery_id: uuid.UUID, attempt: int, answer: Answer, settings: Settings
) -> None:
    """Write the attempt; settle the delivery, or defer its next attempt; disable dead endpoints."""
    delivery = await repo.delivery_for_update(session, delivery_id)
    if delivery is None:
        return
    now = utcnow()
    session.add(
        WebhookAttempt(
            id=uuid.uuid4(), delivery_id=delivery.id, endpoint_id=delivery.endpoint_id,
            event_id=delivery.event_id, attempt=attempt, attempted_at=now,
            status_code=answer.status_code, latency_ms=answer.latency_ms, error=answer.error,
        )
    )  # fmt: skip
    if delivery.status != WebhookDeliveryStatus.pending:
        return
    if answer.ok:
        delivery.status = WebhookDeliveryStatus.succeeded.value
        delivery.finished_at = now
        await session.execute(_SUCCEEDED, {"id": delivery.endpoint_id})
        return
    failing_since = await session.scalar(_FAILED, {"id": delivery.endpoint_id, "now": now})
    if answer.status_code == 410:
        delivery.status = WebhookDeliveryStatus.failed.value
        delivery.finished_at = now
        await disable(session, delivery.endpoint_id, "the receiver answered 410 Gone")
        return
    delay = next_delay(attempt, answer, settings.webhook_retry_schedule_seconds)
    if delay is None:
        delivery.status = WebhookDeliveryStatus.failed.value
        delivery.finished_at = now
    else:
        delivery.next_attempt_at = now + timedelta(seconds=delay)
        await defer_delivery(session, delivery.id, scheduled_at=delivery.next_attempt_at)
    limit = timedelta(hours=settings.webhook_disable_after_hours)
    if failing_since is not None and now - failing_since >= limit:
        await disable(
            session, delivery.endpoint_id, f"deliveries failed for {limit} without a success"
        )


_DISABLE = text(
    "UPDATE webhook_endpoints SET enabled = false, disabled_reason = :reason, "
    "version = version + 1, updated_at = :now WHERE id = :id AND enabled RETURNING url"
)


async def disable(session: AsyncSession, endpoint_id: uuid.UUID, reason: str) -> None:
    """Disable an endpoint, audited (a `webhook_endpoint.disabled` event says so)."""
    url = await session.scalar(_DISABLE, {"id": endpoint_id, "reason": reason, "now": utcnow()})
    if url is None:  # gone, or disabled already
        return
    await audit.record(
        session, actor=ACTOR, action="webhook_endpoint.disabled", target_type="webhook_endpoint",
        target_id=endpoint_id, after={"url": url, "reason": reason},
    )  # fmt: skip
