"""The API key cache: a verified key is trusted for `api_key_cache_seconds`, never longer.

The bound is what docs/performance.md promises: a revocation through this process ends the key
at once; one made elsewhere (another process, or the database directly) ends it here once the
cache time has passed. The cache's clock is replaced, so nothing here waits.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from paybill_control_plane.auth import cache as cache_module
from paybill_control_plane.auth import service
from paybill_control_plane.auth.cache import KEY_CACHE
from paybill_control_plane.auth.principal import CLI
from paybill_control_plane.auth.schemas import ApiKeyCreate
from paybill_control_plane.db.base import utcnow
from paybill_control_plane.db.engine import make_engine, make_sessionmaker, transaction
from paybill_control_plane.errors import Unauthenticated
from paybill_control_plane.models.api_key import ApiKey

TTL = 5.0


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(cache_module.time, "monotonic", fake)
    return fake


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(database_url, pool_size=2)
    try:
        yield make_sessionmaker(engine)
    finally:
        await engine.dispose()


async def _new_key(sessions: async_sessionmaker[AsyncSession]) -> tuple[ApiKey, str]:
    async with transaction(sessions) as session:
        return await service.create_key(
            session, CLI, ApiKeyCreate.model_validate({"name": "cache-test", "role": "viewer"})
        )


async def _authenticate(sessions: async_sessionmaker[AsyncSession], token: str) -> None:
    async with transaction(sessions) as session:
        await service.authenticate(session, token, cache_seconds=TTL)


async def test_revoked_elsewhere_works_here_at_most_the_cache_time(
    sessions: async_sessionmaker[AsyncSession], clock: Clock
) -> None:
    key, token = await _new_key(sessions)
    await _authenticate(sessions, token)
    assert service.cached_principal(token) is not None
    # Revoked straight in the database, as another process would: this process does not know.
    async with transaction(sessions) as session:
        await session.execute(update(ApiKey).where(ApiKey.id == key.id).values(revoked_at=utcnow()))
    clock.now += TTL - 0.01
    cached = service.cached_principal(token)
    assert cached is not None and cached.key_id == key.id
    clock.now += 0.01  # the bound
    assert service.cached_principal(token) is None
    with pytest.raises(Unauthenticated, match="revoked"):
        await _authenticate(sessions, token)
    assert service.cached_principal(token) is None  # a revoked key is never cached


async def test_revoked_through_this_process_stops_at_once(
    sessions: async_sessionmaker[AsyncSession], clock: Clock
) -> None:
    key, token = await _new_key(sessions)
    _, other_token = await _new_key(sessions)
    await _authenticate(sessions, token)
    await _authenticate(sessions, other_token)
    async with transaction(sessions) as session:
        await service.revoke_key(session, CLI, key.id)
    assert service.cached_principal(token) is None
    with pytest.raises(Unauthenticated, match="revoked"):
        await _authenticate(sessions, token)
    assert service.cached_principal(other_token) is not None  # only that key was evicted


async def test_unknown_keys_and_a_zero_cache_time_cache_nothing(
    sessions: async_sessionmaker[AsyncSession], clock: Clock
) -> None:
    with pytest.raises(Unauthenticated):
        await _authenticate(sessions, "pbk_not-a-key")
    assert service.cached_principal("pbk_not-a-key") is None
    _, token = await _new_key(sessions)
    async with transaction(sessions) as session:
        principal = await service.authenticate(session, token, cache_seconds=0)
    assert principal.role.value == "viewer"
    assert service.cached_principal(token) is None
    KEY_CACHE.put("some-hash", principal, 0)
    assert KEY_CACHE.get("some-hash") is None
