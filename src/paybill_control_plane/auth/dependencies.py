"""`PrincipalDep`: the authenticated caller of a request."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from paybill_control_plane.auth import service
from paybill_control_plane.auth.principal import Permission, Principal
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.errors import Unauthenticated
from paybill_control_plane.kit.request_context import run_id_var, tenant_id_var
from paybill_control_plane.provisioning import repository as runs_repo
from paybill_control_plane.tenants.repository import TenantNotFound

bearer = HTTPBearer(
    auto_error=False, scheme_name="Bearer", description="An API key: `Bearer pbk_…`"
)


async def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise Unauthenticated("Send an API key as `Authorization: Bearer <key>`.")
    token = credentials.credentials
    settings = request.app.state.settings
    # Most requests are answered from the key cache: no session for them (a request-scoped
    # session dependency here cost every request its creation and teardown, see
    # docs/performance.md). A miss reads, and maybe touches, the key in a short transaction
    # of its own, which also keeps last_used_at when the request itself fails.
    principal = service.cached_principal(token)
    if principal is None:
        async with transaction(request.app.state.sessionmaker) as session:
            principal = await service.authenticate(
                session, token, cache_seconds=settings.api_key_cache_seconds
            )
    request.state.principal = principal
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def _requires(permission: Permission) -> Callable[..., Awaitable[Principal]]:
    async def check(request: Request, principal: PrincipalDep) -> Principal:
        # A tenant key asking about another tenant's resources learns nothing, not even
        # "forbidden": visibility is checked before the role.
        params = request.path_params
        scoped = principal.is_tenant_scoped
        if (
            scoped
            and "tenant_id" in params
            and str(params["tenant_id"]).lower() != str(principal.tenant_id)
        ):
            raise TenantNotFound(f"No tenant with id '{params['tenant_id']}'.")
        if scoped and "run_id" in params:
            try:
                run_id = uuid.UUID(str(params["run_id"]))
            except ValueError:
                run_id = None
            if run_id is not None:
                async with request.app.state.read_sessionmaker() as session:
                    await runs_repo.get_run(session, principal, run_id)
        principal.require(permission)
        # The request's log lines carry the tenant (and run) it is about, once the caller may
        # see it.
        tenant = params.get("tenant_id") or principal.tenant_id
        if tenant is not None:
            tenant_id_var.set(str(tenant))
        if "run_id" in params:
            run_id_var.set(str(params["run_id"]))
        return principal

    return check


CatalogReader = Annotated[Principal, Depends(_requires(Permission.catalog_read))]
CatalogWriter = Annotated[Principal, Depends(_requires(Permission.catalog_write))]
TenantReader = Annotated[Principal, Depends(_requires(Permission.tenants_read))]
TenantWriter = Annotated[Principal, Depends(_requires(Permission.tenants_write))]
RunReader = Annotated[Principal, Depends(_requires(Permission.runs_read))]
RunWriter = Annotated[Principal, Depends(_requires(Permission.runs_write))]
RunApprover = Annotated[Principal, Depends(_requires(Permission.runs_approve))]
InfraReader = Annotated[Principal, Depends(_requires(Permission.infra_read))]
KeyManager = Annotated[Principal, Depends(_requires(Permission.keys_manage))]
AuditReader = Annotated[Principal, Depends(_requires(Permission.audit_read))]
BillingReader = Annotated[Principal, Depends(_requires(Permission.billing_read))]
BillingWriter = Annotated[Principal, Depends(_requires(Permission.billing_write))]
CheckoutCreator = Annotated[Principal, Depends(_requires(Permission.billing_checkout))]
CloudTargetManager = Annotated[Principal, Depends(_requires(Permission.cloud_targets_manage))]
DatabaseCredentials = Annotated[Principal, Depends(_requires(Permission.database_credentials))]
WebhookManager = Annotated[Principal, Depends(_requires(Permission.webhooks_manage))]
