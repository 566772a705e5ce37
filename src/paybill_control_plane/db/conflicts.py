"""Transient conflicts between concurrent transactions, and retrying a unit of work on them."""

from __future__ import annotations

import asyncio
import functools
import random
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

import psycopg
from psycopg import errors as pg_errors
from sqlalchemy import exc as sa_exc
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

P = ParamSpec("P")
T = TypeVar("T")

_TRANSIENT = (pg_errors.DeadlockDetected, pg_errors.SerializationFailure)


def is_transient_conflict(exc: BaseException) -> bool:
    """A deadlock or serialization failure: Postgres aborted one side; running it again works."""
    return isinstance(exc, DBAPIError) and isinstance(exc.orig, _TRANSIENT)


def retry_on_conflict(
    attempts: int = 5,
) -> Callable[[Callable[P, Awaitable[T]]], Callable[P, Awaitable[T]]]:
    """Run a whole transaction again (with jittered backoff) when Postgres aborts it as a
    deadlock victim. Only for functions that open and commit their own transaction."""

    def decorate(fn: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
        @functools.wraps(fn)
        async def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
            for attempt in range(1, attempts + 1):
                try:
                    return await fn(*args, **kwargs)
                except DBAPIError as exc:
                    if attempt == attempts or not is_transient_conflict(exc):
                        raise
                await asyncio.sleep(random.uniform(0.02, 0.1) * 2**attempt)  # noqa: S311
            raise AssertionError("unreachable")

        return wrapper

    return decorate


_UNAVAILABLE = (psycopg.OperationalError, psycopg.InterfaceError)


def is_database_unavailable(exc: BaseException) -> bool:
    """The database cannot be reached or dropped the connection (restart, failover, a killed
    backend, an exhausted pool): the request did nothing durable and may be sent again."""
    if isinstance(exc, DBAPIError):
        return exc.connection_invalidated or isinstance(exc.orig, _UNAVAILABLE)
    return isinstance(exc, (*_UNAVAILABLE, sa_exc.DisconnectionError, sa_exc.TimeoutError))


def is_bad_value(exc: BaseException) -> bool:
    """A value Postgres cannot store (a NUL byte in text, a number out of range): the client's
    input, which got past validation; a 422, not a 500."""
    if isinstance(exc, DBAPIError):
        return isinstance(exc.orig, psycopg.DataError)
    if isinstance(exc, sa_exc.StatementError):
        return isinstance(exc.orig, ValueError) and "NUL" in str(exc.orig)
    return isinstance(exc, psycopg.DataError)


async def add_unique(session: AsyncSession, row: object, conflict: Callable[[], Exception]) -> None:
    """Insert `row` in a savepoint; if a unique index refuses it (a concurrent twin got there
    first), raise `conflict()` and leave the transaction usable."""
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError as exc:
        raise conflict() from exc
