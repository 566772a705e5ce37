"""The dump engine: a consistent `pg_dump` of a `DatabaseTarget` and `pg_restore` of it.

A dump and its fingerprints come from one MVCC snapshot: a repeatable-read transaction exports its
snapshot, `pg_dump --snapshot` dumps exactly that, and the fingerprints are computed in the same
transaction while the dump runs. The file is written under the name the caller gives (a temporary
one), fsynced and hashed; the caller publishes it. Passwords go to the tools through PGPASSWORD,
never on a command line nor in a log line.
"""

from __future__ import annotations

import asyncio
import ctypes
import hashlib
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from paybill_control_plane.datatier.fingerprint import (
    TableFingerprint,
    connect_target,
    fingerprints_on,
)
from paybill_control_plane.datatier.names import CAPTURE_SCHEMA_PREFIX, is_capture_trigger_entry
from paybill_control_plane.datatier.pg_tools import PgTools, find_pg_tools
from paybill_control_plane.datatier.target import DatabaseTarget

LineSink = Callable[[str], Awaitable[None]]
_TAIL_LINES = 20
_CHUNK = 1 << 20


class DumpError(RuntimeError):
    """pg_dump or pg_restore failed; the message holds the tool's last lines (never a password)."""


@dataclass(frozen=True, slots=True)
class DumpResult:
    size: int
    sha256: str
    fingerprints: dict[str, TableFingerprint]
    seconds: float
    tools_major: int


def _tool_args(target: DatabaseTarget) -> tuple[str, dict[str, str]]:
    """The conninfo for a tool's command line (no password) and the environment carrying it."""
    params = conninfo_to_dict(target.admin_dsn)
    password = params.pop("password", None)
    params["dbname"] = target.database
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    if password is not None:
        env["PGPASSWORD"] = str(password)
    return make_conninfo(**{k: str(v) for k, v in params.items() if v is not None}), env


async def server_major(target: DatabaseTarget) -> int:
    """The target server's major version."""
    async with await psycopg.AsyncConnection.connect(connect_target(target)) as conn:
        return conn.info.server_version // 10000


def _die_with_parent() -> None:
    """Linux: the tool gets SIGKILL when the worker dies (kill -9), so no orphaned pg_dump keeps
    writing a file nobody will publish, nor a pg_restore into a database being made again."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the next attempt still redoes the work
        pass


async def _run_tool(argv: list[str], env: dict[str, str], on_line: LineSink | None) -> None:
    proc = await asyncio.create_subprocess_exec(
        *argv,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        env=env,
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )
    assert proc.stderr is not None
    tail: deque[str] = deque(maxlen=_TAIL_LINES)
    try:
        async for raw in proc.stderr:
            line = raw.decode(errors="replace").rstrip()
            tail.append(line)
            if on_line is not None:
                await on_line(line)
        code = await proc.wait()
    except BaseException:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        raise
    if code != 0:
        errors = [line for line in tail if "error" in line.lower()] or list(tail)
        raise DumpError(
            f"{Path(argv[0]).name} {_exit_text(code)}: " + " | ".join(errors[-5:])[:2000]
        )


def _exit_text(code: int) -> str:
    """How the tool ended, a signal by its name (SIGXFSZ: a file size limit was exceeded)."""
    if code >= 0:
        return f"exited with {code}"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = f"signal {-code}"
    why = {"SIGXFSZ": " (file size limit exceeded, RLIMIT_FSIZE)", "SIGKILL": " (killed)"}
    return f"was stopped by {name}{why.get(name, '')}"


def _seal(path: Path) -> tuple[int, str]:
    """fsync the file and return its size and sha256."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
        os.fsync(handle.fileno())
    return size, digest.hexdigest()


async def dump_target(
    target: DatabaseTarget,
    path: Path,
    *,
    pg_bin_dir: Path | None = None,
    on_line: LineSink | None = None,
) -> DumpResult:
    """Dump the target (custom format) to `path`, fsynced; size, sha256 and fingerprints."""
    started = time.perf_counter()
    await asyncio.to_thread(path.unlink, missing_ok=True)
    conn = await psycopg.AsyncConnection.connect(connect_target(target))
    try:
        await conn.set_isolation_level(psycopg.IsolationLevel.REPEATABLE_READ)
        await conn.set_read_only(True)
        cur = await conn.execute("SELECT pg_export_snapshot()")
        row = await cur.fetchone()
        assert row is not None
        tools = find_pg_tools(conn.info.server_version // 10000, pg_bin_dir)
        dsn, env = _tool_args(target)
        argv = [str(tools.pg_dump), "--format=custom", "--verbose", f"--snapshot={row[0]}"]
        argv += [f"--file={path}"]
        if target.schema is not None:
            argv.append(f"--schema={target.schema}")
        else:  # a whole database: not a migration's change capture, if one is running
            argv.append(f"--exclude-schema={CAPTURE_SCHEMA_PREFIX}*")
        argv += ["--dbname", dsn]
        dumping = asyncio.create_task(_run_tool(argv, env, on_line))
        try:
            prints = await fingerprints_on(conn, target.schema)
        finally:
            # The exported snapshot must outlive pg_dump's start: the transaction stays open.
            await asyncio.wait([dumping])
        dumping.result()
        await conn.rollback()
    except BaseException:
        await asyncio.to_thread(path.unlink, missing_ok=True)
        raise
    finally:
        await conn.close()
    size, digest = await asyncio.to_thread(_seal, path)
    return DumpResult(size, digest, prints, time.perf_counter() - started, tools.major)


async def restore_dump(
    path: Path,
    target: DatabaseTarget,
    *,
    clean: bool = False,
    keep_owners: bool = True,
    pg_bin_dir: Path | None = None,
    on_line: LineSink | None = None,
    jobs: int = 1,
) -> PgTools:
    """pg_restore the dump into the target's database (which must exist); stops at an error."""
    tools = find_pg_tools(await server_major(target), pg_bin_dir)
    dsn, env = _tool_args(target)
    argv = [str(tools.pg_restore), "--verbose", "--exit-on-error", f"--jobs={jobs}"]
    if clean:
        argv += ["--clean", "--if-exists"]
    if not keep_owners:
        argv += ["--no-owner", "--no-acl"]
    listing = path.with_name(path.name + ".list")
    argv += [f"--use-list={await _restore_list(tools, path, listing)}"]
    argv += ["--dbname", dsn, str(path)]
    try:
        await _run_tool(argv, env, on_line)
    finally:
        await asyncio.to_thread(listing.unlink, missing_ok=True)
    return tools


async def _restore_list(tools: PgTools, dump: Path, listing: Path) -> Path:
    """The dump's table of contents without a migration's change-capture triggers (a snapshot
    taken while one ran has them; their functions live outside the tenant's data)."""
    proc = await asyncio.create_subprocess_exec(
        str(tools.pg_restore), "--list", str(dump), stdout=asyncio.subprocess.PIPE
    )
    out, _ = await proc.communicate()
    if proc.returncode != 0:
        raise DumpError(f"pg_restore --list exited with {proc.returncode}")
    keep = [line for line in out.decode().splitlines() if not is_capture_trigger_entry(line)]
    await asyncio.to_thread(listing.write_text, "\n".join(keep) + "\n")
    return listing


async def _admin(target: DatabaseTarget, statement: sql.Composed, *args: Any) -> None:
    async with await psycopg.AsyncConnection.connect(target.admin_dsn, autocommit=True) as conn:
        await conn.execute(statement, args or None)


async def database_exists(target: DatabaseTarget, name: str) -> bool:
    async with await psycopg.AsyncConnection.connect(target.admin_dsn, autocommit=True) as conn:
        cur = await conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        return await cur.fetchone() is not None


async def create_database(target: DatabaseTarget, name: str) -> None:
    """Create an empty database on the target's server."""
    await _admin(target, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


async def drop_database(target: DatabaseTarget, name: str) -> None:
    """Drop a database on the target's server (its sessions are ended); absent is fine."""
    await _admin(
        target, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    )


async def drop_schema(target: DatabaseTarget) -> None:
    """Drop the target's schema and everything in it (an in-place restore of a pooled tenant)."""
    assert target.schema is not None
    async with await psycopg.AsyncConnection.connect(
        connect_target(target), autocommit=True
    ) as conn:
        await conn.execute(
            sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(target.schema))
        )


_USER_SCHEMAS = (
    "SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema') "
    "AND nspname NOT LIKE 'pg\\_%'"
)


async def reset_database(target: DatabaseTarget) -> None:
    """Empty a whole database for an in-place restore: every user schema goes, `public` comes
    back as a fresh one (the dump re-applies any change it had to its owner or privileges)."""
    connecting = psycopg.AsyncConnection.connect(connect_target(target))
    async with await connecting as conn, conn.transaction():
        cur = await conn.execute(_USER_SCHEMAS)
        for (name,) in await cur.fetchall():
            await conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))
        owner = "pg_database_owner" if conn.info.server_version >= 140000 else "CURRENT_USER"
        await conn.execute(sql.SQL("CREATE SCHEMA public AUTHORIZATION {}").format(sql.SQL(owner)))
        await conn.execute("GRANT USAGE ON SCHEMA public TO PUBLIC")


async def file_sha256(path: Path) -> str:
    """sha256 of a file (a fetched snapshot is checked against its recorded checksum)."""

    def digest() -> str:
        h = hashlib.sha256()
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                h.update(chunk)
        return h.hexdigest()

    return await asyncio.to_thread(digest)
