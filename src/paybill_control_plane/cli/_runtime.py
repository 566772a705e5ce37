"""What every CLI command needs: settings, the database URL, a unit of work."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from paybill_control_plane.config import get_settings
from paybill_control_plane.db.engine import make_engine, make_sessionmaker, resolve_database_url

T = TypeVar("T")


def database_url() -> str:
    return resolve_database_url(get_settings())


@asynccontextmanager
async def unit_of_work(url: str | None = None) -> AsyncIterator[AsyncSession]:
    engine = make_engine(url or database_url(), pool_size=2)
    try:
        sessionmaker = make_sessionmaker(engine)
        async with sessionmaker() as session, session.begin():
            yield session
    finally:
        await engine.dispose()


def run(fn: Callable[[], Awaitable[T]]) -> T:
    return asyncio.run(fn())  # type: ignore[arg-type]
