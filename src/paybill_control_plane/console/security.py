"""Who is signed in, and the CSRF and origin checks every state-changing request passes."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qs, urlsplit

from fastapi import Depends, Request

from paybill_control_plane.console.sessions import SignedIn, csrf_matches, resolve
from paybill_control_plane.errors import Forbidden

SESSION_COOKIE = "paybill_console"
SIGNIN_COOKIE = "paybill_console_signin"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
COOKIE_PATH = "/console"
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
_MAX_FORM_BYTES = 64 * 1024


class SignInRequired(Exception):
    """No live session: the console answers with the sign-in page (a redirect)."""


class CsrfRefused(Forbidden):
    type_slug = "csrf-refused"
    title = "The request's CSRF token or origin is not this console's"


async def form_fields(request: Request) -> dict[str, str]:
    """An urlencoded form's fields (first value of each); the body is read once and cached."""
    body = await request.body()
    if len(body) > _MAX_FORM_BYTES:
        raise Forbidden("The form is too large.")
    parsed = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {name: values[0] for name, values in parsed.items()}


def check_origin(request: Request) -> None:
    """A browser names the page that sent a POST: it must be this console (defence in depth)."""
    origin = request.headers.get("Origin")
    if origin is None or origin == "null":
        referer = request.headers.get("Referer")
        if referer is None:
            return
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}"
    expected = f"{request.url.scheme}://{request.url.netloc}"
    if origin != expected:
        raise CsrfRefused(f"The request came from '{origin}', not from this console.")


async def signed_in(request: Request) -> SignedIn:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise SignInRequired
    settings = request.app.state.settings
    # Autocommit: one SELECT per request (and, every 15 s, one UPDATE of last_seen_at).
    async with request.app.state.read_sessionmaker() as session:
        user = await resolve(session, token, settings)
    if user is None:
        raise SignInRequired
    if request.method not in _SAFE:
        check_origin(request)
        sent = request.headers.get(CSRF_HEADER)
        if sent is None:
            sent = (await form_fields(request)).get(CSRF_FIELD)
        if not csrf_matches(token, sent):
            raise CsrfRefused("The CSRF token is missing or not this session's.")
    request.state.principal = user.principal
    request.state.console_user = user
    return user


SignedInDep = Annotated[SignedIn, Depends(signed_in)]
