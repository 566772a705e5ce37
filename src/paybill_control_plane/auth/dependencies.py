"""`PrincipalDep` and the role dependencies: the authenticated caller of a request.

A role dependency (`TenantReader`, `RunWriter`, …) is one `Authorize` object: it reads the
`Authorization` header, finds the key (the key cache, else the database), counts the request
against the key's rate limit when its route asks it to (`http_controls.ControlledRoute`), then
checks the tenant scope and the role's permission. It used to be four dependencies (the bearer
scheme, the principal, the rate limit, the role check), each a node FastAPI solves on every
request: ~11% of a `GET /v1/tenants/{id}` (docs/performance.md). It is a `SecurityBase` with the
bearer scheme's model and name, so the OpenAPI document still names the `Bearer` scheme.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.base import SecurityBase
from fastapi.security.utils import get_authorization_scheme_param

from paybill_control_plane.auth import service
from paybill_control_plane.auth.principal import Permission, Principal
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.errors import Unauthenticated
from paybill_control_plane.kit import rate_limit
from paybill_control_plane.kit.request_context import run_id_var, tenant_id_var
from paybill_control_plane.provisioning import repository as runs_repo
from paybill_control_plane.tenants.repository import TenantNotFound

bearer = HTTPBearer(
    auto_error=False, scheme_name="Bearer", description="An API key: `Bearer pbk_…`"
)
NO_KEY = "Send an API key as `Authorization: Bearer <key>`."
# Set in a request's scope by a route whose rate limit its `Authorize` dependency applies.
RATE_LIMIT_IN_AUTHORIZE = "paybill.rate_limit_in_authorize"


async def _principal_for(request: Request, token: str) -> Principal:
    """The key's principal, once per request (a request's second auth dependency reuses it)."""
    state: dict[str, Any] = request.scope.setdefault("state", {})
    principal: Principal | None = state.get("principal")
    if principal is not None:
        return principal
    # Most requests are answered from the key cache: no session for them (a request-scoped
    # session dependency here cost every request its creation and teardown, see
    # docs/performance.md). A miss reads, and maybe touches, the key in a short transaction
    # of its own, which also keeps last_used_at when the request itself fails.
    principal = service.cached_principal(token)
    if principal is None:
        settings = request.app.state.settings
        async with transaction(request.app.state.sessionmaker) as session:
            principal = await service.authenticate(
                session, token, cache_seconds=settings.api_key_cache_seconds
            )
    state["principal"] = principal
    return principal


async def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise Unauthenticated(NO_KEY)
    return await _principal_for(request, credentials.credentials)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def apply_rate_limit(request: Request, principal: Principal) -> None:
    """Count the request against its API key's window; 429 once it is spent."""
    limit = rate_limit.limit_for(request.app.state.settings, principal.role)
    if principal.key_id is None or limit == 0:
        return
    limiter: rate_limit.RateLimiter = request.app.state.rate_limiter
    state = await limiter.hit(principal.key_id, limit)
    setattr(request.state, rate_limit.STATE_KEY, state)
    if state.exceeded:
        raise rate_limit.refusal(state)


class Authorize(SecurityBase):
    """The caller, rate-limited (if the route says so), in scope and allowed `permission`."""

    def __init__(self, permission: Permission) -> None:
        # The bearer scheme's own model and name: the OpenAPI document is unchanged.
        self.model = bearer.model
        self.scheme_name = bearer.scheme_name
        self.permission = permission

    async def __call__(self, request: Request) -> Principal:
        # As `HTTPBearer(auto_error=False)` and `get_principal` decide it.
        authorization = request.headers.get("Authorization")
        scheme, token = get_authorization_scheme_param(authorization)
        if not (authorization and scheme and token) or scheme.lower() != "bearer":
            raise Unauthenticated(NO_KEY)
        principal = await _principal_for(request, token)
        # Popped: a second role dependency of the same request does not count it again.
        if request.scope.pop(RATE_LIMIT_IN_AUTHORIZE, False):
            await apply_rate_limit(request, principal)
        await _check_scope(request, principal)
        principal.require(self.permission)
        # The request's log lines carry the tenant (and run) it is about, once the caller may
        # see it.
        params = request.path_params
        tenant = params.get("tenant_id") or principal.tenant_id
        if tenant is not None:
            tenant_id_var.set(str(tenant))
        if "run_id" in params:
            run_id_var.set(str(params["run_id"]))
        return principal


async def _check_scope(request: Request, principal: Principal) -> None:
    """A tenant key asking about another tenant's resources learns nothing, not even
    "forbidden": visibility is checked before the role."""
    if not principal.is_tenant_scoped:
        return
    params = request.path_params
    if "tenant_id" in params and str(params["tenant_id"]).lower() != str(principal.tenant_id):
        raise TenantNotFound(f"No tenant with id '{params['tenant_id']}'.")
    if "run_id" in params:
        try:
            run_id = uuid.UUID(str(params["run_id"]))
        except ValueError:
            run_id = None
        if run_id is not None:
            async with request.app.state.read_sessionmaker() as session:
                await runs_repo.get_run(session, principal, run_id)


CatalogReader = Annotated[Principal, Depends(Authorize(Permission.catalog_read))]
CatalogWriter = Annotated[Principal, Depends(Authorize(Permission.catalog_write))]
TenantReader = Annotated[Principal, Depends(Authorize(Permission.tenants_read))]
TenantWriter = Annotated[Principal, Depends(Authorize(Permission.tenants_write))]
RunReader = Annotated[Principal, Depends(Authorize(Permission.runs_read))]
RunWriter = Annotated[Principal, Depends(Authorize(Permission.runs_write))]
RunApprover = Annotated[Principal, Depends(Authorize(Permission.runs_approve))]
InfraReader = Annotated[Principal, Depends(Authorize(Permission.infra_read))]
KeyManager = Annotated[Principal, Depends(Authorize(Permission.keys_manage))]
AuditReader = Annotated[Principal, Depends(Authorize(Permission.audit_read))]
BillingReader = Annotated[Principal, Depends(Authorize(Permission.billing_read))]
BillingWriter = Annotated[Principal, Depends(Authorize(Permission.billing_write))]
CheckoutCreator = Annotated[Principal, Depends(Authorize(Permission.billing_checkout))]
CloudTargetManager = Annotated[Principal, Depends(Authorize(Permission.cloud_targets_manage))]
DatabaseCredentials = Annotated[Principal, Depends(Authorize(Permission.database_credentials))]
WebhookManager = Annotated[Principal, Depends(Authorize(Permission.webhooks_manage))]
