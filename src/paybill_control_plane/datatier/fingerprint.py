"""Per-table row counts and checksums of a tenant's data, to prove a copy equals its source.

A table's checksum is the md5 of the sum of its rows' 64-bit hashes (`hashtextextended` of each
row as Postgres prints it): two tables holding the same rows have the same checksum whatever their
physical order, and it needs no sort, so it costs one sequential scan (a quarter of an md5 over
rows in key order, measured). Snapshots record the fingerprints of exactly what they dumped (same
MVCC snapshot as `pg_dump`); restores and copies between isolation models compare against them.
The hash is Postgres's own (stable across versions since 11, on machines of the same byte order).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from paybill_control_plane.datatier.names import CAPTURE_SCHEMA_PREFIX
from paybill_control_plane.datatier.target import DatabaseTarget

_TABLES = """
SELECT n.nspname, c.relname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r'
  AND (%(schema)s::text IS NULL OR n.nspname = %(schema)s::text)
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_%%'
  AND NOT starts_with(n.nspname, %(capture)s::text)  -- a migration's change capture
ORDER BY 1, 2
"""


@dataclass(frozen=True, slots=True)
class TableFingerprint:
    rows: int
    checksum: str  # md5 of the sum of the rows' 64-bit hashes (order-independent)

    def to_json(self) -> dict[str, Any]:
        return {"rows": self.rows, "checksum": self.checksum}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> TableFingerprint:
        return cls(int(raw["rows"]), str(raw["checksum"]))


def connect_target(target: DatabaseTarget, **kwargs: Any) -> str:
    """The libpq conninfo of the target's database, with the admin's credentials."""
    return make_conninfo(target.admin_dsn, dbname=target.database, **kwargs)


def _checksum_query(schema: str, table: str) -> sql.Composed:
    return sql.SQL(
        "SELECT count(*), md5(coalesce(sum(hashtextextended(t::text, 0)), 0)::text) "
        "FROM ONLY {table} AS t"
    ).format(table=sql.Identifier(schema, table))


async def one_table_fingerprint(
    conn: psycopg.AsyncConnection[Any], schema: str, table: str
) -> TableFingerprint:
    """Row count and checksum of one table, on `conn` (in whatever transaction it is in)."""
    cur = await conn.execute(_checksum_query(schema, table))
    row = await cur.fetchone()
    assert row is not None
    return TableFingerprint(int(row[0]), str(row[1]))


async def fingerprints_on(
    conn: psycopg.AsyncConnection[Any], schema: str | None
) -> dict[str, TableFingerprint]:
    """Fingerprints of the tables visible on `conn` (one schema, or every user schema)."""
    cur = await conn.execute(_TABLES, {"schema": schema, "capture": CAPTURE_SCHEMA_PREFIX})
    tables = await cur.fetchall()
    result: dict[str, TableFingerprint] = {}
    for nsp, rel in tables:
        result[f"{nsp}.{rel}"] = await one_table_fingerprint(conn, nsp, rel)
    return result


async def table_fingerprints(target: DatabaseTarget) -> dict[str, TableFingerprint]:
    """Row count and checksum of every table of the target, keyed "schema.table"."""
    connecting = psycopg.AsyncConnection.connect(connect_target(target))
    async with await connecting as conn, conn.transaction():
        await conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return await fingerprints_on(conn, target.schema)


def fingerprint_differences(
    expected: Mapping[str, TableFingerprint], actual: Mapping[str, TableFingerprint]
) -> list[str]:
    """What differs between two fingerprint sets, one line per table (empty: equal)."""
    problems: list[str] = []
    for name in sorted(set(expected) | set(actual)):
        want, got = expected.get(name), actual.get(name)
        if want is None:
            problems.append(f"{name}: not in the source")
        elif got is None:
            problems.append(f"{name}: missing")
        elif want.rows != got.rows:
            problems.append(f"{name}: {got.rows} rows, expected {want.rows}")
        elif want.checksum != got.checksum:
            problems.append(f"{name}: checksum differs ({want.rows} rows)")
    return problems


def fingerprints_to_json(prints: Mapping[str, TableFingerprint]) -> dict[str, dict[str, Any]]:
    return {name: fp.to_json() for name, fp in prints.items()}


def fingerprints_from_json(raw: Mapping[str, Any]) -> dict[str, TableFingerprint]:
    return {name: TableFingerprint.from_json(value) for name, value in raw.items()}
