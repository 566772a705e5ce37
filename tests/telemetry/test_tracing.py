"""Optional OpenTelemetry traces: request spans, and a provisioning run's job, run and steps."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from paybill_control_plane.app import create_app
from paybill_control_plane.config import Settings
from paybill_control_plane.telemetry import tracing
from paybill_control_plane.telemetry.logs import configure_logging
from tests.factories import make_tenant, make_tier
from tests.live import Api, LiveServer
from tests.provisioning.stack_env import runs_of, stack_environment, wait_status
from tests.telemetry.helpers import json_lines, scrape, value


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    tracing.enable(SimpleSpanProcessor(exporter))
    try:
        yield exporter
    finally:
        tracing.disable()


def by_name(exporter: InMemorySpanExporter) -> dict[str, list[ReadableSpan]]:
    found: dict[str, list[ReadableSpan]] = {}
    for span in exporter.get_finished_spans():
        found.setdefault(span.name, []).append(span)
    return found


def test_tracing_is_off_without_an_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", raising=False)
    assert not tracing.configure_from_environment() and not tracing.enabled()
    app = create_app(Settings(embedded_worker=False))
    assert tracing.TracingMiddleware not in [m.cls for m in app.user_middleware]


def test_requests_are_spans_named_by_route(settings: Settings, spans: InMemorySpanExporter) -> None:
    server = LiveServer(create_app(settings)).start()
    try:
        with Api(server.url, None) as api:
            ok = api.get("/healthz", headers={"traceparent": f"00-{'ab' * 16}-{'cd' * 8}-01"})
            missing = api.get("/v1/tenants")  # 401: no key
            run_id = "0195f0a0-0000-7000-8000-000000000001"
            api.get(f"/v1/runs/{run_id}")
            webhook = api.post("/v1/webhooks/stripe", content=b"{}")  # the fast path
    finally:
        server.stop()
    found = by_name(spans)
    [health] = found["GET /healthz"]
    assert health.attributes is not None and health.attributes["http.route"] == "/healthz"
    assert health.attributes["http.response.status_code"] == 200
    assert health.attributes["paybill.request_id"] == ok.headers["X-Request-ID"]
    assert format(health.context.trace_id, "032x") == "ab" * 16  # the caller's trace continues
    [tenants] = found["GET /v1/tenants"]
    assert tenants.attributes is not None
    assert tenants.attributes["http.response.status_code"] == missing.status_code == 401
    [about_a_run] = found["GET /v1/runs/{run_id}"]
    assert about_a_run.attributes is not None
    assert about_a_run.attributes[tracing.RUN_ID] == run_id
    [delivery] = found["POST"]  # no route: the fast path answers before routing
    assert delivery.attributes is not None
    assert delivery.attributes["url.path"] == "/v1/webhooks/stripe"
    assert delivery.attributes["http.response.status_code"] == webhook.status_code


@pytest.mark.terraform
@pytest.mark.usefixtures("restore_logging")
def test_a_provisioning_run_is_traced_timed_and_logged_with_its_run_id(
    tmp_path: Path, spans: InMemorySpanExporter
) -> None:
    buffer = io.StringIO()
    configure_logging("debug", "json", buffer)
    with stack_environment(tmp_path) as (api, _):
        tier = make_tier(api, default_isolation="silo", allowed_isolation=["silo"])
        tenant = make_tenant(api, tier["key"])
        wait_status(api, tenant["id"], "active")
        [run] = runs_of(api, tenant["id"])
        samples = scrape(api)

    found = by_name(spans)

    def of_run(name: str) -> list[ReadableSpan]:
        return [s for s in found.get(name, [])
                if s.attributes and s.attributes[tracing.RUN_ID] == run["id"]]  # fmt: skip

    # A loaded machine may see the job retried as stalled: the attempt that succeeded is traced.
    jobs = {span.context.span_id for span in of_run("job paybill.run_stack")}
    [execute] = [s for s in of_run("run.execute")
                 if s.attributes and s.attributes["paybill.attempt"] == run["attempt"]]  # fmt: skip
    assert execute.parent is not None and execute.parent.span_id in jobs
    assert execute.attributes is not None and execute.attributes["paybill.operation"] == "apply"
    for step in ("boundary", "render", "init", "apply"):
        [span] = [s for s in of_run(f"step {step}")
                  if s.attributes and s.attributes["paybill.attempt"] == run["attempt"]]  # fmt: skip
        assert span.parent is not None and span.parent.span_id == execute.context.span_id
        assert span.status.is_ok

    assert (
        value(samples, "paybill_run_duration_seconds_count", operation="apply", status="succeeded")
        >= 1
    )
    run_lines = [line for line in json_lines(buffer.getvalue()) if line.get("run_id") == run["id"]]
    # The tenant is known once the run is claimed: every line after that carries it.
    assert {line.get("tenant_id") for line in run_lines} <= {tenant["id"], None}
    assert any(line.get("tenant_id") == tenant["id"] for line in run_lines)


def test_an_endpoint_turns_on_the_otlp_exporter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1")
    try:
        assert tracing.configure_from_environment() and tracing.enabled()
        app = create_app(Settings(embedded_worker=False))
        assert tracing.TracingMiddleware in [m.cls for m in app.user_middleware]
    finally:
        tracing.disable()


def test_the_base_install_works_without_opentelemetry() -> None:
    """Without the [otel] extra (the SDK and exporter unimportable; the API comes with FastAPI),
    the app and the executor import, tracing stays off even with an endpoint set, and a run's
    spans are no-ops."""
    script = textwrap.dedent(
        """
        import importlib.abc, os, sys

        class NoOtel(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.startswith(("opentelemetry.sdk", "opentelemetry.exporter")):
                    raise ModuleNotFoundError(name)
                return None

        sys.meta_path.insert(0, NoOtel())
        os.environ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:1"
        from paybill_control_plane.app import create_app
        from paybill_control_plane.config import Settings
        from paybill_control_plane.provisioning import executor
        from paybill_control_plane.telemetry import tracing

        create_app(Settings(embedded_worker=False))
        assert not tracing.enabled()
        with tracing.span("x", {"a": 1}):
            tracing.end_span(tracing.start_span("y"))
        assert not any(m.startswith("opentelemetry.sdk") for m in sys.modules)
        print("ok")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
    assert "[otel] extra is not installed" in done.stderr
