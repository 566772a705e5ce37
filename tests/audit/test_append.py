"""Audit events join the chain at commit: writers overlap, the chain stays ordered and whole."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from paybill_control_plane.audit import service as audit
from paybill_control_plane.db.engine import make_engine, make_sessionmaker
from paybill_control_plane.models.audit_event import AuditEvent
from tests.db import create_database, drop_database

# Advisory locks are per database: count this test database's only, not those of the other
# xdist workers' (or other runs') databases on the same server, whose writers take the same key.
_HELD_CHAIN_LOCKS = text(
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 7311 AND objid = 1"
    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    database = create_database("append")
    yield database
    drop_database(database)


@pytest.fixture
async def sessions(url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(url, pool_size=4)
    try:
        yield make_sessionmaker(engine)
    finally:
        await engine.dispose()


async def _record(session: AsyncSession, target: str) -> AuditEvent:
    return await audit.record(
        session, actor="test", action="test.append", target_type="test", target_id=target
    )


async def test_an_open_write_does_not_hold_the_chain_and_commit_order_is_chain_order(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as first, sessions() as second, sessions() as observer:
        await first.begin()
        early = await _record(first, "first")
        await first.flush()
        # Before: the first record took the chain lock until COMMIT, so this second writer
        # (and every other) waited for the first one's whole request.
        assert await observer.scalar(_HELD_CHAIN_LOCKS) == 0
        async with second.begin():
            late = await _record(second, "second")
        await first.commit()
        await observer.commit()
    assert late.seq < early.seq, "the transaction that committed first is first in the chain"
    assert early.prev_hash == late.row_hash
    async with sessions() as session:
        report = await audit.verify_chain(session)
    assert report.ok and report.checked >= 2


async def test_events_of_rolled_back_work_never_reach_the_chain(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session:
        before = await session.scalar(select(func.count()).select_from(AuditEvent))
        await session.rollback()
        async with session.begin():
            await _record(session, "kept-outer")
            try:
                async with session.begin_nested():
                    await _record(session, "dropped-with-savepoint")
                    raise RuntimeError("roll the savepoint back")
            except RuntimeError:
                pass
            async with session.begin_nested():
                await _record(session, "kept-savepoint")
        try:
            async with session.begin():
                await _record(session, "dropped-with-transaction")
                raise RuntimeError("roll everything back")
        except RuntimeError:
            pass
        async with session.begin():
            targets = list(
                await session.scalars(
                    select(AuditEvent.target_id).order_by(AuditEvent.seq).offset(before)
                )
            )
            report = await audit.verify_chain(session)
    assert targets == ["kept-outer", "kept-savepoint"]
    assert report.ok


async def test_events_survive_a_commit_that_leaves_a_savepoint_open(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # The Idempotency-Key wrapper runs the endpoint in a savepoint that the request's commit
    # releases. `before_commit` fires before that release, while the savepoint is still open:
    # the events recorded before and inside it must still join the chain.
    async with sessions() as session, session.begin():
        before = await _record(session, "before-open-savepoint")
        await session.begin_nested()
        inside = await _record(session, "inside-open-savepoint")
    async with sessions() as session:
        stored = await session.scalars(
            select(AuditEvent.target_id).where(
                AuditEvent.target_id.in_(["before-open-savepoint", "inside-open-savepoint"])
            )
        )
        assert sorted(stored) == ["before-open-savepoint", "inside-open-savepoint"]
        assert inside.prev_hash == before.row_hash
        assert (await audit.verify_chain(session)).problem is None
