"""The request-scoped session: one transaction per request, committed before the response."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

log = logging.getLogger(__name__)

_READ_METHODS = frozenset({"GET", "HEAD"})


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    read_sessionmaker: async_sessionmaker[AsyncSession] | None = getattr(
        request.app.state, "read_sessionmaker", None
    )
    if request.method in _READ_METHODS and read_sessionmaker is not None:
        # Reads run their statements in autocommit: no BEGIN/COMMIT round trips.
        async with read_sessionmaker() as session:
            yield session
            if session.new or session.dirty or session.deleted:
                # A read that changed rows is a bug; its changes are still kept, not dropped.
                log.warning("a %s request changed rows; flushing them", request.method)
                await session.flush()
        return
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session, session.begin():
        yield session


# scope="function": commit happens when the endpoint returns, before the response is sent,
# so a failed commit is an error response, never a 2xx for lost data.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
