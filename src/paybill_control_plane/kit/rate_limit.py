"""Per-API-key rate limits: one fixed-window counter row per key in Postgres.

Every API process counts in the same row, so the limit holds across any number of processes.
A bump of that row is an `INSERT … ON CONFLICT DO UPDATE … RETURNING` on its own autocommit
connection: inside the request's transaction the row lock would be held until that request
commits, serialising all concurrent requests of one key behind the slowest of them.

A round trip per request was the largest per-request cost left (issue 11), so each process
counts locally (`RateLimiter`) and adds its counts to the rows in one statement every
`rate_limit_flush_seconds`. A request is admitted locally only while the key's count, as this
process knows it, is at most half its limit; past that every request is counted in Postgres at
once (its pending local counts with it), so the decision near the limit uses the shared count.
**Bound:** with one process the limit is exact. With several, a key may be over-admitted by
at most what the *other* processes admitted locally and had not flushed yet: per process, at
most the requests it admitted in one flush interval (and never more than half the limit).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import Message, Scope, Send

from paybill_control_plane.config import Settings
from paybill_control_plane.errors import ControlPlaneError
from paybill_control_plane.models.enums import Role

log = logging.getLogger(__name__)

STATE_KEY = "rate_limit"

# The window is aligned on the database clock (date_bin), so processes with skewed clocks agree.
_HIT = text(
    """
    INSERT INTO rate_limit_counters AS c (key_id, window_start, count)
    VALUES (
        :key_id,
        date_bin(CAST(:window AS integer) * interval '1 second', now(), timestamptz '2000-01-01 00:00:00+00'),
        :n
    )
    ON CONFLICT (key_id) DO UPDATE SET
        count = CASE WHEN c.window_start = EXCLUDED.window_start THEN c.count + :n ELSE :n END,
        window_start = EXCLUDED.window_start
    RETURNING count, window_start,
        extract(epoch FROM c.window_start + CAST(:window AS integer) * interval '1 second' - now()) AS reset
    """
)

# Locally counted requests of many keys, each in the window it was counted in. A count for a
# window the row has already left is dropped (that window is over); keys are sorted by the
# caller so two processes flushing the same keys lock their rows in the same order.
_FLUSH = text(
    """
    INSERT INTO rate_limit_counters AS c (key_id, window_start, count)
    SELECT * FROM unnest(
        CAST(:keys AS uuid[]), CAST(:starts AS timestamptz[]), CAST(:counts AS integer[])
    )
    ON CONFLICT (key_id) DO UPDATE SET
        count = CASE
            WHEN c.window_start = EXCLUDED.window_start THEN c.count + EXCLUDED.count
            WHEN c.window_start < EXCLUDED.window_start THEN EXCLUDED.count
            ELSE c.count
        END,
        window_start = GREATEST(c.window_start, EXCLUDED.window_start)
    RETURNING key_id, window_start, count
    """
)


class RateLimited(ControlPlaneError):
    status = 429
    type_slug = "rate-limited"
    title = "Too many requests"


@dataclass(frozen=True)
class RateLimitState:
    """Where a key stands in the current window; rendered as IETF RateLimit headers."""

    limit: int
    remaining: int
    reset_seconds: int
    window_seconds: int
    exceeded: bool = False

    def header_pairs(self, status: int) -> list[tuple[bytes, bytes]]:
        pairs = [
            (b"ratelimit-limit", str(self.limit).encode()),
            (b"ratelimit-remaining", str(self.remaining).encode()),
            (b"ratelimit-reset", str(self.reset_seconds).encode()),
            (b"ratelimit-policy", f"{self.limit};w={self.window_seconds}".encode()),
        ]
        if status == 429:
            pairs.append((b"retry-after", str(self.reset_seconds).encode()))
        return pairs


def limit_for(settings: Settings, role: Role) -> int:
    """Requests per window for a role (0 turns limiting off for it)."""
    limit: int = getattr(settings, f"rate_limit_{role.value}")
    return limit


@dataclass
class _Window:
    """What this process knows of one key's current window."""

    start: datetime  # the database's window start, as stored in the row
    ends_at: float  # time.monotonic() at which the window is over
    shared: int  # the row's count when this process last read it
    pending: int = 0  # admitted here, not yet added to the row
    inflight: int = 0  # being added to the row by a flush right now

    @property
    def known(self) -> int:
        return self.shared + self.inflight + self.pending


class RateLimiter:
    """Counts requests per key in this process and flushes the counts to Postgres in batches."""

    def __init__(self, engine: AsyncEngine, window: int, flush_seconds: float) -> None:
        self._engine = engine
        self._window = window
        self._flush_seconds = flush_seconds
        self._keys: dict[uuid.UUID, _Window] = {}
        self._task: asyncio.Task[None] | None = None

    async def hit(self, key_id: uuid.UUID, limit: int) -> RateLimitState:
        """Count one request of `key_id` in the current window (refused requests count too)."""
        now = time.monotonic()
        known = self._keys.get(key_id)
        if known is not None and now >= known.ends_at:
            # The window is over; counts still pending belonged to it and no longer matter.
            known = None
            self._keys.pop(key_id, None)
        # Admit locally while well clear of the limit; near it, ask the shared row.
        if self._flush_seconds > 0 and known is not None and 2 * (known.known + 1) <= limit:
            known.pending += 1
            return self._state(limit, known.known, known.ends_at - now)
        extra = 0 if known is None else known.pending
        if known is not None:
            known.pending = 0
        try:
            count, start, reset = await self._bump(key_id, extra + 1)
        except BaseException:
            if known is not None:
                known.pending += extra
            raise
        ends_at = time.monotonic() + float(reset)
        current = self._keys.get(key_id)
        if current is not None and current.start == start:
            current.shared = max(current.shared, count - current.inflight)
            current.ends_at = ends_at
        else:
            current = _Window(start=start, ends_at=ends_at, shared=count)
            self._keys[key_id] = current
        return self._state(limit, count, float(reset))

    def _state(self, limit: int, count: int, reset: float) -> RateLimitState:
        return RateLimitState(
            limit=limit,
            remaining=max(0, limit - count),
            reset_seconds=max(1, math.ceil(reset)),
            window_seconds=self._window,
            exceeded=count > limit,
        )

    async def _bump(self, key_id: uuid.UUID, n: int) -> tuple[int, datetime, float]:
        async with self._engine.connect() as conn:
            autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
            params = {"key_id": key_id, "window": self._window, "n": n}
            count, start, reset = (await autocommit.execute(_HIT, params)).one()
        return int(count), start, float(reset)

    async def flush(self) -> None:
        """Add every key's pending count to its row (tests call this to skip the wait)."""
        batch = sorted(
            ((key_id, w) for key_id, w in self._keys.items() if w.pending), key=lambda kw: kw[0]
        )
        if not batch:
            return
        taken = [w.pending for _, w in batch]
        for (_, w), n in zip(batch, taken, strict=True):
            w.pending, w.inflight = 0, w.inflight + n
        params = {
            "keys": [key_id for key_id, _ in batch],
            "starts": [w.start for _, w in batch],
            "counts": taken,
        }
        try:
            async with self._engine.connect() as conn:
                autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
                rows = (await autocommit.execute(_FLUSH, params)).all()
        except BaseException:
            for (_, w), n in zip(batch, taken, strict=True):
                w.pending, w.inflight = w.pending + n, w.inflight - n
            raise
        counts = {key_id: (start, int(count)) for key_id, start, count in rows}
        for (key_id, w), n in zip(batch, taken, strict=True):
            w.inflight -= n
            start, count = counts.get(key_id, (None, 0))
            if start == w.start:
                w.shared = max(w.shared, count - w.inflight)
            elif start is not None and start > w.start:
                # Another process opened the next window: forget ours, ask on the next request.
                self._keys.pop(key_id, None)

    def start(self) -> None:
        if self._flush_seconds > 0 and self._task is None:
            self._task = asyncio.create_task(self._run(), name="rate-limit-flush")

    async def stop(self) -> None:
        """Stop the periodic flush and add what is still pending."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        with contextlib.suppress(Exception):
            await self.flush()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._flush_seconds)
            try:
                await self.flush()
            except Exception:
                # Counts stay pending and go with the next flush; a database hiccup must not
                # end the loop (requests near a limit are counted in Postgres directly).
                log.warning("rate-limit flush failed; retrying", exc_info=True)


def refusal(state: RateLimitState) -> RateLimited:
    return RateLimited(
        f"This API key may send {state.limit} requests per {state.window_seconds} s; retry in "
        f"{state.reset_seconds} s.",
        extra={"limit": state.limit, "window_seconds": state.window_seconds},
    )


def headers_sender(scope: Scope, send: Send) -> Send:
    """`send`, adding the RateLimit headers (and an in-flight 409's Retry-After) to whatever
    the route answers, problems included: those are rendered by exception handlers that add
    no headers. The values are read when the response starts, after the dependencies ran."""

    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            values = scope.get("state", {})
            extra: list[tuple[bytes, bytes]] = []
            state = values.get(STATE_KEY)
            if isinstance(state, RateLimitState):
                extra += state.header_pairs(message["status"])
            retry_after = values.get("retry_after")
            if message["status"] == 409 and isinstance(retry_after, int):
                extra.append((b"retry-after", str(retry_after).encode()))
            if extra:
                message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return send_with_headers
