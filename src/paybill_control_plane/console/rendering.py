"""Templates: one Jinja2 environment, whole pages or one block of them (htmx partial updates)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from paybill_control_plane import __version__
from paybill_control_plane.auth.principal import Permission
from paybill_control_plane.console.sections import visible_sections
from paybill_control_plane.console.sessions import SignedIn
from paybill_control_plane.console.status import status_tone

ENV = Environment(
    loader=PackageLoader("paybill_control_plane.console", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value else "—"


def _duration(ms: int | None) -> str:
    if ms is None:
        return "—"
    return f"{ms / 1000:.1f} s" if ms >= 1000 else f"{ms} ms"


ENV.filters["when"] = _when
ENV.filters["duration"] = _duration
ENV.globals["tone"] = status_tone
ENV.globals["version"] = __version__
ENV.globals["P"] = Permission


def is_htmx(request: Request) -> bool:
    """An htmx request for a fragment (a history restore wants the whole page)."""
    headers = request.headers
    return headers.get("HX-Request") == "true" and "HX-History-Restore-Request" not in headers


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    user: SignedIn | None = None,
    block: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The page, or only `block` of it (an htmx request that asked for a fragment)."""
    ctx: dict[str, Any] = {
        "request": request,
        "user": user,
        "principal": user.principal if user else None,
        "csrf_token": user.csrf_token if user else "",
        "sections": visible_sections(user.principal) if user else [],
        "path": request.url.path,
        **context,
    }
    tmpl = ENV.get_template(template)
    html = tmpl.render(ctx) if block is None else "".join(tmpl.blocks[block](tmpl.new_context(ctx)))
    return HTMLResponse(html, status_code=status_code)
