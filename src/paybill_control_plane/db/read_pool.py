"""Autocommit psycopg connections for the hottest reads, without SQLAlchemy around them.

Profiled under 16 clients (docs/performance.md), checking a connection out of the engine
(`Engine.connect`: a `Connection`, pool events, the autocommit toggle, a greenlet switch) and
back cost more CPU than the one SELECT a `GET /v1/tenants/{id}` runs. These reads take a
connection from a psycopg pool instead: permanently autocommit, so each statement is its own
snapshot, with no BEGIN/COMMIT and no per-checkout state changes. Rows are named tuples
(attribute access like an ORM object); the columns are plain types, so the values are the ones
SQLAlchemy would have returned. Only statements compiled once to SQL text run here.
"""

from __future__ import annotations

from typing import Any

from psycopg.rows import namedtuple_row
from psycopg_pool import AsyncConnectionPool


class ReadPool:
    def __init__(self, conninfo: str, size: int, timeout: float = 30) -> None:
        # Opened on demand up to `size`: idle processes (and test apps) hold one connection.
        self._pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
            conninfo,
            min_size=1,
            max_size=size,
            kwargs={"autocommit": True},
            open=False,
            timeout=timeout,
            name="paybill-read",
        )

    async def open(self) -> None:
        await self._pool.open(wait=False)

    async def close(self) -> None:
        await self._pool.close()

    async def fetch_one(self, sql: str, params: dict[str, Any]) -> Any:
        async with self._pool.connection() as conn, conn.cursor(row_factory=namedtuple_row) as cur:
            await cur.execute(sql, params)
            return await cur.fetchone()

    async def fetch_all(self, sql: str, params: dict[str, Any]) -> list[Any]:
        async with self._pool.connection() as conn, conn.cursor(row_factory=namedtuple_row) as cur:
            await cur.execute(sql, params)
            rows: list[Any] = await cur.fetchall()
            return rows
