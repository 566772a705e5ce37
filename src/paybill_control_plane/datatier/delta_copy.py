"""The write freeze's copy: only what changed since the bulk copy (datatier/change_capture.py logs
it), applied to the target and verified, instead of the whole data again.

With the source frozen (its logins blocked, their sessions gone), in one REPEATABLE READ
transaction on the source: the capture must be usable (same catalog as when it started, else
`CaptureUnusable` and the caller copies everything), the log says which keys (or whole tables)
changed. In one transaction on the target (`session_replication_role = replica`: no user or
foreign-key trigger fires, so tables go in any order): the rows of those keys are deleted and the
source's current rows of those keys copied in (COPY, text format), whole tables are emptied and
copied again, and every sequence takes the source's value. Applying it twice gives the same target
(the source does not change while frozen), so a cutover run again after a crash redoes it.

Verification: the bulk copy proved every table of the target equal to the source (row count and
checksum, datatier/fingerprint.py). Inside the freeze only the changed tables are fingerprinted
again, on both sides; the others keep the bulk copy's fingerprints (no logged change on the source
— the capture covers every write, see change_capture — and no one writes the target, whose logins
are blocked until cutover).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from paybill_control_plane.datatier import change_capture as cc
from paybill_control_plane.datatier.fingerprint import (
    TableFingerprint,
    fingerprint_differences,
    fingerprints_to_json,
    one_table_fingerprint,
)
from paybill_control_plane.datatier.target import DatabaseTarget

_SEQUENCES = """
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %s AND c.relkind = 'S' ORDER BY 1
"""


class DeltaVerificationFailed(RuntimeError):
    """After the delta, a changed table differs between the source and the target."""


@dataclass(frozen=True, slots=True)
class DeltaResult:
    fingerprints: dict[str, TableFingerprint]  # every table, by name, equal on both sides
    changed_keys: dict[str, int]  # table -> keys copied again
    whole_tables: list[str]  # tables copied again whole (no primary key, or truncated)
    rows_copied: int
    read_seconds: float
    apply_seconds: float
    verify_seconds: float

    def to_json(self) -> dict[str, Any]:
        return {
            "mode": "delta",
            "tables": fingerprints_to_json(self.fingerprints),
            "changed_keys": self.changed_keys,
            "whole_tables": self.whole_tables,
            "rows_copied": self.rows_copied,
            "read_ms": int(self.read_seconds * 1000),
            "apply_ms": int(self.apply_seconds * 1000),
            "verify_ms": int(self.verify_seconds * 1000),
            "verified": True,
        }


def _key_match(table: cc.TableInfo, alias: str, source: sql.Composable) -> sql.Composed:
    """`(pk…) IN (keys as the key columns' types)`, keys from `source` (rows k(k1, k2…))."""
    cols = sql.SQL(", ").join(
        sql.SQL("{}.{}").format(sql.Identifier(alias), sql.Identifier(c)) for c in table.key_columns
    )
    casts = sql.SQL(", ").join(
        sql.SQL("k.{}::{}").format(sql.Identifier(f"k{i}"), sql.SQL(t))
        for i, t in enumerate(table.key_types)
    )
    return sql.SQL("({}) IN (SELECT {} FROM {})").format(cols, casts, source)


def _key_names(table: cc.TableInfo) -> sql.Composable:
    return sql.SQL(", ").join(sql.Identifier(f"k{i}") for i in range(len(table.key_columns)))


async def _stream(
    src: psycopg.AsyncConnection[Any], dst: psycopg.AsyncConnection[Any], out: sql.Composed,
    into: sql.Composed,
) -> int:  # fmt: skip
    """COPY rows from the source to the target (text format); returns the rows copied."""
    copied = 0
    async with (
        src.cursor() as scur,
        dst.cursor() as dcur,
        scur.copy(out) as reading,
        dcur.copy(into) as writing,
    ):
        async for chunk in reading:
            copied += bytes(chunk).count(b"\n")
            await writing.write(chunk)
    return copied


async def _apply_table(
    src: psycopg.AsyncConnection[Any], dst: psycopg.AsyncConnection[Any], source: DatabaseTarget,
    target: DatabaseTarget, s_info: cc.TableInfo, t_info: cc.TableInfo,
    keys: list[list[str]] | None,
) -> int:  # fmt: skip
    s_rel = sql.Identifier(str(source.schema), s_info.name)
    t_rel = sql.Identifier(str(target.schema), t_info.name)
    cols = sql.SQL(", ").join(sql.Identifier(c) for c in s_info.columns)
    if keys is None:
        await dst.execute(sql.SQL("DELETE FROM ONLY {}").format(t_rel))
        out = sql.SQL("COPY (SELECT {} FROM ONLY {} AS t) TO STDOUT").format(cols, s_rel)
    else:
        columns = [list(c) for c in zip(*keys, strict=True)]
        unnest = sql.SQL("unnest({}) AS k({})").format(
            sql.SQL(", ").join(sql.SQL("%s::text[]") for _ in columns), _key_names(t_info)
        )
        await dst.execute(
            sql.SQL("DELETE FROM ONLY {} AS t WHERE {}").format(
                t_rel, _key_match(t_info, "t", unnest)
            ),
            columns,
        )
        log = sql.SQL("(SELECT DISTINCT {} FROM {} WHERE tbl = {} AND pk IS NOT NULL) AS k").format(
            sql.SQL(", ").join(
                sql.SQL("pk[{}] AS {}").format(sql.Literal(i + 1), sql.Identifier(f"k{i}"))
                for i in range(len(s_info.key_columns))
            ),
            sql.Identifier(cc.capture_schema(source), "log"),
            sql.Literal(s_info.name),
        )
        out = sql.SQL("COPY (SELECT {} FROM ONLY {} AS t WHERE {}) TO STDOUT").format(
            cols, s_rel, _key_match(s_info, "t", log)
        )
    into = sql.SQL("COPY {} ({}) FROM STDIN").format(t_rel, cols)
    return await _stream(src, dst, out, into)


async def _sync_sequences(
    src: psycopg.AsyncConnection[Any], dst: psycopg.AsyncConnection[Any], source: DatabaseTarget,
    target: DatabaseTarget,
) -> None:  # fmt: skip
    cur = await src.execute(_SEQUENCES, (source.schema,))
    for (name,) in await cur.fetchall():
        cur = await src.execute(
            sql.SQL("SELECT last_value, is_called FROM {}").format(
                sql.Identifier(str(source.schema), name)
            )
        )
        row = await cur.fetchone()
        assert row is not None
        seq = sql.Identifier(str(target.schema), name).as_string(dst)
        await dst.execute("SELECT setval(%s::regclass, %s, %s)", (seq, row[0], row[1]))


async def apply_changes(
    source: DatabaseTarget,
    target: DatabaseTarget,
    baseline: Mapping[str, TableFingerprint],
) -> DeltaResult:
    """Bring the target (equal to the source at the bulk copy: `baseline`) to the frozen source's
    state by copying what the source's capture logged, and verify the changed tables."""
    started = time.perf_counter()
    src = await cc.connect(source)
    dst = await cc.connect(target)
    try:
        await src.set_isolation_level(psycopg.IsolationLevel.REPEATABLE_READ)
        await src.set_read_only(True)
        async with src.transaction():
            await cc.check_capture(src, source)
            s_tables = await cc.tables_of(src, str(source.schema))
            if set(s_tables) != set(baseline):
                raise cc.CaptureUnusable("the tables differ from the bulk copy's")
            whole, keys = await cc.changed(src, source)
            whole |= {t for t in keys if not s_tables[t].key_columns}
            read = time.perf_counter()
            copied = 0
            async with dst.transaction():
                await dst.execute("SET LOCAL session_replication_role = replica")
                t_tables = await cc.tables_of(dst, str(target.schema))
                for name in sorted(whole | set(keys)):
                    todo = None if name in whole else keys[name]
                    copied += await _apply_table(
                        src, dst, source, target, s_tables[name], t_tables[name], todo
                    )
                await _sync_sequences(src, dst, source, target)
            applied = time.perf_counter()
            changed_tables = sorted(whole | set(keys))
            ours, theirs = await asyncio.gather(
                _fingerprints(src, source, changed_tables),
                _fingerprints(dst, target, changed_tables),
            )
    finally:
        await src.close()
        await dst.close()
    problems = fingerprint_differences(ours, theirs)
    if problems:
        raise DeltaVerificationFailed("delta differs from its source: " + "; ".join(problems[:10]))
    return DeltaResult(
        fingerprints={**baseline, **theirs},
        changed_keys={t: len(k) for t, k in keys.items() if t not in whole},
        whole_tables=sorted(whole),
        rows_copied=copied,
        read_seconds=read - started,
        apply_seconds=applied - read,
        verify_seconds=time.perf_counter() - applied,
    )


async def _fingerprints(
    conn: psycopg.AsyncConnection[Any], side: DatabaseTarget, tables: list[str]
) -> dict[str, TableFingerprint]:
    return {t: await one_table_fingerprint(conn, str(side.schema), t) for t in tables}
