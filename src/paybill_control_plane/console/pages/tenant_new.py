"""The create-tenant form: the API's `TenantCreate` rules, the API's service."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from pydantic import ValidationError

from paybill_control_plane.auth.principal import Permission
from paybill_control_plane.catalog import service as catalog_service
from paybill_control_plane.console.pages._common import console_router, see_other
from paybill_control_plane.console.rendering import render
from paybill_control_plane.console.security import SignedInDep, form_fields
from paybill_control_plane.db.engine import transaction
from paybill_control_plane.errors import ControlPlaneError
from paybill_control_plane.kit.app_state import SettingsDep
from paybill_control_plane.lifecycle import tenants as lifecycle_tenants
from paybill_control_plane.models.enums import Cloud, IsolationModel
from paybill_control_plane.tenants.schemas import TenantCreate

router = console_router()
_FIELDS = ("slug", "name", "tier", "cloud", "region", "isolation_model")


async def _form(
    request: Request,
    user: SignedInDep,
    values: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    async with request.app.state.read_sessionmaker() as session:
        tiers = await catalog_service.list_tiers(session)
    context: dict[str, Any] = {
        "values": values,
        "errors": errors,
        "tiers": [t.key for t in tiers],
        "clouds": list(Cloud),
        "models": list(IsolationModel),
    }
    return render(request, "tenants/new.html", context, user=user, status_code=status_code)


@router.get("/tenants/new")
async def console_tenant_new(request: Request, user: SignedInDep) -> Response:
    user.principal.require(Permission.tenants_write)
    return await _form(request, user, {"cloud": "local", "region": "local-1"}, {})


@router.post("/tenants/new")
async def console_tenant_create(
    request: Request, user: SignedInDep, settings: SettingsDep
) -> Response:
    user.principal.require(Permission.tenants_write)
    fields = await form_fields(request)
    values = {name: fields.get(name, "").strip() for name in _FIELDS}
    data = {k: v for k, v in values.items() if v}
    try:
        body = TenantCreate.model_validate(data)
    except ValidationError as exc:
        errors = {str(err["loc"][0]) if err["loc"] else "form": err["msg"] for err in exc.errors()}
        return await _form(request, user, values, errors, 422)
    # Its own transaction (not the request's): a refusal rolls everything back, audit included,
    # and the form is shown again with the reason.
    try:
        async with transaction(request.app.state.sessionmaker) as session:
            tenant = await lifecycle_tenants.create_tenant(session, user.principal, body)
            await lifecycle_tenants.start_provisioning(
                session, user.principal, tenant, settings, trigger="console"
            )
    except ControlPlaneError as exc:
        return await _form(request, user, values, {"form": exc.detail}, exc.status)
    return see_other(f"/console/tenants/{tenant.id}")
