"""A snapshot that runs out of room: a real full disk (ENOSPC: the worker's snapshot store is a
256 KiB tmpfs, mounted in the worker's own mount namespace) and a real file-size limit
(RLIMIT_FSIZE on the worker, inherited by its pg_dump, which the kernel stops with SIGXFSZ: Python
gives every child the default action for it, so it is a signal, not an EFBIG). Either way the snapshot ends `failed` with
pg_dump's error, no file is listed, the staging file is gone (its room is given back: a
snapshot that fits then completes on the same store)."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest

from paybill_control_plane.config import Settings
from paybill_control_plane.db.embedded import to_libpq_url
from tests.conftest import TEST_SECRET_KEY
from tests.datatier.helpers import connect_as
from tests.datatier.snapshot_helpers import tenant_with_data
from tests.datatier.test_snapshot_crashes import _stop, env
from tests.live import Api
from tests.provisioning.stack_env import wait_for

__all__ = ["env"]
LIMIT = 256 * 1024


def _limit_file_size() -> None:
    """In the worker (and so its pg_dump): files may not grow past LIMIT (as `ulimit -f` or
    systemd's LimitFSIZE would do)."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def _worker(url: str, data_dir: Path, store: Path, how: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PAYBILL_DATABASE_URL": url,
        "PAYBILL_DATA_DIR": str(data_dir),
        "PAYBILL_SNAPSHOT_STORE": str(store),
        "PAYBILL_SECRET_KEY": TEST_SECRET_KEY,
        "PAYBILL_LOG_LEVEL": "warning",
    }
    argv = [sys.executable, "-m", "paybill_control_plane.cli.main", "worker"]
    argv += ["--name", f"disk-{how}", "--queue", "snapshots"]
    preexec: Callable[[], None] | None = None
    if how == "enospc":  # its own mount namespace: the tmpfs is the worker's alone
        mount = f'mount -t tmpfs -o size={LIMIT} tmpfs {store} && exec "$@"'
        argv = ["unshare", "--mount", "--map-root-user", "sh", "-c", mount, "sh", *argv]
    else:
        preexec = _limit_file_size
    return subprocess.Popen(
        argv,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(data_dir.parent / f"disk-{how}.log").open("wb"),
        preexec_fn=preexec,
    )


def _settled(api: Api, path: str) -> dict[str, Any] | None:
    found = api.ok("GET", path)
    return found if found["status"] in ("completed", "failed") else None


@pytest.mark.parametrize(
    ("how", "message"),
    [("enospc", "No space left on device"), ("fsize", "stopped by SIGXFSZ (file size limit")],
)
def test_a_full_disk_leaves_a_failed_snapshot_and_no_file(
    env: tuple[Api, Settings, str], tmp_path: Path, how: str, message: str
) -> None:
    if how == "enospc" and shutil.which("unshare") is None:
        pytest.fail("util-linux's unshare is needed to give the worker its own small disk")
    api, settings, url = env
    tenant, creds = tenant_with_data(api, settings, url, "bridge", rows=50)
    with connect_as(creds, creds["password"]) as conn:  # about 2 MB of dump: too big
        conn.execute("CREATE TABLE blobs (id int, body text)")
        conn.execute(
            "INSERT INTO blobs SELECT g, string_agg(md5(g::text || ':' || i), '') "
            "FROM generate_series(1, 500) g, generate_series(1, 100) i GROUP BY g"
        )
    data_dir, store = tmp_path / "data", tmp_path / "store"
    store.mkdir()
    worker = _worker(url, data_dir, store, how)
    # What the worker sees of the store (its mount namespace's view, for the tmpfs).
    seen = Path(f"/proc/{worker.pid}/root") / str(store).lstrip("/") if how == "enospc" else store
    base = f"/v1/tenants/{tenant['id']}/snapshots"
    try:
        snap = api.ok("POST", base, 202)
        failed = wait_for(lambda: _settled(api, f"{base}/{snap['id']}"), timeout=120)
        assert failed["status"] == "failed", failed
        assert message in failed["error"] and "pg_dump" in failed["error"], failed["error"]
        assert failed["checksum"] is None and failed["size_bytes"] is None
        assert [s["status"] for s in failed["steps"] if s["name"] == "dump"] == ["failed"]
        assert api.ok("GET", f"{base}?status=completed")["items"] == []
        assert [p for p in seen.rglob("*") if p.is_file()] == []  # no .partial left
        with psycopg.connect(to_libpq_url(url)) as conn:
            audited = conn.execute(
                "SELECT after->>'error' FROM audit_events WHERE target_id = %s "
                "AND action = 'snapshot.failed'",
                (snap["id"],),
            ).fetchall()
        assert len(audited) == 1 and message in str(audited[0][0])

        # The failed dump's room was given back: a snapshot that fits completes there.
        with connect_as(creds, creds["password"]) as conn:
            conn.execute("DROP TABLE blobs")
        small = api.ok("POST", base, 202)
        done = wait_for(lambda: _settled(api, f"{base}/{small['id']}"), timeout=120)
        assert done["status"] == "completed", done["error"]
        files = [p.name for p in seen.rglob("*") if p.is_file()]
        assert files == [f"{small['id']}.dump"]
    finally:
        _stop(worker)
