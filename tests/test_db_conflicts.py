"""Transactions that Postgres aborts as deadlock victims are run again; other errors are not."""

from __future__ import annotations

import pytest
from psycopg import errors as pg_errors
from sqlalchemy.exc import DBAPIError

from paybill_control_plane.db.conflicts import is_transient_conflict, retry_on_conflict


def _db_error(orig: Exception) -> DBAPIError:
    return DBAPIError("UPDATE tenants ...", {}, orig)


async def test_a_deadlock_victim_is_retried_until_it_commits() -> None:
    calls = []

    @retry_on_conflict(attempts=3)
    async def unit_of_work() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise _db_error(pg_errors.DeadlockDetected("deadlock detected"))
        return "committed"

    assert await unit_of_work() == "committed"
    assert len(calls) == 3


async def test_other_errors_and_exhausted_retries_propagate() -> None:
    @retry_on_conflict(attempts=2)
    async def always_deadlocks() -> None:
        raise _db_error(pg_errors.DeadlockDetected("deadlock detected"))

    with pytest.raises(DBAPIError):
        await always_deadlocks()

    calls = []

    @retry_on_conflict(attempts=5)
    async def violates() -> None:
        calls.append(1)
        raise _db_error(pg_errors.UniqueViolation("duplicate key"))

    with pytest.raises(DBAPIError):
        await violates()
    assert len(calls) == 1
    assert is_transient_conflict(_db_error(pg_errors.SerializationFailure("x")))
    assert not is_transient_conflict(ValueError("x"))
