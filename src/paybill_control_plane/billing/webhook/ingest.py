"""The Stripe webhook's hot path: verify the raw bytes, store the event once, queue its processing.

Each event is inserted with `ON CONFLICT (stripe_event_id) DO NOTHING` and its processing job is
deferred in the *same* statement (so the same transaction) only when the insert created the row:
a duplicate delivery — 50 at once included — stores nothing and queues nothing, and a failed
statement leaves neither a row nor a job. The 200 goes out only after the commit.

Group commit: deliveries that arrive while a write is in flight share the next one (one statement,
one transaction, one WAL flush for all of them). That matters because procrastinate's defer
NOTIFYs, and Postgres serialises committing transactions that NOTIFY: one event per transaction
stalls below 1,000 events/s whatever the concurrency, while batches keep each delivery's
guarantees (its own row, its own job, 200 after commit) at several thousand per second. An idle
endpoint does not wait for a batch to fill: a lone delivery is written at once.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
from sqlalchemy.ext.asyncio import AsyncEngine

from paybill_control_plane.billing._jobs import (
    PRIORITY,
    PROCESS_EVENT_TASK,
    QUEUE,
    event_queueing_lock,
    subject_lock,
)
from paybill_control_plane.billing.event_refs import event_customer_ref, event_subscription_ref
from paybill_control_plane.billing.signature import WebhookVerificationError, verify_stripe_event
from paybill_control_plane.config import Settings
from paybill_control_plane.errors import problem
from paybill_control_plane.kit.problems import PROBLEM_MEDIA_TYPE
from paybill_control_plane.telemetry.metrics import WEBHOOK_VERIFICATION_FAILURES

# Run on the driver connection: the arrays go as binary parameters (`%(x)b`), because in text
# format psycopg escapes every quote of every JSON body with a regex, which costs more than all
# the rest of the request.
_INSERT_AND_DEFER = """
WITH input AS (
    SELECT * FROM unnest(
        CAST(%(ids)b AS uuid[]), CAST(%(event_ids)b AS text[]), CAST(%(types)b AS text[]),
        CAST(%(livemodes)b AS boolean[]), CAST(%(created)b AS timestamptz[]),
        CAST(%(payloads)b AS text[]), CAST(%(subscription_refs)b AS text[]),
        CAST(%(customer_refs)b AS text[]), CAST(%(locks)b AS text[]),
        CAST(%(queueing_locks)b AS text[]), CAST(%(args)b AS text[])
    ) WITH ORDINALITY AS t(id, event_id, type, livemode, created, payload, subscription_ref,
                           customer_ref, lock, queueing_lock, args, ord)
),
inserted AS (
    INSERT INTO billing_events (id, stripe_event_id, type, livemode, event_created_at, payload,
                                status, attempts, subscription_ref, customer_ref, received_at)
    SELECT id, event_id, type, livemode, created, CAST(payload AS jsonb), 'received', 0,
           subscription_ref, customer_ref, now()
    FROM input ORDER BY ord
    ON CONFLICT (stripe_event_id) DO NOTHING
    RETURNING stripe_event_id
),
jobs AS (
    SELECT procrastinate_defer_jobs_v1(ARRAY(
        SELECT ROW(%(queue)s, %(task)s, %(priority)s, i.lock, i.queueing_lock,
                   CAST(i.args AS jsonb), NULL::timestamptz)::procrastinate_job_to_defer_v1
        FROM input i JOIN inserted n ON n.stripe_event_id = i.event_id
        ORDER BY i.ord
    )) AS ids
)
SELECT (SELECT array_agg(stripe_event_id) FROM inserted) AS inserted FROM jobs
"""

_MAX_BATCH = 256
_MAX_IN_FLIGHT = 4


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    media_type: str


@dataclass(frozen=True)
class Accepted:
    event_id: str
    type: str
    duplicate: bool


@dataclass(frozen=True)
class _Row:
    event_id: str
    type: str
    livemode: bool
    created: datetime
    payload: str
    subscription_ref: str | None
    customer_ref: str | None
    lock: str | None


def ack_body(accepted: Accepted) -> bytes:
    return json.dumps(
        {
            "received": True,
            "event_id": accepted.event_id,
            "type": accepted.type,
            "duplicate": accepted.duplicate,
        }
    ).encode()


def _created(event: dict[str, Any]) -> datetime:
    value = event.get("created")
    if isinstance(value, int) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, tz=UTC)
    return datetime.now(UTC)


class EventInbox:
    """Writes verified events in group-committed batches; `put` answers once its batch committed."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._pending: list[tuple[_Row, asyncio.Future[bool]]] = []
        self._in_flight = 0
        self._tasks: set[asyncio.Task[None]] = set()

    async def put(self, row: _Row) -> bool:
        """Store the event and queue its processing; False when it was stored before."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._pending.append((row, future))
        self._kick()
        return await future

    def _kick(self) -> None:
        if self._pending and self._in_flight < _MAX_IN_FLIGHT:
            self._in_flight += 1
            task = asyncio.create_task(self._write_batch())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _write_batch(self) -> None:
        # Runs on the next loop turn: whatever arrived meanwhile joins this batch.
        batch, self._pending = self._pending[:_MAX_BATCH], self._pending[_MAX_BATCH:]
        try:
            try:
                inserted = await self._write([row for row, _ in batch])
            except Exception:
                if len(batch) == 1:
                    raise
                # One bad event (e.g. a JSON escape Postgres refuses) must not fail the others.
                for item in batch:
                    await self._write_alone(*item)
                return
            for row, future in batch:
                if not future.done():
                    # A second copy within one batch is a duplicate of the first.
                    future.set_result(inserted.pop(row.event_id, False))
        except Exception as exc:  # the delivery answers 500; Stripe retries it
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
        except BaseException:  # cancelled (shutdown): so are the deliveries waiting on it
            for _, future in batch:
                future.cancel()
            raise
        finally:
            self._in_flight -= 1
            self._kick()

    async def _write_alone(self, row: _Row, future: asyncio.Future[bool]) -> None:
        try:
            inserted = await self._write([row])
        except Exception as exc:
            if not future.done():
                future.set_exception(exc)
        else:
            if not future.done():
                future.set_result(row.event_id in inserted)

    async def _write(self, rows: list[_Row]) -> dict[str, bool]:
        first: dict[str, _Row] = {}
        for row in rows:
            first.setdefault(row.event_id, row)
        unique = list(first.values())
        params = {
            "ids": [uuid.uuid4() for _ in unique],
            "event_ids": [r.event_id for r in unique],
            "types": [r.type for r in unique],
            "livemodes": [r.livemode for r in unique],
            "created": [r.created for r in unique],
            # The verified text itself: Postgres parses it into JSONB, no second json.dumps.
            "payloads": [r.payload for r in unique],
            "subscription_refs": [r.subscription_ref for r in unique],
            "customer_refs": [r.customer_ref for r in unique],
            "locks": [r.lock for r in unique],
            "queueing_locks": [event_queueing_lock(r.event_id) for r in unique],
            "args": [json.dumps({"event_id": r.event_id}) for r in unique],
            "queue": QUEUE.value,
            "task": PROCESS_EVENT_TASK,
            "priority": PRIORITY,
        }
        async with self.engine.connect() as conn:
            # One statement in autocommit: atomic on its own, one round trip.
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            driver = (await conn.get_raw_connection()).driver_connection
            assert isinstance(driver, psycopg.AsyncConnection)
            cursor = await driver.execute(_INSERT_AND_DEFER, params)
            found = await cursor.fetchone()
        return dict.fromkeys((found[0] if found else None) or (), True)


def inbox_for(state: Any, engine: AsyncEngine) -> EventInbox:
    """The app's inbox (one per app and event loop), made on first use."""
    inbox: EventInbox | None = getattr(state, "billing_inbox", None)
    if inbox is None or inbox.engine is not engine:
        inbox = state.billing_inbox = EventInbox(engine)
    return inbox


async def accept(
    inbox: EventInbox, raw_body: bytes, signature: str | None, settings: Settings
) -> Accepted:
    """Verify and store one delivery; raises `WebhookVerificationError` (nothing stored)."""
    event = verify_stripe_event(
        raw_body,
        signature,
        [secret.get_secret_value() for secret in settings.stripe_webhook_secrets],
        tolerance_seconds=settings.stripe_webhook_tolerance_seconds,
        now=time.time(),
    )
    subscription_ref, customer_ref = event_subscription_ref(event), event_customer_ref(event)
    row = _Row(
        event_id=event["id"],
        type=event["type"],
        livemode=bool(event.get("livemode")),
        created=_created(event),
        payload=raw_body.decode("utf-8"),
        subscription_ref=subscription_ref,
        customer_ref=customer_ref,
        lock=subject_lock(subscription_ref, customer_ref),
    )
    inserted = await inbox.put(row)
    return Accepted(event_id=row.event_id, type=row.type, duplicate=not inserted)


async def respond(state: Any, raw_body: bytes, signature: str | None, path: str) -> Reply:
    """The whole webhook exchange, framework-free: (status, body, content type)."""
    settings: Settings = state.settings
    engine: AsyncEngine = state.sessionmaker.kw["bind"]
    try:
        accepted = await accept(inbox_for(state, engine), raw_body, signature, settings)
    except WebhookVerificationError as exc:
        # Counted here, the one place both the fast path and the FastAPI route go through.
        WEBHOOK_VERIFICATION_FAILURES.labels(exc.type_slug).inc()
        title = "Webhook secret not configured" if exc.http_status == 503 else "Webhook rejected"
        body = problem(exc.http_status, exc.type_slug, title, exc.reason, path)
        return Reply(exc.http_status, json.dumps(body).encode(), PROBLEM_MEDIA_TYPE)
    return Reply(200, ack_body(accepted), "application/json")
