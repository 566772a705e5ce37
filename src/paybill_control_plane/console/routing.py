"""`ConsoleRoute`: HTML answers for the console's routes (sign-in redirects, error pages) and
the response headers every console page carries."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse, RedirectResponse
from fastapi.routing import APIRoute

from paybill_control_plane.console.security import COOKIE_PATH, SESSION_COOKIE, SignInRequired
from paybill_control_plane.errors import ControlPlaneError

log = logging.getLogger(__name__)

# No inline scripts or styles anywhere in the console: everything is served from /console/static.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def sign_in_redirect(request: Request) -> Response:
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    location = "/console/sign-in"
    if (
        request.method == "GET"
        and target.startswith("/console/")
        and "HX-Request" not in request.headers
    ):
        location += "?next=" + quote(target, safe="")
    if request.headers.get("HX-Request") == "true":
        response: Response = Response(status_code=204, headers={"HX-Redirect": location})
    else:
        response = RedirectResponse(location, status_code=303)
    # A dead session's cookie is cleared, so the browser stops sending it.
    if SESSION_COOKIE in request.cookies:
        response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH)
    return response


def _error_page(request: Request, exc: ControlPlaneError) -> Response:
    from paybill_control_plane.console.rendering import is_htmx, render

    if is_htmx(request):
        # htmx does not swap an error answer; console.js shows this text in the page's alert.
        return PlainTextResponse(f"{exc.title}: {exc.detail}", status_code=exc.status)
    user = getattr(request.state, "console_user", None)
    return render(
        request,
        "error.html",
        {"status": exc.status, "title": exc.title, "detail": exc.detail, "extra": exc.extra},
        user=user,
        status_code=exc.status,
    )


class ConsoleRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                response = await handler(request)
            except SignInRequired:
                response = sign_in_redirect(request)
            except ControlPlaneError as exc:
                response = _error_page(request, exc)
            except RequestValidationError as exc:
                log.info("console request refused: %s", exc.errors())
                response = _error_page(
                    request, _BadConsoleInput("A value in the address or form is not valid.")
                )
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            return response

        return handle


class _BadConsoleInput(ControlPlaneError):
    status = 400
    type_slug = "bad-request"
    title = "Bad request"
