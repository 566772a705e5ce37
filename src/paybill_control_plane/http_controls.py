"""Idempotency-Key and per-key rate limits, attached to every authenticated /v1 route.

Domain routers are built with `route_class=ControlledRoute`; the route adds two dependencies
ahead of the endpoint's own (rate limit first, so a refused request is never stored; then the
idempotency claim on POST), wraps the handler to store the response, and wraps `send` to add the
RateLimit headers. Endpoints themselves stay unaware of both.

A route whose caller is checked by a role dependency (`auth.dependencies.Authorize`) has that
dependency apply the rate limit instead of a dependency of its own (one node fewer to solve per
request): the route marks its requests' scope, and on POST runs the role dependency first, ahead
of the idempotency claim (FastAPI then reuses its result for the endpoint's parameter).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import get_dependant
from fastapi.params import Depends as DependsParam
from fastapi.routing import APIRoute
from starlette.types import Receive, Scope, Send

from paybill_control_plane.auth.dependencies import (
    RATE_LIMIT_IN_AUTHORIZE,
    Authorize,
    PrincipalDep,
    apply_rate_limit,
    get_principal,
)
from paybill_control_plane.db.session import SessionDep
from paybill_control_plane.kit import idempotency, rate_limit
from paybill_control_plane.kit.app_state import SettingsDep
from paybill_control_plane.kit.idempotency import IdempotencyKeyHeader
from paybill_control_plane.kit.problems import problem_responses


async def enforce_rate_limit(request: Request, principal: PrincipalDep) -> None:
    """Count the request against its API key's window; 429 once it is spent."""
    await apply_rate_limit(request, principal)


async def claim_idempotency_key(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> None:
    """Claim, replay or refuse the request's Idempotency-Key (no header: nothing to do)."""
    if idempotency_key is None or principal.key_id is None:
        return
    await idempotency.begin(request, session, principal.key_id, idempotency_key, settings)


def _auth_calls(dependant: Dependant) -> list[Any]:
    """The authenticating dependencies of `dependant`'s tree, in the order FastAPI solves them."""
    found: list[Any] = []
    for dep in dependant.dependencies:
        found += _auth_calls(dep)
        if dep.call is get_principal or isinstance(dep.call, Authorize):
            found.append(dep.call)
    return found


def _auth_of(path: str, endpoint: Callable[..., Any], deps: list[Any]) -> list[Any]:
    declared = [getattr(d, "dependency", None) for d in deps]
    route_level = [d for d in declared if d is get_principal or isinstance(d, Authorize)]
    return route_level + _auth_calls(get_dependant(path=path, call=endpoint))


class ControlledRoute(APIRoute):
    """An APIRoute with the rate limit and, on POST, the Idempotency-Key handling."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        methods = {m.upper() for m in (kwargs.get("methods") or ())}
        deps: list[Any] = list(kwargs.get("dependencies") or ())
        auth = _auth_of(path, endpoint, deps)
        self.controlled = path.startswith("/v1/") and bool(auth)
        self.idempotent = self.controlled and "POST" in methods
        self.secret_response = idempotency.marked_secret(endpoint)
        # The first role dependency applies the rate limit (see the module's docstring); a
        # route authenticated by `PrincipalDep` alone gets `enforce_rate_limit`.
        self.limit_in_authorize = self.controlled and isinstance(auth[0], Authorize)
        if self.controlled:
            present = {getattr(d, "dependency", None) for d in deps}
            wanted: list[Callable[..., Any]] = []
            if not self.limit_in_authorize:
                wanted.append(enforce_rate_limit)
            if self.idempotent:
                wanted.append(claim_idempotency_key)
            added: list[DependsParam] = [Depends(f) for f in wanted if f not in present]
            if self.limit_in_authorize and added + deps:
                # First, as the rate limit was, when anything would run before it (FastAPI
                # reuses its result for the endpoint's parameter).
                added.insert(0, Depends(auth[0]))
            kwargs["dependencies"] = [*added, *deps]
            responses = dict(kwargs.get("responses") or {})
            for status, declared in problem_responses(429).items():
                declared["headers"] = {
                    "Retry-After": {
                        "description": "Seconds until the key's window resets.",
                        "schema": {"type": "integer"},
                    }
                }
                responses.setdefault(status, declared)
            if self.idempotent:
                responses.setdefault(409, problem_responses(409)[409])
            kwargs["responses"] = responses
        super().__init__(path, endpoint, **kwargs)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Wrapping `send` here (not `self.app`) also covers routes served through an included
        # router, which FastAPI runs from an app of its own built per inclusion.
        if self.controlled:
            send = rate_limit.headers_sender(scope, send)
            if self.limit_in_authorize:
                scope[RATE_LIMIT_IN_AUTHORIZE] = True
        await super().handle(scope, receive, send)

    def get_route_handler(self) -> Callable[..., Any]:
        handler = super().get_route_handler()
        if not getattr(self, "idempotent", False):
            return handler
        return idempotency.wrap_handler(handler, secret=self.secret_response)
