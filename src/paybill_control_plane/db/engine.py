"""Engine and session factory for the configured (or embedded) database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from paybill_control_plane.config import Settings, get_settings
from paybill_control_plane.db.embedded import start_embedded_postgres


def resolve_database_url(settings: Settings) -> str:
    """The configured URL, or the embedded server's (started on first use)."""
    if settings.database_url:
        return settings.database_url
    return start_embedded_postgres(settings.data_dir)


def make_engine(
    url: str, *, pool_size: int | None = None, settings: Settings | None = None
) -> AsyncEngine:
    """An engine whose pool holds the connections the process needs (PAYBILL_DB_POOL_*).

    A pool smaller than the concurrency opens and closes an overflow connection per request
    (a Postgres backend start each), and a pre-ping costs a round trip per checkout; both
    showed in the benchmarks. Dead connections are still detected: a failed statement
    invalidates the pool, and connections are recycled after `db_pool_recycle_seconds`.
    """
    settings = settings or get_settings()
    return create_async_engine(
        url,
        pool_size=pool_size or settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout_seconds,
        pool_recycle=int(settings.db_pool_recycle_seconds),
        pool_pre_ping=settings.db_pool_pre_ping,
    )


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def autocommit_engine(engine: AsyncEngine) -> AsyncEngine:
    """The engine's pool with autocommit, for reads: a read is its statements and nothing else.

    A request-scoped transaction costs a BEGIN and a COMMIT round trip around what is, for
    most reads, one SELECT; each autocommitted statement is its own short transaction.
    """
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def make_read_sessionmaker(read_engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for GET requests, on `autocommit_engine(engine)`."""
    return async_sessionmaker(read_engine, expire_on_commit=False, autoflush=False)


@asynccontextmanager
async def transaction(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """One unit of work: commit on success, roll back on any error."""
    async with sessionmaker() as session, session.begin():
        yield session
