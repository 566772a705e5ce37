"""Real Terraform runs on `local`: every model's tenants get real databases, isolated from each
other and from the control plane; suspend, resume, tenant keys and deprovision."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from paybill_control_plane.config import Settings
from tests.datatier.helpers import connect_as
from tests.factories import make_tenant, make_tier
from tests.live import Api
from tests.provisioning.stack_env import stack_environment, wait_for, wait_status

pytestmark = pytest.mark.terraform
MODELS = ("pooled", "bridge", "silo")


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, Settings]]:
    with stack_environment(tmp_path_factory.mktemp("stacks")) as pair:
        yield pair


@pytest.fixture(scope="module")
def tenants(env: tuple[Api, Settings]) -> dict[str, dict[str, Any]]:
    """Two tenants per model (a, b), provisioned; each has rotated its password and keeps a
    row in a table of its own."""
    api, _ = env
    made: dict[str, dict[str, Any]] = {}
    for model in MODELS:
        tier = make_tier(api, default_isolation=model, allowed_isolation=[model])
        for side in ("a", "b"):
            made[f"{model}-{side}"] = make_tenant(api, tier["key"])
    for key, tenant in made.items():
        wait_status(api, tenant["id"], "active", timeout=180)
        creds = api.ok("POST", f"/v1/tenants/{tenant['id']}/database/credentials")
        with connect_as(creds, creds["password"]) as conn:
            conn.execute("CREATE TABLE secrets (owner text)")
            conn.execute("INSERT INTO secrets VALUES (%s)", (key,))
        made[key] = tenant | {"db": creds}
    return made


def test_each_model_gets_the_objects_it_is_shaped_by(
    env: tuple[Api, Settings], tenants: dict[str, dict[str, Any]]
) -> None:
    api, _ = env
    pa, pb = tenants["pooled-a"]["db"], tenants["pooled-b"]["db"]
    assert pa["database"] == pb["database"] and pa["schema"] != pb["schema"]
    ba, sa = tenants["bridge-a"]["db"], tenants["silo-a"]["db"]
    assert ba["schema"] is None and sa["schema"] is None
    assert (
        len({pa["database"], ba["database"], sa["database"], tenants["silo-b"]["db"]["database"]})
        == 4
    )
    assert sa["connection_limit"] == 50 and ba["connection_limit"] is None
    run = api.ok("GET", f"/v1/tenants/{tenants['silo-a']['id']}/runs")["items"][-1]
    [step] = [s for s in run["steps"] if s["name"] == "database"]
    assert step["status"] == "succeeded" and step["duration_ms"] >= 0
    events = api.ok(
        "GET", "/v1/audit-events", params={"tenant_id": tenants["silo-a"]["id"], "limit": 200}
    )["items"]
    actions = [e["action"] for e in events]
    assert "database.created" in actions and "database.credentials_rotated" in actions
    assert not any(
        "password" in str(e["after"]).lower() for e in events if e["action"].startswith("database.")
    )


@pytest.mark.parametrize("model", MODELS)
def test_a_tenant_cannot_read_write_list_or_guess_another(
    env: tuple[Api, Settings], tenants: dict[str, dict[str, Any]], model: str
) -> None:
    _, settings = env
    a, b = tenants[f"{model}-a"]["db"], tenants[f"{model}-b"]["db"]
    with connect_as(a, a["password"]) as conn:
        assert conn.execute("SELECT owner FROM secrets").fetchall() == [(f"{model}-a",)]
        # Only its own tables are listed.
        listed = conn.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
        ).fetchall()
        assert listed == [(a["schema"] or "public", "secrets")]
        # It cannot become the other tenant's role.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(b["username"])))
        if model == "pooled":
            other = sql.Identifier(b["schema"], "secrets")
            for statement in (
                sql.SQL("SELECT * FROM {}").format(other),
                sql.SQL("INSERT INTO {} VALUES ('x')").format(other),
                sql.SQL("CREATE TABLE {} (x int)").format(sql.Identifier(b["schema"], "mine")),
                # A guessed name fails the same way as one that does not exist.
                sql.SQL("SELECT * FROM {}").format(sql.Identifier(b["schema"], "guessed")),
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(statement)
            assert conn.execute(
                "SELECT has_schema_privilege(%s, 'USAGE')", (b["schema"],)
            ).fetchone() == (False,)
    if model != "pooled":
        with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
            connect_as(a, a["password"], database=b["database"])
    # Nor the control plane's own database, nor another model's database.
    control_plane = make_url(settings.database_url or "").database
    for database in (control_plane, tenants["silo-b"]["db"]["database"]):
        with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
            connect_as(a, a["password"], database=database)


@pytest.mark.parametrize("model", MODELS)
def test_suspend_ends_sessions_and_refuses_login_resume_restores(
    env: tuple[Api, Settings], tenants: dict[str, dict[str, Any]], model: str
) -> None:
    api, _ = env
    tenant = tenants[f"{model}-b"]
    db = tenant["db"]
    session = connect_as(db, db["password"])
    api.ok("POST", f"/v1/tenants/{tenant['id']}/suspend", 202)
    wait_status(api, tenant["id"], "suspended", timeout=120)
    assert api.ok("GET", f"/v1/tenants/{tenant['id']}/database")["status"] == "suspended"
    with pytest.raises(psycopg.OperationalError):
        session.execute("SELECT 1")
    session.close()
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        connect_as(db, db["password"])
    refused = api.post(f"/v1/tenants/{tenant['id']}/database/credentials")
    assert refused.status_code == 409
    problem = refused.json()
    assert problem["type"].endswith("/database-suspended") and "resume" in problem["detail"]

    api.ok("POST", f"/v1/tenants/{tenant['id']}/resume", 202)
    wait_status(api, tenant["id"], "active", timeout=120)
    with connect_as(db, db["password"]) as conn:
        assert conn.execute("SELECT owner FROM secrets").fetchall() == [(f"{model}-b",)]
    actions = [
        e["action"]
        for e in api.ok(
            "GET", "/v1/audit-events", params={"tenant_id": tenant["id"], "limit": 200}
        )["items"]
    ]
    assert "database.suspended" in actions and "database.resumed" in actions


def test_a_tenant_key_sees_only_its_own_database(
    env: tuple[Api, Settings], tenants: dict[str, dict[str, Any]]
) -> None:
    api, _ = env
    own, other = tenants["pooled-a"], tenants["silo-a"]
    created = api.ok(
        "POST",
        "/v1/api-keys",
        201,
        json={"name": "tenant-db", "role": "tenant", "tenant_id": own["id"]},
    )
    with Api(str(api.base_url), created["key"]) as key:
        assert key.ok("GET", f"/v1/tenants/{own['id']}/database")["username"]
        for method, path in (
            ("GET", f"/v1/tenants/{other['id']}/database"),
            ("POST", f"/v1/tenants/{other['id']}/database/credentials"),
        ):
            response = key.request(method, path)
            assert response.status_code == 404 and response.json()["type"].endswith(
                "/tenant-not-found"
            )
        rotated = key.ok("POST", f"/v1/tenants/{own['id']}/database/credentials")
    with connect_as(rotated, rotated["password"]) as conn:
        assert conn.execute("SELECT owner FROM secrets").fetchall() == [("pooled-a",)]


def test_deprovision_drops_the_database_and_its_roles(
    env: tuple[Api, Settings], tenants: dict[str, dict[str, Any]]
) -> None:
    api, settings = env
    for key in ("pooled-a", "bridge-a", "silo-a"):
        tenant = tenants[key]
        api.ok("POST", f"/v1/tenants/{tenant['id']}/deprovision", 202)
    for key in ("pooled-a", "bridge-a", "silo-a"):
        tenant, db = tenants[key], tenants[key]["db"]
        wait_status(api, tenant["id"], "deprovisioned", timeout=180)
        gone = api.get(f"/v1/tenants/{tenant['id']}/database")
        assert gone.status_code == 404 and gone.json()["type"].endswith("/database-not-found")
        with pytest.raises(psycopg.OperationalError):
            connect_as(db, db["password"])
    admin_url = make_url(settings.database_url or "").set(database="postgres")
    with psycopg.connect(
        admin_url.render_as_string(hide_password=False).replace("+psycopg", ""), autocommit=True
    ) as conn:
        for key in ("pooled-a", "bridge-a", "silo-a"):
            db = tenants[key]["db"]
            owner = db["username"][:-2]
            roles = conn.execute(
                "SELECT count(*) FROM pg_roles WHERE starts_with(rolname, %s)", (owner,)
            ).fetchone()
            assert roles == (0,), key
        for key in ("bridge-a", "silo-a"):
            exists = conn.execute(
                "SELECT count(*) FROM pg_database WHERE datname = %s",
                (tenants[key]["db"]["database"],),
            ).fetchone()
            assert exists == (0,)
    # The pool's other tenant keeps its schema and data.
    b = tenants["pooled-b"]["db"]
    fresh = wait_for(lambda: api.ok("GET", f"/v1/tenants/{tenants['pooled-b']['id']}/database"))
    assert fresh["status"] == "available"
    with connect_as(b, b["password"]) as conn:
        assert conn.execute("SELECT owner FROM secrets").fetchall() == [("pooled-b",)]
