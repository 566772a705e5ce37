"""The limiter's local counting: counts reach the shared row in batches, and near the limit
every request is decided on the shared count, so the limit stays exact across processes."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from paybill_control_plane.auth import service as auth_service
from paybill_control_plane.auth.principal import CLI
from paybill_control_plane.auth.schemas import ApiKeyCreate
from paybill_control_plane.cli._runtime import unit_of_work
from paybill_control_plane.db.engine import make_engine
from paybill_control_plane.kit.rate_limit import RateLimiter

LONG_WINDOW = 100_000_000
# Long enough that no periodic flush runs during a test (the loop is not even started):
# the tests flush by hand, so what they see does not depend on timing.
NO_PERIODIC_FLUSH = 3600.0


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url, pool_size=2)
    try:
        yield engine
    finally:
        await engine.dispose()


async def _new_key(database_url: str) -> uuid.UUID:
    async with unit_of_work(database_url) as session:
        data = ApiKeyCreate.model_validate({"name": "limited", "role": "admin"})
        key, _ = await auth_service.create_key(session, CLI, data)
        return key.id


async def _stored_count(engine: AsyncEngine, key_id: uuid.UUID) -> int:
    async with engine.connect() as conn:
        query = text("SELECT count FROM rate_limit_counters WHERE key_id = :k")
        return int((await conn.execute(query, {"k": key_id})).scalar_one())


async def test_requests_far_from_the_limit_are_counted_locally_then_flushed(
    engine: AsyncEngine, database_url: str
) -> None:
    key_id = await _new_key(database_url)
    limiter = RateLimiter(engine, LONG_WINDOW, NO_PERIODIC_FLUSH)
    states = [await limiter.hit(key_id, 1000) for _ in range(10)]
    assert [s.remaining for s in states] == list(range(999, 989, -1))
    assert not any(s.exceeded for s in states)
    # Only the first request of the window went to Postgres.
    assert await _stored_count(engine, key_id) == 1
    await limiter.stop()  # stopping flushes what is pending
    assert await _stored_count(engine, key_id) == 10


async def test_two_limiters_admit_exactly_the_limit_once_counts_are_shared(
    engine: AsyncEngine, database_url: str
) -> None:
    key_id = await _new_key(database_url)
    first = RateLimiter(engine, LONG_WINDOW, NO_PERIODIC_FLUSH)
    second = RateLimiter(engine, LONG_WINDOW, NO_PERIODIC_FLUSH)
    for _ in range(5):  # up to half the limit: the first sync, then four local counts
        assert not (await first.hit(key_id, 10)).exceeded
    await first.flush()
    joined = await second.hit(key_id, 10)
    assert joined.remaining == 4  # it sees the first limiter's flushed counts
    admitted = 6
    refused = 0
    for _ in range(6):
        for limiter in (first, second):
            state = await limiter.hit(key_id, 10)
            if state.exceeded:
                refused += 1
                assert state.remaining == 0
            else:
                admitted += 1
    assert admitted == 10
    assert refused == 8
    await first.stop()
    await second.stop()
    assert await _stored_count(engine, key_id) == 18  # refused requests count too


async def test_zero_flush_interval_counts_every_request_in_postgres(
    engine: AsyncEngine, database_url: str
) -> None:
    key_id = await _new_key(database_url)
    limiter = RateLimiter(engine, LONG_WINDOW, 0)
    for _ in range(3):
        await limiter.hit(key_id, 1000)
    assert await _stored_count(engine, key_id) == 3
