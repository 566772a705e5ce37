"""Live servers with their own settings for the Idempotency-Key and rate-limit tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from paybill_control_plane.app import create_app
from paybill_control_plane.config import Settings
from paybill_control_plane.db.embedded import to_libpq_url
from tests.live import LiveServer


@contextmanager
def server_with(settings: Settings, **overrides: Any) -> Iterator[LiveServer]:
    """A second live app on the same database, configured differently."""
    server = LiveServer(create_app(settings.model_copy(update=overrides))).start()
    try:
        yield server
    finally:
        server.stop()


def sql(database_url: str, query: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(to_libpq_url(database_url), autocommit=True) as conn:
        cursor = conn.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def wait_until(condition: Callable[[], bool], what: str, limit_s: float = 30) -> None:
    """Poll a condition (a liveness guard, not a timing assertion)."""
    import time

    deadline = time.monotonic() + limit_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.02)


def lock_waiters(database_url: str) -> int:
    """Backends of this database waiting for a lock (held by a test or another request)."""
    rows = sql(
        database_url,
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'",
    )
    return int(rows[0][0])
