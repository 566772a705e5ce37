"""Per-API-key rate limits: one fixed-window counter row per key in Postgres.

Every API process counts in the same row, so the limit holds across any number of processes.
The counter is bumped by a single `INSERT … ON CONFLICT DO UPDATE … RETURNING` on its own
autocommit connection: inside the request's transaction the row lock would be held until that
request commits, serialising all concurrent requests of one key behind the slowest of them.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import Message, Scope, Send

from paybill_control_plane.config import Settings
from paybill_control_plane.errors import ControlPlaneError
from paybill_control_plane.models.enums import Role

STATE_KEY = "rate_limit"

# The window is aligned on the database clock (date_bin), so processes with skewed clocks agree.
_HIT = text(
    """
    INSERT INTO rate_limit_counters AS c (key_id, window_start, count)
    VALUES (
        :key_id,
        date_bin(CAST(:window AS integer) * interval '1 second', now(), timestamptz '2000-01-01 00:00:00+00'),
        1
    )
    ON CONFLICT (key_id) DO UPDATE SET
        count = CASE WHEN c.window_start = EXCLUDED.window_start THEN c.count + 1 ELSE 1 END,
        window_start = EXCLUDED.window_start
    RETURNING count,
        extract(epoch FROM c.window_start + CAST(:window AS integer) * interval '1 second' - now()) AS reset
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


async def hit(engine: AsyncEngine, key_id: uuid.UUID, limit: int, window: int) -> RateLimitState:
    """Count one request of `key_id` in the current window (refused requests count too)."""
    async with engine.connect() as conn:
        autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
        count, reset = (await autocommit.execute(_HIT, {"key_id": key_id, "window": window})).one()
    return RateLimitState(
        limit=limit,
        remaining=max(0, limit - int(count)),
        reset_seconds=max(1, math.ceil(float(reset))),
        window_seconds=window,
        exceeded=int(count) > limit,
    )


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
