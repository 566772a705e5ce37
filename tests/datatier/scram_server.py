"""A private Postgres server that checks passwords (SCRAM), for what trust auth cannot show.

The shared test server trusts 127.0.0.1, so a password, or its VALID UNTIL, is never checked
there. This one is made with initdb (as the `postgres` system user when running as root) in a
temporary directory and stopped and removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.live import free_port

BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def _binary(name: str) -> str:
    for directory in BIN_DIRS:
        if (directory / name).exists():
            return str(directory / name)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} is not installed")
    return found


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@contextmanager
def scram_server() -> Iterator[str]:
    """Yields the libpq URL of the new server's superuser (with its password)."""
    root = Path(tempfile.mkdtemp(prefix="paybill-scram-"))
    password = os.urandom(12).hex()
    (root / "pw").write_text(password)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(root / "pw", "postgres")
    data, port = root / "data", free_port()
    subprocess.run(
        _as_postgres(
            [_binary("initdb"), "-D", str(data), "-U", "postgres", f"--pwfile={root / 'pw'}",
             "--auth=scram-sha-256", "-E", "UTF8", "--no-sync"]
        ),
        check=True, capture_output=True,
    )  # fmt: skip
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    ctl = [_binary("pg_ctl"), "-D", str(data)]
    subprocess.run(
        _as_postgres([*ctl, "-o", options, "-l", str(root / "log"), "-w", "start"]),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres:{password}@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres([*ctl, "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
