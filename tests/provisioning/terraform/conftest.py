"""Fixtures for the Terraform runner tests: a throwaway pg-backend database and stack directories.

The database ``paybill_tf_runner_<random>`` is created on the server of
``$PAYBILL_TEST_DATABASE_URL`` (any SQLAlchemy URL; only the server and credentials are used), or
on ``postgresql://postgres@127.0.0.1:5432`` when unset, and dropped at the end of the session.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import URL, make_url

from paybill_control_plane.provisioning.terraform import TerraformRunner
from tests.provisioning.terraform.helpers import write_inputs

ROOT = Path(__file__).resolve().parents[3]
LOCAL_MODULES = ROOT / "terraform-modules" / "local"
FALLBACK_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
SCHEMA = "terraform_state"

StackFactory = Callable[..., Path]


def _server() -> URL:
    url = make_url(os.environ.get("PAYBILL_TEST_DATABASE_URL") or FALLBACK_SERVER)
    return url.set(drivername="postgresql")


def _libpq(url: URL, database: str) -> str:
    return url.set(database=database).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def tf_conn_str() -> Iterator[str]:
    """The pg backend's ``conn_str`` for a fresh database (dropped after the session)."""
    server = _server()
    name = f"paybill_tf_runner_{uuid.uuid4().hex[:10]}"
    admin = _libpq(server, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn_url = server.set(database=name)
    if "sslmode" not in conn_url.query:  # Terraform's lib/pq defaults to sslmode=require
        conn_url = conn_url.update_query_dict({"sslmode": "disable"})
    try:
        yield _libpq(conn_url, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture(scope="session")
def backend_config(tf_conn_str: str) -> dict[str, str]:
    return {"conn_str": tf_conn_str, "schema_name": SCHEMA}


@pytest.fixture
def make_stack(tmp_path: Path) -> StackFactory:
    """``make_stack(model, inputs, name=None)``: a stack working directory rendered like the
    control plane does (module files + ``backend.tf.json`` + ``paybill.auto.tfvars.json``)."""

    def make(model: str, inputs: dict[str, Any], name: str | None = None) -> Path:
        stack = tmp_path / (name or model)
        stack.mkdir()
        for src in (LOCAL_MODULES / model).glob("*.tf"):
            shutil.copy2(src, stack / src.name)
        backend: dict[str, Any] = {"terraform": {"backend": {"pg": {}}}}
        (stack / "backend.tf.json").write_text(json.dumps(backend))
        write_inputs(stack, inputs)
        return stack

    return make


@pytest.fixture
def log_lines() -> list[str]:
    return []


@pytest.fixture
def runner(log_lines: list[str]) -> TerraformRunner:
    return TerraformRunner(on_output=log_lines.append, lock_timeout="30s")


@pytest.fixture
def workspace_name() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"
