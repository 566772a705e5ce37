"""Sign in with an API key (exchanged for a session cookie), sign out."""

from __future__ import annotations

import hmac
import secrets

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from paybill_control_plane.auth import service as auth_service
from paybill_control_plane.console.rendering import render
from paybill_control_plane.console.routing import ConsoleRoute
from paybill_control_plane.console.sections import visible_sections
from paybill_control_plane.console.security import (
    COOKIE_PATH,
    CSRF_FIELD,
    SESSION_COOKIE,
    SIGNIN_COOKIE,
    SignedInDep,
    check_origin,
    form_fields,
)
from paybill_control_plane.console.sessions import close_session, open_session
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.errors import Unauthenticated

router = APIRouter(prefix="/console", route_class=ConsoleRoute, include_in_schema=False)

_SIGNIN_MAX_AGE = 3600


def _safe_next(target: str | None) -> str | None:
    # Only a path inside the console: never an absolute or protocol-relative URL.
    if target and target.startswith("/console/") and not target.startswith("//"):
        return target
    return None


def _sign_in_page(request: Request, error: str | None, status_code: int = 200) -> Response:
    # Before a session exists, the form's CSRF token is a double-submit value: the same random
    # string in a SameSite=Strict cookie and in the form.
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "sign_in.html",
        {
            "signin_token": token,
            "error": error,
            "next": _safe_next(request.query_params.get("next")) or "",
        },
        status_code=status_code,
    )
    response.set_cookie(
        SIGNIN_COOKIE,
        token,
        max_age=_SIGNIN_MAX_AGE,
        path=COOKIE_PATH,
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="strict",
    )
    return response


@router.get("/sign-in")
async def console_sign_in_form(request: Request) -> Response:
    return _sign_in_page(request, None)


@router.post("/sign-in")
async def console_sign_in(request: Request, session: SessionDep) -> Response:
    check_origin(request)
    fields = await form_fields(request)
    expected = request.cookies.get(SIGNIN_COOKIE)
    sent = fields.get(CSRF_FIELD, "")
    if not expected or not hmac.compare_digest(expected, sent):
        return _sign_in_page(request, "The form expired. Please sign in again.", 403)
    key = fields.get("api_key", "").strip()
    try:
        principal = await auth_service.authenticate(session, key)
    except Unauthenticated:
        return _sign_in_page(request, "That API key is not valid or has been revoked.", 401)
    settings = request.app.state.settings
    token = await open_session(session, principal, settings, request.headers.get("User-Agent"))
    sections = visible_sections(principal)
    landing = sections[0].path if sections else "/console/tenants"
    if principal.is_tenant_scoped:
        landing = f"/console/tenants/{principal.tenant_id}"
    target = _safe_next(fields.get("next")) or landing
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        path=COOKIE_PATH,
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="strict",
    )
    response.delete_cookie(SIGNIN_COOKIE, path=COOKIE_PATH)
    return response


@router.post("/sign-out")
async def console_sign_out(user: SignedInDep, session: SessionDep) -> Response:
    await close_session(session, user)
    response = RedirectResponse("/console/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH)
    return response


@router.get("")
async def console_home(user: SignedInDep) -> Response:
    if user.principal.is_tenant_scoped:
        return RedirectResponse(f"/console/tenants/{user.principal.tenant_id}", status_code=303)
    sections = visible_sections(user.principal)
    return RedirectResponse(sections[0].path if sections else "/console/sign-in", status_code=303)
