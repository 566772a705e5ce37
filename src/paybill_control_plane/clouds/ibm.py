"""IBM Cloud adapter (ibm-platform-services ResourceManagerV2): a resource group per tenant.

Credentials: ``api_key`` (exchanged for IAM tokens by IAMAuthenticator). ``account_ref`` is
the IBM Cloud account id.

Target settings:
  ``iam_url``  IAM token endpoint base (e.g. ``https://private.iam.cloud.ibm.com`` for private
               endpoints); default the public IAM endpoint
  (``endpoint_url`` of the target overrides the Resource Manager URL.)

Boundary ``ibm_resource_group``: resource group ``paybill-<slug>`` (names are cut to 40
characters, the tail replaced by a hash of the tenant id); id = its id. Resource groups carry
no tags, so the group is found by its derived name alone; removal refuses a group whose name
is not the boundary's ``paybill-`` name and treats a missing or deleted group as removed.
"""

from __future__ import annotations

from typing import Any

from ._common import (
    SdkFailure,
    boundary_tenant,
    derive_name,
    is_retryable_status,
    region_of,
    require_credentials,
    run_validation,
    sdk_errors,
)
from .base import (
    Boundary,
    BoundaryConflictError,
    BoundaryRequest,
    CloudError,
    CloudTargetConfig,
    Credentials,
    MissingExtraError,
    ValidationResult,
)

CLOUD = "ibm"
REQUIRED_KEYS = ("api_key",)
_NAME_MAX = 40


def _describe(exc: Exception) -> SdkFailure | None:
    import requests
    from ibm_cloud_sdk_core import ApiException

    if isinstance(exc, ApiException):
        status = exc.status_code if isinstance(exc.status_code, int) else None
        return SdkFailure(f"{status} {exc.message}", str(status), is_retryable_status(status))
    if isinstance(exc, requests.RequestException):
        return SdkFailure(f"{type(exc).__name__}: cannot reach the API", "unreachable", True)
    return None


def _describe_load(exc: Exception) -> SdkFailure | None:
    # IAMAuthenticator rejects a malformed key with a ValueError that does not repeat it.
    if isinstance(exc, ValueError):
        return SdkFailure(str(exc), "invalid-credentials")
    return _describe(exc)


class IbmAdapter:
    cloud = CLOUD

    def _service(self, target: CloudTargetConfig, creds: Credentials) -> Any:
        require_credentials(CLOUD, creds, REQUIRED_KEYS)
        try:
            from ibm_cloud_sdk_core.authenticators import IAMAuthenticator
            from ibm_platform_services import ResourceManagerV2
        except ImportError as exc:
            raise MissingExtraError(CLOUD, exc.name or "ibm-platform-services") from None
        with sdk_errors(CLOUD, "load credentials", creds, _describe_load):
            authenticator = IAMAuthenticator(creds["api_key"], url=target.setting("iam_url"))
        service = ResourceManagerV2(authenticator=authenticator)
        if target.endpoint_url:
            service.set_service_url(target.endpoint_url)
        service.set_http_config({"timeout": 60})
        return service

    def validate_credentials(
        self, target: CloudTargetConfig, creds: Credentials
    ) -> ValidationResult:
        def probe() -> ValidationResult:
            service = self._service(target, creds)
            with sdk_errors(CLOUD, "list resource groups", creds, _describe):
                groups = service.list_resource_groups(account_id=target.account_ref).get_result()
            return ValidationResult(
                ok=True,
                identity=f"account {target.account_ref}",
                details={
                    "account_id": target.account_ref,
                    "resource_groups": str(len(groups.get("resources", []))),
                },
            )

        return run_validation(probe)

    def ensure_boundary(
        self, target: CloudTargetConfig, creds: Credentials, req: BoundaryRequest
    ) -> Boundary:
        service = self._service(target, creds)
        name = derive_name("paybill-", req.tenant_slug, req.tenant_id, _NAME_MAX)
        with sdk_errors(CLOUD, f"list resource groups named {name}", creds, _describe):
            found = service.list_resource_groups(
                account_id=target.account_ref, name=name
            ).get_result()
        live = [g for g in found.get("resources", []) if g.get("state", "ACTIVE") == "ACTIVE"]
        if live:
            group_id, crn = str(live[0]["id"]), str(live[0].get("crn", ""))
        else:
            with sdk_errors(CLOUD, f"create resource group {name}", creds, _describe):
                created = service.create_resource_group(
                    name=name, account_id=target.account_ref
                ).get_result()
            group_id, crn = str(created["id"]), str(created.get("crn", ""))
        return Boundary(
            kind="ibm_resource_group",
            id=group_id,
            attributes={
                "tenant_id": req.tenant_id,
                "name": name,
                "crn": crn,
                "account_id": target.account_ref,
                "region": region_of(target, req),
            },
        )

    def remove_boundary(
        self, target: CloudTargetConfig, creds: Credentials, boundary: Boundary
    ) -> None:
        boundary_tenant(CLOUD, boundary, "ibm_resource_group")
        service = self._service(target, creds)
        try:
            with sdk_errors(CLOUD, f"get resource group {boundary.id}", creds, _describe):
                group = service.get_resource_group(boundary.id).get_result()
        except CloudError as error:
            if error.code == "404":
                return
            raise
        if group.get("state") not in (None, "ACTIVE"):
            return  # already deleted (state "DELETED"/"PENDING DELETE")
        expected = boundary.attributes.get("name") or ""
        if not expected.startswith("paybill-") or group.get("name") != expected:
            raise BoundaryConflictError(
                CLOUD,
                f"resource group {boundary.id} is named {group.get('name')!r}, "
                f"not {expected!r}: not this tenant's boundary",
            )
        try:
            with sdk_errors(CLOUD, f"delete resource group {boundary.id}", creds, _describe):
                service.delete_resource_group(boundary.id)
        except CloudError as error:
            if error.code != "404":
                raise

    def terraform_env(self, target: CloudTargetConfig, creds: Credentials) -> dict[str, str]:
        require_credentials(CLOUD, creds, REQUIRED_KEYS)
        return {"IC_API_KEY": creds["api_key"], "IC_REGION": target.default_region}
