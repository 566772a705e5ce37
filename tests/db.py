"""Test databases: the machine's Postgres (PAYBILL_TEST_DATABASE_URL) or the embedded one."""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from paybill_control_plane.datatier.names import derived_prefix
from paybill_control_plane.datatier.postgres_admin import purge_prefix
from paybill_control_plane.db import migrate
from paybill_control_plane.db.embedded import start_embedded_postgres, to_libpq_url

ROOT = Path(__file__).resolve().parents[1]
# The embedded server's stock max_connections is 100 (97 for clients), shared by every xdist
# worker. One worker holds at most: the session's live server (engine 4 kept + 6 overflow, read
# pool 4: tests/conftest.py), a test's own live server or stack environment (as many again), a
# job worker's or test's engine (up to 20 + 10 with the default settings), and a few admin and
# tenant-database connections: about 65 at the very worst. `-n 4` could then ask for some 260
# connections, so the test server gets the same limit as the machine's Postgres in CI (500).
TEST_MAX_CONNECTIONS = 500


def server_url() -> str:
    """A SQLAlchemy URL to a database on the test server (used as the admin connection)."""
    configured = os.environ.get("PAYBILL_TEST_DATABASE_URL")
    if configured:
        return configured
    return start_embedded_postgres(
        ROOT / ".paybill-test",
        database="paybill_test",
        stop_at_exit=True,
        max_connections=TEST_MAX_CONNECTIONS,
    )


def _admin_libpq(url: str) -> str:
    return to_libpq_url(
        make_url(url).set(database="postgres").render_as_string(hide_password=False)
    )


def create_empty_database(name_hint: str) -> str:
    """Create a fresh database without any schema and return its SQLAlchemy URL."""
    base = make_url(server_url())
    name = f"{base.database}_{name_hint}_{uuid.uuid4().hex[:6]}"[:63]
    with psycopg.connect(_admin_libpq(server_url()), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return base.set(database=name).render_as_string(hide_password=False)


def create_database(name_hint: str) -> str:
    """Create a fresh, migrated database and return its SQLAlchemy URL."""
    url = create_empty_database(name_hint)
    migrate.upgrade(url)
    return url


def drop_database(url: str) -> None:
    name = make_url(url).database
    # The tenants' real databases and roles (cluster-wide) go with their control plane.
    asyncio.run(purge_prefix(_admin_libpq(url), derived_prefix(name or "")))
    with psycopg.connect(_admin_libpq(url), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
