"""Mount the console (pages and static files) and the offline `/docs` on the FastAPI app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from paybill_control_plane.console.pages import (
    approvals,
    audit,
    auth,
    billing,
    data,
    drift,
    events,
    fleet,
    keys,
    migrations,
    rollouts,
    runs,
    tenant_new,
    tenants,
)

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_URL = "/console/static"
# Order matters where paths overlap: /tenants/new before /tenants/{tenant_id}.
PAGE_ROUTERS = (
    auth.router,
    tenant_new.router,
    tenants.router,
    data.router,
    migrations.router,
    runs.router,
    approvals.router,
    billing.router,
    fleet.router,
    rollouts.router,
    drift.router,
    audit.router,
    keys.router,
    events.router,
)


def _mount_static(app: FastAPI) -> None:
    if not any(getattr(r, "path", None) == STATIC_URL for r in app.routes):
        app.mount(STATIC_URL, StaticFiles(directory=STATIC_DIR), name="console-static")


def mount_console(app: FastAPI) -> None:
    """The console's pages under /console and its static files under /console/static."""
    _mount_static(app)
    for router in PAGE_ROUTERS:
        app.include_router(router)


def mount_docs(app: FastAPI, openapi_url: str = "/openapi.json") -> None:
    """Swagger UI at /docs from the vendored swagger-ui-dist files: no CDN, works offline."""
    _mount_static(app)

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} — API docs",
            swagger_js_url=f"{STATIC_URL}/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url=f"{STATIC_URL}/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url=f"{STATIC_URL}/favicon.svg",
        )
