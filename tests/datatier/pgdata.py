"""Tenant-like data on the test server: a database with tables, or a schema in a shared one."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql

from paybill_control_plane.datatier.target import DatabaseTarget
from tests.db import _admin_libpq, server_url

SEED_SQL = """
CREATE TABLE {s}.customers (id bigint PRIMARY KEY, name text NOT NULL, balance numeric(12,2));
CREATE TABLE {s}.events (happened timestamptz, payload jsonb);  -- no primary key
INSERT INTO {s}.customers SELECT g, 'customer ' || g, g * 1.5 FROM generate_series(1, {rows}) g;
INSERT INTO {s}.events
  SELECT timestamptz '2026-01-01' + g * interval '1 minute', jsonb_build_object('n', g)
  FROM generate_series(1, {rows}) g;
"""


def admin_dsn() -> str:
    return _admin_libpq(server_url())


def unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def seed(target: DatabaseTarget, rows: int = 200) -> None:
    """Create and fill two tables in the target (its schema, or `public`)."""
    schema = target.schema or "public"
    with psycopg.connect(admin_dsn(), dbname=target.database, autocommit=True) as conn:
        if target.schema is not None:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        statement = sql.SQL(SEED_SQL).format(s=sql.Identifier(schema), rows=sql.Literal(rows))
        conn.execute(statement)


def execute(target: DatabaseTarget, statement: str) -> None:
    with psycopg.connect(admin_dsn(), dbname=target.database, autocommit=True) as conn:
        conn.execute(statement)  # type: ignore[arg-type]


def drop(name: str) -> None:
    with psycopg.connect(admin_dsn(), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@contextmanager
def scratch_database(prefix: str = "snapt") -> Iterator[str]:
    """An empty database with a unique name, dropped afterwards."""
    name = unique_name(prefix)
    with psycopg.connect(admin_dsn(), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        drop(name)
