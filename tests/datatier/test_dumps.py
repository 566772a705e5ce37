"""The dump engine on the real server: consistent dumps, restores that fingerprint equal."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from paybill_control_plane.datatier import dumps
from paybill_control_plane.datatier.fingerprint import (
    fingerprint_differences,
    table_fingerprints,
)
from paybill_control_plane.datatier.pg_tools import PgToolsNotFound, find_pg_tools
from paybill_control_plane.datatier.target import DatabaseTarget
from tests.datatier.pgdata import admin_dsn, drop, execute, scratch_database, seed, unique_name


async def test_whole_database_round_trip(tmp_path: Path) -> None:
    with scratch_database() as name:
        source = DatabaseTarget(admin_dsn(), name)
        seed(source)
        path = tmp_path / "whole.dump.partial"
        lines: list[str] = []

        async def sink(line: str) -> None:
            lines.append(line)

        result = await dumps.dump_target(source, path, on_line=sink)
        assert result.size == path.stat().st_size > 0
        assert result.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert result.fingerprints == await table_fingerprints(source)
        assert result.fingerprints["public.customers"].rows == 200
        assert result.fingerprints["public.events"].rows == 200
        assert any("dumping contents of table" in line for line in lines)

        restored_name = unique_name("snapr")
        restored = DatabaseTarget(admin_dsn(), restored_name)
        await dumps.create_database(restored, restored_name)
        try:
            await dumps.restore_dump(path, restored)
            after = await table_fingerprints(restored)
            assert fingerprint_differences(result.fingerprints, after) == []
            execute(restored, "UPDATE customers SET name = 'changed' WHERE id = 7")
            changed = fingerprint_differences(
                result.fingerprints, await table_fingerprints(restored)
            )
            assert changed == ["public.customers: checksum differs (200 rows)"]
        finally:
            drop(restored_name)


async def test_pooled_schema_dumps_only_its_schema(tmp_path: Path) -> None:
    with scratch_database("snappool") as name:
        tenant_a = DatabaseTarget(admin_dsn(), name, unique_name("tenant"))
        tenant_b = DatabaseTarget(admin_dsn(), name, unique_name("tenant"))
        seed(tenant_a, rows=50)
        seed(tenant_b, rows=70)
        path = tmp_path / "pooled.dump.partial"
        result = await dumps.dump_target(tenant_a, path)
        assert sorted(result.fingerprints) == [
            f"{tenant_a.schema}.customers",
            f"{tenant_a.schema}.events",
        ]
        # In place: the schema is dropped and restored from the dump, tenant B untouched.
        execute(tenant_a, f"DELETE FROM {tenant_a.schema}.customers WHERE id < 10")
        before_b = await table_fingerprints(tenant_b)
        await dumps.drop_schema(tenant_a)
        await dumps.restore_dump(path, tenant_a)
        assert (
            fingerprint_differences(result.fingerprints, await table_fingerprints(tenant_a)) == []
        )
        assert await table_fingerprints(tenant_b) == before_b
        # Into a new database: only tenant A's schema is there.
        copy_name = unique_name("snapr")
        copy = DatabaseTarget(admin_dsn(), copy_name, tenant_a.schema)
        await dumps.create_database(copy, copy_name)
        try:
            await dumps.restore_dump(path, copy, keep_owners=False)
            whole = await table_fingerprints(DatabaseTarget(admin_dsn(), copy_name))
            assert fingerprint_differences(result.fingerprints, whole) == []
        finally:
            drop(copy_name)


async def test_a_failed_dump_raises_and_leaves_no_file(tmp_path: Path) -> None:
    with scratch_database() as name:
        target = DatabaseTarget(admin_dsn(), name, "no_such_schema")
        path = tmp_path / "bad.dump.partial"
        with pytest.raises(dumps.DumpError, match="pg_dump exited with 1"):
            await dumps.dump_target(target, path)
        assert not path.exists()


def test_the_password_goes_by_environment_never_on_the_command_line() -> None:
    target = DatabaseTarget("host=db.example user=admin password=s3cret dbname=postgres", "t1")
    conninfo, env = dumps._tool_args(target)
    assert "s3cret" not in conninfo and "dbname=t1" in conninfo
    assert env["PGPASSWORD"] == "s3cret"
    assert "s3cret" not in repr(target)


def test_tools_are_at_least_the_server_version() -> None:
    tools = find_pg_tools(13)
    assert tools.major >= 13 and tools.pg_dump.name == "pg_dump"
    with pytest.raises(PgToolsNotFound, match="version 99 or newer"):
        find_pg_tools(99)


def test_api_literals_spell_the_snapshot_enums() -> None:
    from typing import get_args

    from paybill_control_plane.datatier import snapshot_schemas as schemas
    from paybill_control_plane.models import enums

    assert get_args(schemas.SnapshotKind) == tuple(enums.SnapshotKind)
    assert get_args(schemas.SnapshotStatus) == tuple(enums.SnapshotStatus)
    assert get_args(schemas.RestoreMode) == tuple(enums.RestoreMode)
    assert get_args(schemas.RestoreStatus) == tuple(enums.RestoreStatus)
