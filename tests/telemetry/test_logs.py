"""PAYBILL_LOG_FORMAT: JSON lines with context; uvicorn's and procrastinate's lines share the
format; no secret reaches a log line."""

from __future__ import annotations

import asyncio
import contextvars
import io
import logging
import uuid
from datetime import datetime, timedelta

import pytest

from paybill_control_plane.app import create_app
from paybill_control_plane.config import Settings
from paybill_control_plane.db.engine import make_engine, make_sessionmaker
from paybill_control_plane.kit.request_context import request_id_var, run_id_var, tenant_id_var
from paybill_control_plane.telemetry.logs import configure_from_settings, configure_logging
from paybill_control_plane.telemetry.redact import redact, secrets_in_scope
from paybill_control_plane.worker.app import build_app
from tests.conftest import TEST_SECRET_KEY, create_key_sync, unique
from tests.factories import make_tenant, make_tier
from tests.live import Api
from tests.telemetry.helpers import ServeLikeServer, json_lines

pytestmark = pytest.mark.usefixtures("restore_logging")
log = logging.getLogger("paybill_control_plane.tests")


def test_json_lines_carry_time_level_logger_message_and_context() -> None:
    buffer = io.StringIO()
    configure_logging("info", "json", buffer)

    def in_a_request() -> None:
        request_id_var.set("req-1")
        tenant_id_var.set("tenant-1")
        run_id_var.set("run-1")
        log.info("converged %s stacks", 3)
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            log.exception("it failed")

    contextvars.copy_context().run(in_a_request)
    log.debug("below the level")
    log.warning("outside any request")
    first, failure, outside = json_lines(buffer.getvalue())
    assert first["message"] == "converged 3 stacks" and first["level"] == "info"
    assert first["logger"] == "paybill_control_plane.tests"
    assert (first["request_id"], first["tenant_id"], first["run_id"]) == (
        "req-1",
        "tenant-1",
        "run-1",
    )
    stamp = datetime.fromisoformat(first["timestamp"])
    assert stamp.utcoffset() == timedelta(0)
    assert failure["level"] == "error" and "RuntimeError: boom" in failure["exception"]
    assert outside["message"] == "outside any request" and "request_id" not in outside


def test_text_is_the_default_format() -> None:
    assert Settings().log_format == "text"
    buffer = io.StringIO()
    configure_logging("info", "text", buffer)
    contextvars.copy_context().run(lambda: (run_id_var.set("run-9"), log.info("hello")))
    [line] = buffer.getvalue().splitlines()
    assert " INFO paybill_control_plane.tests: hello [run_id=run-9]" in line


async def test_uvicorn_and_procrastinate_lines_go_through_the_json_formatter(
    settings: Settings, database_url: str
) -> None:
    buffer = io.StringIO()
    configure_logging("info", "json", buffer)
    server = ServeLikeServer(create_app(settings)).start()
    try:
        with Api(server.url, None) as anon:
            response = anon.get("/healthz", headers={"X-Request-ID": "trace-me-1"})
            assert response.status_code == 200
    finally:
        server.stop()
    # A worker on a queue of its own (so it takes no other test's job), stopped once it logged.
    engine = make_engine(database_url, pool_size=1)
    jobs = build_app(database_url, make_sessionmaker(engine), settings)
    async with jobs.open_async():
        task = asyncio.create_task(
            jobs.run_worker_async(queues=[unique("nothing")], install_signal_handlers=False)
        )
        for _ in range(500):
            if '"logger": "procrastinate' in buffer.getvalue():
                break
            await asyncio.sleep(0.02)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    await engine.dispose()

    lines = json_lines(buffer.getvalue())  # every line is one JSON object
    loggers = {line["logger"] for line in lines}
    assert "uvicorn.error" in loggers  # "Started server process", "Application startup…"
    assert any(name.startswith("procrastinate") for name in loggers), loggers
    [access] = [
        line
        for line in lines
        if line["logger"] == "uvicorn.access" and "/healthz" in line["message"]
    ]
    assert "200" in access["message"] and access["level"] == "info"


def test_redaction_patterns() -> None:
    key = "pbk_" + "A1b2C3d4" * 5
    cases = {
        f"key {key} used": "key pbk_*** used",
        "sk_live_51HxYzABCDEF0123 and rk_test_9xYz0123456789": "sk_live_*** and rk_test_***",
        "secret whsec_abcDEF0123456789+/=": "secret whsec_***",
        "postgresql+psycopg://paybill:s3cr3t-pw@db:5432/paybill": "postgresql+psycopg://paybill:***@db:5432/paybill",
        "host=db user=u password=s3cr3t-pw dbname=x": "host=db user=u password=*** dbname=x",
        "{'Authorization': 'Bearer abc.def.ghi-123456'}": "{'Authorization': 'Bearer ***'}",
        "authorization: Basic dXNlcjpwYXNz": "authorization: Basic ***",
        '{"secret_access_key": "wJalrXUtnFEMI/K7MDENG"}': '{"secret_access_key": ***}',
        "client_secret=abc123456789&x=1": "client_secret=***&x=1",
        "nothing secret here: tenant acme, 3 stacks": "nothing secret here: tenant acme, 3 stacks",
    }
    for raw, expected in cases.items():
        assert redact(raw) == expected, raw


def test_a_runs_credentials_are_masked_in_its_log_lines_only() -> None:
    buffer = io.StringIO()
    configure_logging("info", "text", buffer)
    credential = f"cred-{uuid.uuid4().hex}"
    learned: list[str] = []
    with secrets_in_scope(lambda: learned):
        learned.append(credential)  # known only part-way through, like a run's credentials
        log.info("terraform said: token %s rejected", credential)
    log.info("after the run: %s", credential)
    inside, after = buffer.getvalue().splitlines()
    assert credential not in inside and "token *** rejected" in inside
    assert credential in after  # the scope ended with the run


def test_no_secret_reaches_the_logs(database_url: str) -> None:
    """Provoke lines that hold secrets: API keys in headers and query strings, a cloud target's
    credentials, Stripe secrets, a database URL with its password, a traceback."""
    db_password = f"pw-{uuid.uuid4().hex}"
    url_with_password = database_url.replace("postgres@", f"postgres:{db_password}@", 1)
    assert db_password in url_with_password  # trust auth: the password is accepted, unused
    stripe_key = f"sk_test_{uuid.uuid4().hex}"
    webhook_secret = f"whsec_{uuid.uuid4().hex}"
    settings = Settings(
        database_url=url_with_password,
        embedded_worker=False,
        secret_key=TEST_SECRET_KEY,
        stripe_api_key=stripe_key,
        stripe_webhook_secrets=[webhook_secret],
        log_level="debug",
        log_format="json",
    )
    buffer = io.StringIO()
    configure_from_settings(settings, stream=buffer)
    for chatty in ("sqlalchemy.engine", "httpx", "httpcore"):  # as loud as they get
        logging.getLogger(chatty).setLevel(logging.DEBUG)
    admin_key = create_key_sync(url_with_password, "admin")
    credential = f"sak-{uuid.uuid4().hex}"
    server = ServeLikeServer(create_app(settings)).start()
    try:
        with Api(server.url, admin_key) as admin:
            new_key = admin.ok(
                "POST", "/v1/api-keys", 201, json={"name": "logged", "role": "viewer"}
            )["key"]
            assert admin.get("/v1/tenants", params={"api_key": new_key}).status_code == 200
            with Api(server.url, new_key) as viewer:
                assert viewer.get("/v1/tenants").status_code == 200
            admin.ok(
                "POST",
                "/v1/cloud-targets",
                201,
                json={
                    "cloud": "aws",
                    "name": unique("aws"),
                    "default_region": "eu-west-1",
                    "account_ref": "123456789012",
                    "credentials": {
                        "access_key_id": "AKIAEXAMPLE",
                        "secret_access_key": credential,
                    },
                },
            )
    finally:
        server.stop()
    log.info("connecting to %s", url_with_password)
    log.debug("headers %s", {"Authorization": f"Bearer {admin_key}", "X-Key": new_key})
    log.info("request body %s", {"credentials": {"secret_access_key": credential}})
    try:
        raise ValueError(f"Stripe refused {stripe_key} / {webhook_secret}")
    except ValueError:
        log.exception("stripe call failed")

    output = buffer.getvalue()
    lines = json_lines(output)
    assert any(line["logger"] == "uvicorn.access" and "/v1/api-keys" in line["message"]
               for line in lines)  # fmt: skip
    assert output.count("***") >= 6
    for secret in (db_password, stripe_key, webhook_secret, admin_key, new_key, credential,
                   TEST_SECRET_KEY):  # fmt: skip
        assert secret not in output, secret


def test_request_lines_carry_the_request_tenant_and_run_they_are_about(
    settings: Settings, database_url: str
) -> None:
    buffer = io.StringIO()
    configure_logging("info", "json", buffer)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # lines from inside requests
    server = ServeLikeServer(create_app(settings)).start()
    try:
        with Api(server.url, create_key_sync(database_url, "admin")) as admin:
            tenant = make_tenant(admin, make_tier(admin)["key"])
            [run] = admin.ok("GET", f"/v1/tenants/{tenant['id']}/runs")["items"]
            admin.ok("GET", f"/v1/tenants/{tenant['id']}", headers={"X-Request-ID": "req-t"})
            admin.ok("GET", f"/v1/runs/{run['id']}", headers={"X-Request-ID": "req-r"})
    finally:
        server.stop()
    lines = json_lines(buffer.getvalue())
    about_tenant = [line for line in lines if line.get("request_id") == "req-t"]
    about_run = [line for line in lines if line.get("request_id") == "req-r"]
    assert any(line.get("tenant_id") == tenant["id"] for line in about_tenant), about_tenant
    assert any(line.get("run_id") == run["id"] for line in about_run), about_run
