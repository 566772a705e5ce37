"""A wrong or unreachable database: one line on stderr, exit code 3, no traceback, no password."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from paybill_control_plane.cli._runtime import redact_url
from tests.cli.helpers import paybill
from tests.db import _admin_libpq
from tests.live import free_port

EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "catalog.yaml")
SECRET = "s3cret-pw"

# Every command that touches the database, with arguments that get it as far as connecting.
COMMANDS = [
    ("db", "upgrade"),
    ("db", "check"),
    ("serve", "--port", "1"),
    ("worker",),
    ("catalog", "apply", EXAMPLE),
    ("catalog", "apply", "--dry-run", EXAMPLE),
    ("tenants", "list"),
    ("tenants", "get", "acme"),
    ("tenants", "suspend", "acme"),
    ("runs", "list"),
    ("runs", "retry", "00000000-0000-0000-0000-000000000000"),
    ("runs", "logs", "00000000-0000-0000-0000-000000000000"),
    ("keys", "list"),
    ("keys", "create", "--role", "admin", "--name", "x"),
    ("audit", "verify"),
]


@pytest.fixture(scope="module")
def closed_port_url() -> str:
    # free_port() binds and releases a port: nothing listens there afterwards.
    return f"postgresql+psycopg://bob:{SECRET}@127.0.0.1:{free_port()}/paybill"


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_unreachable_database_is_one_line(closed_port_url: str, args: tuple[str, ...]) -> None:
    result = paybill(closed_port_url, *args)
    assert result.exit_code == 3, result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an escaped error
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    port = closed_port_url.rsplit(":", 1)[1].split("/")[0]
    assert lines[0].startswith(
        f"error: cannot connect to the database at postgresql+psycopg://bob@127.0.0.1:{port}/paybill: "
    )
    assert "refused" in lines[0].lower()
    assert SECRET not in result.output


def test_wrong_password_names_the_login_problem(database_url: str) -> None:
    wrong = make_url(database_url).set(username="no_such_role_x", password=SECRET)
    result = paybill(wrong.render_as_string(hide_password=False), "tenants", "list")
    assert result.exit_code == 3, result.output
    [line] = result.stderr.strip().splitlines()
    assert "no_such_role_x" in line and SECRET not in result.output
    assert line.startswith("error: cannot connect to the database at postgresql+psycopg://")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("not a url", "error: PAYBILL_DATABASE_URL is not a database URL"),
        (
            f"postgresql://bob:{SECRET}@127.0.0.1:5432/x",
            "error: PAYBILL_DATABASE_URL postgresql://bob@127.0.0.1:5432/x uses 'postgresql'",
        ),
        (f"mysql://bob:{SECRET}@db/x", "uses 'mysql'"),
    ],
)
def test_unusable_url_is_one_line(url: str, expected: str) -> None:
    result = paybill(url, "db", "upgrade")
    assert result.exit_code == 3, result.output
    [line] = result.stderr.strip().splitlines()
    assert expected in line and SECRET not in result.output


def test_installed_entry_point_prints_no_traceback() -> None:
    url = f"postgresql+psycopg://bob:{SECRET}@127.0.0.1:{free_port()}/paybill"
    env = {**os.environ, "PAYBILL_DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-m", "paybill_control_plane.cli.main", "tenants", "list"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 3
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("error: cannot connect to the database at ")
    assert SECRET not in done.stderr


def test_a_database_without_schema_says_to_migrate(database_url: str) -> None:
    name = f"{make_url(database_url).database}_empty"[:63]
    with psycopg.connect(_admin_libpq(database_url), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        empty = make_url(database_url).set(database=name).render_as_string(hide_password=False)
        result = paybill(empty, "tenants", "list")
        assert result.exit_code == 3, result.output
        [line] = result.stderr.strip().splitlines()
        assert line == (
            f"error: the database at {redact_url(empty)} has no schema yet: run `paybill db upgrade`"
        )
    finally:
        with psycopg.connect(_admin_libpq(database_url), autocommit=True) as conn:
            drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            conn.execute(drop.format(sql.Identifier(name)))
