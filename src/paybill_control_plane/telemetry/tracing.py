"""Optional OpenTelemetry traces of requests, jobs, runs and their Terraform steps.

Off unless `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set and the
`[otel]` extra (SDK and OTLP exporter) is installed. OpenTelemetry is imported only in this module
and only once tracing is turned on, so the base install neither needs the SDK nor pays for it:
with tracing off, `span()` is a bare generator and no request middleware is installed at all.
The exporter reads the standard `OTEL_*` variables (headers, protocol, timeouts) itself.

The tracer provider is private rather than the process-wide default on purpose: recent FastAPI
versions switch their native telemetry on when a global provider exists, which would add
per-dependency spans, a second set of request metrics and exception messages exported as log
records (a path around our log redaction). Request spans come from `TracingMiddleware`, which
works the same on every FastAPI version and also covers the webhook fast path.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from paybill_control_plane import __version__

log = logging.getLogger(__name__)

SERVICE_NAME = "paybill-control-plane"
RUN_ID = "paybill.run_id"
_ENDPOINT_VARS = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
Attribute = str | int | float | bool

_provider: Any = None
_tracer: Any = None


def enabled() -> bool:
    return _tracer is not None


def configure_from_environment() -> bool:
    """Turn tracing on when an OTLP endpoint is configured; True when tracing is on."""
    if _tracer is not None:
        return True
    if not any(os.environ.get(name) for name in _ENDPOINT_VARS):
        return False
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError:
        log.warning("OTEL_EXPORTER_OTLP_ENDPOINT is set but the [otel] extra is not installed")
        return False
    enable(BatchSpanProcessor(OTLPSpanExporter()))
    return True


def enable(processor: Any) -> None:
    """Trace through this span processor (the OTLP exporter's, or a test's in-memory one)."""
    global _provider, _tracer
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider

    name = os.environ.get("OTEL_SERVICE_NAME") or SERVICE_NAME
    provider = TracerProvider(
        resource=Resource.create({"service.name": name, "service.version": __version__})
    )
    provider.add_span_processor(processor)
    # A provider of our own rather than the global one: it can be replaced (tests) and never
    # fights another library over the process-wide default.
    _provider, _tracer = provider, provider.get_tracer("paybill_control_plane", __version__)


def disable() -> None:
    """Flush and stop tracing (shutdown, tests)."""
    global _provider, _tracer
    if _provider is not None:
        _provider.shutdown()
    _provider = _tracer = None


@contextmanager
def span(name: str, attributes: dict[str, Attribute] | None = None) -> Iterator[None]:
    """A span around the block, current for everything inside it; nothing when tracing is off."""
    if _tracer is None:
        yield
        return
    with _tracer.start_as_current_span(name, attributes=attributes):
        yield


def set_attributes(attributes: dict[str, Attribute]) -> None:
    """Add attributes to the current span (known only part-way through, e.g. a run's operation)."""
    if _tracer is None:
        return
    from opentelemetry import trace

    trace.get_current_span().set_attributes(attributes)


def start_span(name: str, attributes: dict[str, Attribute] | None = None) -> Any:
    """A child of the current span that the caller ends with `end_span` (or None when off)."""
    if _tracer is None:
        return None
    return _tracer.start_span(name, attributes=attributes)


def end_span(handle: Any, error: str | None = None) -> None:
    if handle is None:
        return
    if error is not None:
        from opentelemetry.trace import Status, StatusCode

        handle.set_status(Status(StatusCode.ERROR, error[:200]))
    handle.end()


class TracingMiddleware:
    """A server span per HTTP request, named `METHOD /route/{template}` (installed only when on).

    Outermost, so the Stripe webhook fast path is traced too; it continues an incoming
    `traceparent`.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _tracer is None:
            await self.app(scope, receive, send)
            return
        from opentelemetry import propagate
        from opentelemetry.trace import SpanKind, Status, StatusCode

        carrier = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        method = scope["method"]
        reply: dict[str, Any] = {"status": 500}

        async def traced_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                reply["status"] = message["status"]
                for key, value in message.get("headers", ()):
                    if key.lower() == b"x-request-id":
                        reply["request_id"] = value.decode("latin-1")
            await send(message)

        with _tracer.start_as_current_span(
            method,
            context=propagate.extract(carrier),
            kind=SpanKind.SERVER,
            attributes={"http.request.method": method, "url.path": scope["path"]},
        ) as current:
            try:
                await self.app(scope, receive, traced_send)
            finally:
                # The router fills scope["route"] on the way in; unmatched requests keep the
                # bare method as their name (the semantic conventions' low-cardinality rule).
                route = getattr(scope.get("route"), "path", None)
                if route:
                    current.update_name(f"{method} {route}")
                    current.set_attribute("http.route", route)
                current.set_attribute("http.response.status_code", reply["status"])
                if "request_id" in reply:
                    current.set_attribute("paybill.request_id", reply["request_id"])
                params = scope.get("path_params") or {}
                for name in ("run_id", "tenant_id"):
                    if name in params:
                        current.set_attribute(f"paybill.{name}", str(params[name]))
                if reply["status"] >= 500:
                    current.set_status(Status(StatusCode.ERROR))
