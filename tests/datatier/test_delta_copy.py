"""The write freeze copies only what changed since the bulk copy (change capture + delta), and the
target equals the source exactly afterwards: writes made before, during (a transaction spanning
the dump) and after the bulk copy, in several tables, one of them without a primary key."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import psycopg
import pytest

from paybill_control_plane.datatier import change_capture as cc
from paybill_control_plane.datatier import dumps
from paybill_control_plane.datatier import postgres_admin as pg
from paybill_control_plane.datatier.delta_copy import apply_changes
from paybill_control_plane.datatier.fingerprint import table_fingerprints
from paybill_control_plane.datatier.model_copy import by_table, copy_tenant_data
from paybill_control_plane.datatier.names import TenantNames, tenant_names
from paybill_control_plane.datatier.target import DatabaseTarget
from paybill_control_plane.models.enums import IsolationModel
from tests.datatier.pgdata import admin_dsn, unique_name
from tests.datatier.test_model_copy import as_owner

APP_SQL = """
CREATE TYPE mood AS ENUM ('calm', 'busy');
CREATE TABLE orders (id serial PRIMARY KEY, amount numeric(12,2) NOT NULL, note text,
                     at timestamptz NOT NULL DEFAULT now(), m mood NOT NULL DEFAULT 'calm');
CREATE TABLE lines (order_id int REFERENCES orders ON DELETE CASCADE, n int, sku text,
                    day date, PRIMARY KEY (order_id, day, n));
CREATE TABLE events (kind text, payload jsonb);  -- no primary key
CREATE TABLE tags (name text PRIMARY KEY, hits int GENERATED ALWAYS AS (length(name)) STORED);
INSERT INTO orders (amount, note) SELECT g * 1.25, 'n' || g FROM generate_series(1, 400) g;
INSERT INTO lines SELECT o, n, 'sku' || n, date '2026-01-01' + n FROM generate_series(1, 400) o,
  generate_series(1, 3) n;
INSERT INTO events SELECT 'k' || g, jsonb_build_object('g', g) FROM generate_series(1, 100) g;
INSERT INTO tags VALUES ('untouched'), ('also untouched');
"""


def side(names: TenantNames) -> DatabaseTarget:
    return DatabaseTarget(admin_dsn(), names.database, names.schema or "public")


async def prints(names: TenantNames) -> dict[str, object]:
    return by_table(await table_fingerprints(side(names)), names.schema or "public")


@pytest.fixture
async def pair() -> AsyncIterator[tuple[TenantNames, TenantNames]]:
    prefix = unique_name("dc")
    tenant = uuid.uuid4()
    pooled = tenant_names(prefix, IsolationModel.pooled, tenant, uuid.uuid4())
    silo = tenant_names(prefix, IsolationModel.silo, tenant, None)
    try:
        await pg.ensure_tenant_objects(admin_dsn(), pooled)
        await pg.ensure_tenant_objects(admin_dsn(), silo)
        as_owner(pooled, APP_SQL)
        yield pooled, silo
    finally:
        await pg.purge_prefix(admin_dsn(), prefix)


def spanning_transaction(names: TenantNames) -> psycopg.Connection[tuple[object, ...]]:
    """A transaction that writes before the dump and commits after it (not in the dump)."""
    conn = psycopg.connect(admin_dsn(), dbname=names.database)
    conn.execute(f'SET ROLE "{names.owner}"')  # type: ignore[arg-type]
    conn.execute(f'SET search_path = "{names.schema or "public"}"')  # type: ignore[arg-type]
    conn.execute("INSERT INTO orders (amount, note) VALUES (9, 'spanning')")
    conn.execute("UPDATE orders SET note = 'spanned' WHERE id BETWEEN 10 AND 20")
    conn.execute("DELETE FROM orders WHERE id = 30")
    conn.execute(
        "UPDATE lines SET sku = 'moved', day = day + 100 WHERE order_id = 40"
    )  # key change
    conn.execute("INSERT INTO events VALUES ('spanning', '{}')")
    return conn


def writer(names: TenantNames, stop: threading.Event) -> None:
    """Writes in a loop while the bulk copy runs."""
    i = 0
    while not stop.is_set() or i < 5:
        i += 1
        as_owner(
            names,
            f"INSERT INTO orders (amount, note, m) VALUES ({i}, 'during {i}', 'busy');"
            f"UPDATE orders SET amount = amount + 1 WHERE id = {100 + i};"
            f"DELETE FROM lines WHERE order_id = {200 + i} AND n = 1;"
            f"UPDATE events SET kind = 'updated' WHERE kind = 'k{i}';",
        )


async def test_delta_after_writes_during_the_bulk_copy_equals_the_source(
    pair: tuple[TenantNames, TenantNames], tmp_path: Path
) -> None:
    pooled, silo = pair
    assert await cc.start_capture(side(pooled)) == 4
    spanning = spanning_transaction(pooled)
    stop = threading.Event()
    thread = threading.Thread(target=writer, args=(pooled, stop))
    thread.start()
    try:
        bulk = await copy_tenant_data(side(pooled), side(silo), silo.owner, tmp_path)
    finally:
        stop.set()
        await asyncio.to_thread(thread.join)
    spanning.commit()
    spanning.close()
    await cc.start_capture(side(silo))  # the target's, for a copy back (the copy phase's end)
    assert bulk.fingerprints["orders"].rows >= 400  # the dump did not see the spanning insert
    as_owner(pooled, "DELETE FROM orders WHERE id = 5; INSERT INTO tags VALUES ('after copy')")
    assert await prints(pooled) != await prints(silo)

    done = await apply_changes(side(pooled), side(silo), bulk.fingerprints)
    assert done.fingerprints == await prints(pooled) == await prints(silo)
    assert done.whole_tables == ["events"]  # no primary key: copied again whole
    assert set(done.changed_keys) == {"orders", "lines", "tags"}
    assert done.changed_keys["tags"] == 1
    # Sequences follow: the next order gets the same id on both sides.
    nxt = "SELECT nextval('orders_id_seq')"
    assert as_owner(silo, nxt) == as_owner(pooled, nxt)
    # The capture's triggers never reach the target; the log is a permanent (WAL-logged) table.
    theirs = as_owner(
        silo,
        "SELECT DISTINCT n.nspname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
        "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE NOT t.tgisinternal",
    )
    assert theirs == [(cc.capture_schema(side(silo)),)]
    with psycopg.connect(admin_dsn(), dbname=pooled.database) as conn:
        cur = conn.execute(
            "SELECT relpersistence FROM pg_class WHERE oid = %s::regclass",
            (f"{cc.capture_schema(side(pooled))}.log",),
        )
        assert cur.fetchone() == ("p",)
    # The delta went in with triggers off: the target's capture logged nothing of it.
    with psycopg.connect(admin_dsn(), dbname=silo.database) as conn:
        log = f"{cc.capture_schema(side(silo))}.log"
        assert conn.execute(f"SELECT count(*) FROM {log}").fetchone() == (0,)  # type: ignore[arg-type]
    # Applied twice (a cutover run again after a crash): the same target.
    again = await apply_changes(side(pooled), side(silo), bulk.fingerprints)
    assert again.fingerprints == done.fingerprints == await prints(silo)

    # The way back (rollback): a capture on the silo since cutover, its writes copied back.
    await cc.stop_capture(side(pooled))
    as_owner(
        silo,
        "INSERT INTO orders (amount, note) VALUES (1, 'on the silo');"
        "UPDATE lines SET sku = 'silo' WHERE order_id = 7; TRUNCATE events;",
    )
    back = await apply_changes(side(silo), side(pooled), done.fingerprints)
    assert back.fingerprints == await prints(silo) == await prints(pooled)
    assert back.whole_tables == ["events"] and back.fingerprints["events"].rows == 0
    assert as_owner(pooled, "SELECT note FROM orders ORDER BY id DESC LIMIT 1") == [
        ("on the silo",)
    ]


async def test_ddl_or_a_disabled_capture_makes_the_delta_unusable(
    pair: tuple[TenantNames, TenantNames], tmp_path: Path
) -> None:
    pooled, silo = pair
    await cc.start_capture(side(pooled))
    bulk = await copy_tenant_data(side(pooled), side(silo), silo.owner, tmp_path)
    as_owner(pooled, "ALTER TABLE orders ADD COLUMN extra int")
    with pytest.raises(cc.CaptureUnusable, match="schema changed"):
        await apply_changes(side(pooled), side(silo), bulk.fingerprints)

    await cc.start_capture(side(pooled))  # a copy run again starts a fresh capture
    bulk = await copy_tenant_data(side(pooled), side(silo), silo.owner, tmp_path)
    as_owner(pooled, "ALTER TABLE orders DISABLE TRIGGER paybill_capture_row")
    with pytest.raises(cc.CaptureUnusable, match="schema changed"):
        await apply_changes(side(pooled), side(silo), bulk.fingerprints)

    await cc.stop_capture(side(pooled))
    with pytest.raises(cc.CaptureUnusable, match="no change capture"):
        await apply_changes(side(pooled), side(silo), bulk.fingerprints)
    assert not await cc.capture_exists(side(pooled))


async def test_a_snapshot_taken_during_a_capture_leaves_it_out_and_restores(
    pair: tuple[TenantNames, TenantNames], tmp_path: Path
) -> None:
    pooled, silo = pair
    await copy_tenant_data(side(pooled), side(silo), silo.owner, tmp_path / "copy")
    await cc.start_capture(side(silo))  # the target during the hold, e.g. a scheduled snapshot
    whole = DatabaseTarget(admin_dsn(), silo.database, None)
    dumped = await dumps.dump_target(whole, tmp_path / "snap.dump")
    assert {name.split(".")[0] for name in dumped.fingerprints} == {"public"}
    copy = DatabaseTarget(admin_dsn(), unique_name(silo.database[:30]), None)
    await dumps.create_database(whole, copy.database)
    try:
        await dumps.restore_dump(tmp_path / "snap.dump", copy, keep_owners=False)
        assert await table_fingerprints(copy) == dumped.fingerprints
        with psycopg.connect(admin_dsn(), dbname=copy.database) as conn:
            cur = conn.execute("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal")
            assert cur.fetchone() == (0,)
    finally:
        await dumps.drop_database(whole, copy.database)
