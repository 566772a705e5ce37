"""The FastAPI application factory: routers, middleware, error handlers, health and metrics."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse
from fastapi.routing import APIRoute
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from pydantic import BaseModel
from sqlalchemy import text

from paybill_control_plane import __version__
from paybill_control_plane.audit.endpoints import key_router as audit_key_router
from paybill_control_plane.audit.endpoints import router as audit_router
from paybill_control_plane.auth.endpoints import router as api_keys_router
from paybill_control_plane.billing.endpoints import router as billing_router
from paybill_control_plane.billing.webhook.asgi import StripeWebhookFastPath
from paybill_control_plane.billing.webhook.ingest import EventInbox
from paybill_control_plane.catalog.endpoints import router as catalog_router
from paybill_control_plane.catalog.policy_endpoints import router as policies_router
from paybill_control_plane.cloud_targets.endpoints import router as cloud_targets_router
from paybill_control_plane.config import Settings, get_settings
from paybill_control_plane.console.web import mount_console, mount_docs
from paybill_control_plane.datatier.endpoints import router as datatier_router
from paybill_control_plane.datatier.snapshot_endpoints import router as snapshots_router
from paybill_control_plane.db.embedded import to_libpq_url
from paybill_control_plane.db.engine import (
    autocommit_engine,
    make_engine,
    make_read_sessionmaker,
    make_sessionmaker,
    resolve_database_url,
)
from paybill_control_plane.db.read_pool import ReadPool
from paybill_control_plane.errors import NotReady
from paybill_control_plane.events.endpoints import events_router
from paybill_control_plane.events.endpoints import router as webhook_endpoints_router
from paybill_control_plane.fleet.endpoints import router as fleet_router
from paybill_control_plane.http_errors import install_error_handlers
from paybill_control_plane.kit.openapi import complete_spec
from paybill_control_plane.kit.problems import PROBLEM_MEDIA_TYPE, Problem
from paybill_control_plane.kit.rate_limit import RateLimiter
from paybill_control_plane.licences.endpoints import key_router as licence_keys_router
from paybill_control_plane.licences.endpoints import router as licences_router
from paybill_control_plane.lifecycle.migrations.endpoints import router as migrations_router
from paybill_control_plane.observability import RequestContextMiddleware
from paybill_control_plane.provisioning._jobs import RUN_STACK_TASK
from paybill_control_plane.provisioning.approval_endpoints import router as approvals_router
from paybill_control_plane.provisioning.endpoints import router as provisioning_router
from paybill_control_plane.telemetry import metrics, tracing
from paybill_control_plane.tenants.endpoints import router as tenants_router
from paybill_control_plane.worker.app import build_app, run_worker

DESCRIPTION = """\
Paybill Control Plane holds a SaaS company's tenants, plans and licence tiers and turns
billing events into Terraform-managed infrastructure (silo, pooled or bridge isolation).

* Authentication: `Authorization: Bearer <API key>` on every route except `/healthz`,
  `/readyz`, `/metrics` and the Stripe webhook.
* Errors: RFC 9457 `application/problem+json` with a stable `type` URI.
* Lists: cursor pagination — pass `next_cursor` back as `cursor` until it is null.
* Updates: `PATCH` with `If-Match: "<version>"` from the `ETag` you read.
"""


class Health(BaseModel):
    status: str
    version: str


def _operation_id(route: APIRoute) -> str:
    return route.name


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        url = resolve_database_url(settings)
        engine = make_engine(url, settings=settings)
        app.state.sessionmaker = make_sessionmaker(engine)
        app.state.read_engine = autocommit_engine(engine)
        app.state.read_sessionmaker = make_read_sessionmaker(app.state.read_engine)
        app.state.read_pool = ReadPool(
            to_libpq_url(url), settings.db_read_pool_size, settings.db_pool_timeout_seconds
        )
        await app.state.read_pool.open()
        app.state.billing_inbox = EventInbox(to_libpq_url(url), settings.db_pool_timeout_seconds)
        await app.state.billing_inbox.open()
        limiter = RateLimiter(
            engine, settings.rate_limit_window_seconds, settings.rate_limit_flush_seconds
        )
        app.state.rate_limiter = limiter
        limiter.start()
        # Everything built so far (routes, models, pydantic and SQLAlchemy machinery) lives as
        # long as the process: freeze it out of the collector, so a full collection under load
        # scans only request garbage instead of pausing every request in flight for the
        # whole heap (a p99 tail in bench_api).
        gc.collect()
        gc.freeze()
        worker = None
        if settings.run_embedded_worker:
            # The embedded default provisions from inside `paybill serve`; production runs
            # `paybill worker` processes instead (PAYBILL_EMBEDDED_WORKER=false).
            jobs = build_app(url, app.state.sessionmaker, settings)
            worker = asyncio.create_task(
                run_worker(jobs, settings, name="embedded", install_signal_handlers=False)
            )
        try:
            yield
        finally:
            if worker is not None:
                worker.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await worker
            await limiter.stop()
            await app.state.billing_inbox.close()
            await app.state.read_pool.close()
            await engine.dispose()

    app = FastAPI(
        title="Paybill Control Plane",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
        # Off explicitly: request spans come from our TracingMiddleware (telemetry/tracing.py
        # says why FastAPI's native telemetry must stay off), and with it on by default FastAPI
        # looked up the global OpenTelemetry providers (environment reads) on every request.
        telemetry={"tracing": False, "metrics": False, "logs": False},
        # /docs is served from vendored Swagger UI files (console/web.py), never from a CDN.
        docs_url=None,
        redoc_url=None,
        openapi_tags=[
            {"name": "catalog", "description": "Licence tiers and plans."},
            {"name": "tenants", "description": "Tenants, their lifecycle and entitlements."},
            {"name": "runs", "description": "Provisioning runs: steps, plans, logs, retries."},
            {"name": "infrastructure", "description": "Terraform stacks and tenant pools."},
            {
                "name": "cloud-targets",
                "description": "Cloud accounts tenants are provisioned in, with write-only credentials.",
            },
            {
                "name": "migrations",
                "description": "Moving tenants between isolation models, phase by phase.",
            },
            {"name": "api-keys", "description": "API keys and roles."},
            {"name": "audit", "description": "The hash-chained audit log."},
            {"name": "billing", "description": "Stripe webhooks, stored events, replay."},
            {"name": "snapshots", "description": "Snapshots of tenant data, restores, retention."},
            {"name": "health", "description": "Liveness, readiness and metrics."},
            {
                "name": "fleet",
                "description": "Module releases, rollouts in waves, drift findings.",
            },
            {
                "name": "webhook-endpoints",
                "description": "Where signed outbound events go (Standard Webhooks), and what "
                "each delivery attempt got.",
            },
            {"name": "events", "description": "Outbound events of the last 30 days; redelivery."},
            {"name": "licences", "description": "Signed licences (EdDSA JWT) and their keys."},
            {"name": "policies", "description": "Catalog policies (CEL) over runs' saved plans."},
            {"name": "approvals", "description": "Runs held by policies: approve or reject."},
        ],
    )
    app.state.settings = settings
    app.state.sessionmaker = None
    app.state.read_sessionmaker = None
    app.state.read_engine = None
    app.state.read_pool = None
    app.state.billing_inbox = None
    app.add_middleware(RequestContextMiddleware)
    # Outermost: Stripe webhook bursts skip routing and the http middleware (see billing/webhook/asgi.py).
    app.add_middleware(StripeWebhookFastPath)
    if tracing.enabled() or tracing.configure_from_environment():
        app.add_middleware(tracing.TracingMiddleware)  # outermost: the fast path is traced too
    install_error_handlers(app)
    for router in (
        catalog_router,
        tenants_router,
        migrations_router,
        provisioning_router,
        cloud_targets_router,
        api_keys_router,
        audit_router,
        audit_key_router,
        billing_router,
        datatier_router,
        fleet_router,
        webhook_endpoints_router,
        events_router,
        licences_router,
        licence_keys_router,
        snapshots_router,
        policies_router,
        approvals_router,
    ):
        app.include_router(router)

    mount_docs(app)
    if settings.console_enabled:
        mount_console(app)

    @app.get("/healthz", tags=["health"], summary="Liveness")
    async def health_live() -> Health:
        """Answers 200 while the process serves requests; needs no API key."""
        return Health(status="ok", version=__version__)

    @app.get(
        "/readyz",
        tags=["health"],
        summary="Readiness (checks the database)",
        responses={
            503: {
                "description": "Database unreachable",
                "model": Problem,
                "content": {
                    PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
                },
            }
        },
    )
    async def health_ready(request: Request) -> Health:
        """Answers 200 when the database answers, 503 otherwise; needs no API key."""
        try:
            async with request.app.state.sessionmaker() as session:
                await session.execute(text("SELECT 1"))
        except Exception as exc:  # any failure means not ready
            raise NotReady("The database is not reachable.") from exc
        return Health(status="ready", version=__version__)

    @app.get(
        "/metrics", tags=["health"], summary="Prometheus metrics", response_class=PlainTextResponse
    )
    async def health_metrics(request: Request) -> PlainTextResponse:
        """Prometheus text exposition format; needs no API key. Answers even when the
        database is down (`paybill_metrics_database_up 0`)."""
        snapshot = await metrics.read_snapshot(
            request.app.state.sessionmaker,
            stuck_seconds=settings.stuck_run_seconds,
            stalled_seconds=settings.stalled_job_seconds,
            run_task=RUN_STACK_TASK,
        )
        return PlainTextResponse(metrics.exposition(snapshot), media_type=CONTENT_TYPE_LATEST)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = complete_spec(FastAPI.openapi(app))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
