"""Copying a tenant's data between a pooled schema and a silo database, on the real server."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg

from paybill_control_plane.datatier import postgres_admin as pg
from paybill_control_plane.datatier.fingerprint import table_fingerprints
from paybill_control_plane.datatier.model_copy import (
    by_table,
    copy_tenant_data,
    data_size,
)
from paybill_control_plane.datatier.names import TenantNames, tenant_names
from paybill_control_plane.datatier.target import DatabaseTarget
from paybill_control_plane.models.enums import IsolationModel
from tests.datatier.pgdata import admin_dsn, unique_name

APP_SQL = """
CREATE TABLE invoices (id serial PRIMARY KEY, amount numeric(12,2) NOT NULL, note text);
CREATE VIEW big_invoices AS SELECT * FROM invoices WHERE amount > 100;
INSERT INTO invoices (amount, note) SELECT g * 1.25, 'n' || g FROM generate_series(1, 300) g;
"""


def target(names: TenantNames) -> DatabaseTarget:
    return DatabaseTarget(admin_dsn(), names.database, names.schema)


def as_owner(names: TenantNames, statement: str) -> list[tuple[object, ...]]:
    """Run SQL as the tenant's owner role in its schema (as its application would)."""
    with psycopg.connect(admin_dsn(), dbname=names.database, autocommit=True) as conn:
        conn.execute(f'SET ROLE "{names.owner}"')  # type: ignore[arg-type]
        conn.execute(f'SET search_path = "{names.schema or "public"}"')  # type: ignore[arg-type]
        cur = conn.execute(statement)  # type: ignore[arg-type]
        return cur.fetchall() if cur.description else []


def owners(names: TenantNames) -> set[str]:
    with psycopg.connect(admin_dsn(), dbname=names.database, autocommit=True) as conn:
        cur = conn.execute(
            "SELECT c.relowner::regrole::text FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = %s",
            (names.schema or "public",),
        )
        return {str(r[0]).strip('"') for r in cur.fetchall()}


async def test_pooled_to_silo_and_back_copies_verifies_and_hands_ownership(
    tmp_path: Path,
) -> None:
    prefix = unique_name("mc")
    tenant, pool = uuid.uuid4(), uuid.uuid4()
    pooled = tenant_names(prefix, IsolationModel.pooled, tenant, pool)
    silo = tenant_names(prefix, IsolationModel.silo, tenant, None)
    try:
        await pg.ensure_tenant_objects(admin_dsn(), pooled)
        await pg.ensure_tenant_objects(admin_dsn(), silo)
        as_owner(pooled, APP_SQL)
        assert await data_size(target(pooled)) > 0

        there = await copy_tenant_data(target(pooled), target(silo), silo.owner, tmp_path / "a")
        assert there.fingerprints["invoices"].rows == 300
        assert by_table(await table_fingerprints(target(pooled)), str(pooled.schema)) == (
            there.fingerprints
        )
        assert owners(silo) == {silo.owner}
        # The application writes on the silo (its sequence continues), then it all goes back.
        as_owner(silo, "INSERT INTO invoices (amount, note) VALUES (7, 'after cutover')")
        assert as_owner(silo, "SELECT count(*) FROM big_invoices") == [(220,)]

        back = await copy_tenant_data(target(silo), target(pooled), pooled.owner, tmp_path / "b")
        assert back.fingerprints["invoices"].rows == 301
        assert as_owner(pooled, "SELECT id FROM invoices WHERE note = 'after cutover'") == [(301,)]
        assert owners(pooled) == {pooled.owner}
        # Run again (a retried phase): the same result, nothing left behind.
        again = await copy_tenant_data(target(silo), target(pooled), pooled.owner, tmp_path / "b")
        assert again.fingerprints == back.fingerprints
        assert not list((tmp_path / "b").iterdir())
    finally:
        await pg.purge_prefix(admin_dsn(), prefix)
