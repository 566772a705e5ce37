"""Processes that start together on a fresh database all migrate it without failing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from alembic.script import ScriptDirectory

from paybill_control_plane.db import migrate
from paybill_control_plane.db.embedded import to_libpq_url
from tests.db import create_empty_database, drop_database
from tests.provisioning.stack_env import wait_for

# Each process imports everything first, then waits for the go file: the three upgrades then
# start within milliseconds of each other, the worst case for the race.
START_TOGETHER = """
import pathlib, sys, time
from paybill_control_plane.cli.main import app
pathlib.Path(sys.argv[1]).touch()
while not pathlib.Path(sys.argv[2]).exists():
    time.sleep(0.005)
app(["db", "upgrade"])
"""


@pytest.mark.slow
def test_three_concurrent_upgrades_on_a_fresh_database_all_succeed(tmp_path: Path) -> None:
    url = create_empty_database("race")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAYBILL_")}
    env["PAYBILL_DATABASE_URL"] = url
    go = tmp_path / "go"
    ready = [tmp_path / f"ready-{i}" for i in range(3)]
    try:
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", START_TOGETHER, str(flag), str(go)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for flag in ready
        ]
        wait_for(lambda: all(flag.exists() for flag in ready), timeout=120, interval=0.01)
        go.touch()
        outputs = [proc.communicate(timeout=300)[0] for proc in procs]
        assert [proc.returncode for proc in procs] == [0, 0, 0], outputs
        with psycopg.connect(to_libpq_url(url)) as conn:
            versions = [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")]
        heads = ScriptDirectory.from_config(migrate.alembic_config(url)).get_heads()
        assert sorted(versions) == sorted(heads)
    finally:
        drop_database(url)


def test_lock_is_released_after_the_upgrade() -> None:
    url = create_empty_database("lock")
    try:
        migrate.upgrade(url)
        with psycopg.connect(to_libpq_url(url)) as conn:
            held = conn.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            ).fetchone()
        assert held == (0,)
        migrate.upgrade(url)  # a second upgrade finds nothing to do and does not block
    finally:
        drop_database(url)
