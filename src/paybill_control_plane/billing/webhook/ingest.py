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
import gc
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

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
        CAST(%(event_ids)b AS text[]), CAST(%(types)b AS text[]),
        CAST(%(livemodes)b AS boolean[]), CAST(%(created)b AS timestamptz[]),
        CAST(%(payloads)b AS text[]), CAST(%(subscription_refs)b AS text[]),
        CAST(%(customer_refs)b AS text[]), CAST(%(locks)b AS text[]),
        CAST(%(queueing_locks)b AS text[])
    ) WITH ORDINALITY AS t(event_id, type, livemode, created, payload, subscription_ref,
                           customer_ref, lock, queueing_lock, ord)
),
inserted AS (
    INSERT INTO billing_events (id, stripe_event_id, type, livemode, event_created_at, payload,
                                status, attempts, subscription_ref, customer_ref, received_at)
    SELECT gen_random_uuid(), event_id, type, livemode, created, CAST(payload AS jsonb),
           'received', 0, subscription_ref, customer_ref, now()
    FROM input ORDER BY ord
    ON CONFLICT (stripe_event_id) DO NOTHING
    RETURNING stripe_event_id
),
jobs AS (
    SELECT procrastinate_defer_jobs_v1(ARRAY(
        SELECT ROW(%(queue)s, %(task)s, %(priority)s, i.lock, i.queueing_lock,
                   jsonb_build_object('event_id', i.event_id),
                   NULL::timestamptz)::procrastinate_job_to_defer_v1
        FROM input i JOIN inserted n ON n.stripe_event_id = i.event_id
        ORDER BY i.ord
    )) AS ids
)
SELECT (SELECT array_agg(stripe_event_id) FROM inserted) AS inserted FROM jobs
"""

_MAX_BATCH = 256
_MAX_IN_FLIGHT = 4

# Each connection of the inbox's pool compresses what it TOASTs (the ~7 KB payloads) with lz4
# when the server has it: pglz was a fifth of Postgres's CPU per stored event. Transparent to
# every reader (a value carries its method); the column keeps its default for other writers.
# Servers built without lz4 (or older than 14) are left as they are.
_PREFER_LZ4 = """
SELECT set_config('default_toast_compression', 'lz4', false) FROM pg_settings
WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)
"""


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
    """Writes verified events in group-committed batches; `put` answers once its batch committed.

    It has its own small pool of permanently autocommit psycopg connections (at most one per
    batch in flight): a batch is one statement, so it needs no SQLAlchemy connection around it.
    """

    def __init__(self, conninfo: str, timeout: float = 30) -> None:
        self._pool: AsyncConnectionPool[AsyncConnection[Any]] = AsyncConnectionPool(
            conninfo,
            min_size=1,
            max_size=_MAX_IN_FLIGHT,
            kwargs={"autocommit": True},
            configure=_prefer_lz4,
            open=False,
            timeout=timeout,
            name="paybill-webhook",
        )
        self._pending: list[tuple[_Row, asyncio.Future[bool]]] = []
        self._in_flight = 0
        # A batch task created but not started yet: later arrivals join the batch it will take.
        self._starting = False
        self._tasks: set[asyncio.Task[None]] = set()

    async def open(self) -> None:
        await self._pool.open(wait=False)

    async def close(self) -> None:
        """Let the batches in flight finish, then close the pool."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._pool.close()

    async def put(self, row: _Row) -> bool:
        """Store the event and queue its processing; False when it was stored before."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._pending.append((row, future))
        self._kick()
        return await future

    def _kick(self) -> None:
        # One task at a time waits to take the pending deliveries: every put used to start one
        # (up to the in-flight bound), and all but the first then wrote an empty batch.
        if self._pending and not self._starting and self._in_flight < _MAX_IN_FLIGHT:
            self._in_flight += 1
            self._starting = True
            task = asyncio.create_task(self._write_batch())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _write_batch(self) -> None:
        # Runs on the next loop turn: whatever arrived meanwhile joins this batch.
        self._starting = False
        batch, self._pending = self._pending[:_MAX_BATCH], self._pending[_MAX_BATCH:]
        self._kick()  # more than one batch waiting: the next one need not wait for this one
        try:
            try:
                inserted = await self._write([row for row, _ in batch])
            except Exception as exc:
                if len(batch) == 1 or not _may_be_one_event(exc):
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
            "queue": QUEUE.value,
            "task": PROCESS_EVENT_TASK,
            "priority": PRIORITY,
        }
        # One statement in autocommit: atomic on its own, one round trip.
        async with self._pool.connection() as conn:
            cursor = await conn.execute(_INSERT_AND_DEFER, params)
            found = await cursor.fetchone()
        return dict.fromkeys((found[0] if found else None) or (), True)


def _may_be_one_event(exc: Exception) -> bool:
    """Whether a failed batch may be one event's fault, worth writing its events one by one.

    Postgres refused a value (`DataError`: an escape JSONB refuses, an over-long id) or a
    constraint: yes. No connection, a pool timeout, a server shutting down
    (`OperationalError`, `InterfaceError`): no — writing a 256-event batch one by one would keep
    its last delivery waiting 256 pool timeouts for the same answer; every waiter gets the error
    at once (500, and Stripe retries).
    """
    if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
        return False
    return isinstance(exc, psycopg.Error)


async def _prefer_lz4(conn: AsyncConnection[Any]) -> None:
    await conn.execute(_PREFER_LZ4)


def verified_row(raw_body: bytes, signature: str | None, settings: Settings) -> _Row:
    """Verify one delivery and keep what the inbox stores; raises `WebhookVerificationError`.

    The collector is paused while the event is parsed and read, and the parsed tree is gone
    before it resumes: the tree (a few hundred dicts and lists for a ~7 KB event, all acyclic,
    freed by reference counting) used to trigger a collection every few deliveries, each
    promoting and re-scanning trees about to die — 15% of a delivery's CPU under load
    (docs/performance.md). Nothing awaits in between, so no other request runs meanwhile.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return _row(raw_body, signature, settings)
    finally:
        if paused:
            gc.enable()


def _row(raw_body: bytes, signature: str | None, settings: Settings) -> _Row:
    # The parsed event lives only in this frame: it is freed when the frame returns.
    event = verify_stripe_event(
        raw_body,
        signature,
        [secret.get_secret_value() for secret in settings.stripe_webhook_secrets],
        tolerance_seconds=settings.stripe_webhook_tolerance_seconds,
        now=time.time(),
    )
    subscription_ref, customer_ref = event_subscription_ref(event), event_customer_ref(event)
    return _Row(
        event_id=event["id"],
        type=event["type"],
        livemode=bool(event.get("livemode")),
        created=_created(event),
        payload=raw_body.decode("utf-8"),
        subscription_ref=subscription_ref,
        customer_ref=customer_ref,
        lock=subject_lock(subscription_ref, customer_ref),
    )


async def accept(
    inbox: EventInbox, raw_body: bytes, signature: str | None, settings: Settings
) -> Accepted:
    """Verify and store one delivery; raises `WebhookVerificationError` (nothing stored)."""
    row = verified_row(raw_body, signature, settings)
    inserted = await inbox.put(row)
    return Accepted(event_id=row.event_id, type=row.type, duplicate=not inserted)


async def respond(state: Any, raw_body: bytes, signature: str | None, path: str) -> Reply:
    """The whole webhook exchange, framework-free: (status, body, content type)."""
    settings: Settings = state.settings
    try:
        accepted = await accept(state.billing_inbox, raw_body, signature, settings)
    except WebhookVerificationError as exc:
        # Counted here, the one place both the fast path and the FastAPI route go through.
        WEBHOOK_VERIFICATION_FAILURES.labels(exc.type_slug).inc()
        title = "Webhook secret not configured" if exc.http_status == 503 else "Webhook rejected"
        body = problem(exc.http_status, exc.type_slug, title, exc.reason, path)
        return Reply(exc.http_status, json.dumps(body).encode(), PROBLEM_MEDIA_TYPE)
    return Reply(200, ack_body(accepted), "application/json")
