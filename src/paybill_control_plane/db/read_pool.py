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

import json
from typing import Any

from psycopg import AsyncConnection
from psycopg.abc import Buffer
from psycopg.rows import namedtuple_row
from psycopg.types.json import JsonbLoader
from psycopg_pool import AsyncConnectionPool

_EMPTY_ARRAY = b"[]"
_EMPTY_OBJECT = b"{}"


class _JsonbLoader(JsonbLoader):
    """psycopg's `jsonb` loader, without `json.loads` for the empty values most rows hold.

    A page of tenants has 150 `jsonb` values (labels, contacts, overrides), nearly all `{}` or
    `[]`; loading each through `json.loads` (with its encoding detection on bytes) was ~15%
    of a page's CPU. Postgres writes an empty array or object as exactly these two bytes; any
    other value goes through `json.loads`, as before."""

    def load(self, data: Buffer) -> Any:
        if data == _EMPTY_OBJECT:
            return {}
        if data == _EMPTY_ARRAY:
            return []
        return json.loads(bytes(data))


async def _configure(conn: AsyncConnection[Any]) -> None:
    conn.adapters.register_loader("jsonb", _JsonbLoader)


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
            configure=_configure,
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
