"""Azure adapter (azure-identity + azure-mgmt-resource): a resource group per tenant.

Credentials: ``tenant_id``, ``client_id``, ``client_secret`` (a service principal).
``account_ref`` is the subscription id.

Target settings:
  ``authority_host``         Entra ID authority for sovereign clouds
                             (e.g. ``https://login.microsoftonline.us``); default public cloud
  ``environment``            passed to Terraform as ARM_ENVIRONMENT (``usgovernment``...)
  ``poll_interval_seconds``  LRO polling when Azure sends no Retry-After (SDK default 30)
  ``operation_timeout_seconds``  wait for a resource group deletion (default 1800)

Boundary ``azure_resource_group``: resource group ``paybill-<slug>`` in the request's region,
tagged with the tenant's tags; id = its ARM resource id. A group of that name is adopted only
if its ``paybill-tenant-id`` tag is the tenant's; removal deletes the group (and with it
anything Terraform left behind) and waits for the long-running operation.

``AzureAdapter(authentication_policy=...)`` replaces the bearer-token policy of the ARM
pipeline; tests use it because the SDK refuses bearer tokens over plain http.
"""

from __future__ import annotations

from typing import Any

from ._common import (
    SdkFailure,
    boundary_tags,
    boundary_tenant,
    check_owner,
    derive_name,
    is_retryable_status,
    region_of,
    require_credentials,
    run_validation,
    sdk_errors,
)
from .base import (
    Boundary,
    BoundaryRequest,
    CloudError,
    CloudTargetConfig,
    Credentials,
    MissingExtraError,
    ValidationResult,
)

CLOUD = "azure"
REQUIRED_KEYS = ("tenant_id", "client_id", "client_secret")
_RG_NAME_MAX = 90


def _describe(exc: Exception) -> SdkFailure | None:
    from azure.core.exceptions import AzureError, HttpResponseError

    if isinstance(exc, HttpResponseError):
        status = exc.status_code
        code = getattr(exc.error, "code", None) or (str(status) if status else None)
        return SdkFailure(str(exc.message or exc), code, is_retryable_status(status))
    if isinstance(exc, AzureError):
        # Token acquisition and connection failures.
        return SdkFailure(f"{type(exc).__name__}: {exc.message}", type(exc).__name__, True)
    return None


def _not_found(error: CloudError) -> bool:
    return error.code in ("ResourceGroupNotFound", "ResourceNotFound", "404")


class AzureAdapter:
    cloud = CLOUD

    def __init__(self, *, authentication_policy: Any | None = None) -> None:
        self._authentication_policy = authentication_policy

    def _client(self, target: CloudTargetConfig, creds: Credentials) -> Any:
        require_credentials(CLOUD, creds, REQUIRED_KEYS)
        try:
            from azure.identity import ClientSecretCredential
            from azure.mgmt.resource.resources import ResourceManagementClient
        except ImportError as exc:
            raise MissingExtraError(CLOUD, exc.name or "azure-mgmt-resource") from None
        credential_options: dict[str, Any] = {}
        if authority := target.setting("authority_host"):
            credential_options["authority"] = authority
        credential = ClientSecretCredential(
            creds["tenant_id"], creds["client_id"], creds["client_secret"], **credential_options
        )
        options: dict[str, Any] = {}
        if self._authentication_policy is not None:
            options["authentication_policy"] = self._authentication_policy
        if target.setting("poll_interval_seconds"):
            options["polling_interval"] = target.seconds("poll_interval_seconds", 30)
        return ResourceManagementClient(
            credential, target.account_ref, base_url=target.endpoint_url, **options
        )

    def validate_credentials(
        self, target: CloudTargetConfig, creds: Credentials
    ) -> ValidationResult:
        def probe() -> ValidationResult:
            client = self._client(target, creds)
            with sdk_errors(CLOUD, "list resource groups", creds, _describe):
                # One page proves the token and the access to the subscription.
                next(iter(client.resource_groups.list(top=1).by_page()), None)
            return ValidationResult(
                ok=True,
                identity=f"{creds['client_id']}@{creds['tenant_id']}",
                details={"subscription_id": target.account_ref, "tenant_id": creds["tenant_id"]},
            )

        return run_validation(probe)

    def ensure_boundary(
        self, target: CloudTargetConfig, creds: Credentials, req: BoundaryRequest
    ) -> Boundary:
        client = self._client(target, creds)
        name = derive_name("paybill-", req.tenant_slug, req.tenant_id, _RG_NAME_MAX)
        group = self._get(client, creds, name)
        if group is not None:
            check_owner(CLOUD, f"resource group {name}", group.tags, req.tenant_id)
            state = group.properties.provisioning_state if group.properties else None
            if state == "Deleting":
                raise CloudError(
                    CLOUD, f"resource group {name} is being deleted; retry later", retryable=True
                )
        else:
            from azure.mgmt.resource.resources.models import ResourceGroup

            with sdk_errors(CLOUD, f"create resource group {name}", creds, _describe):
                group = client.resource_groups.create_or_update(
                    name, ResourceGroup(location=region_of(target, req), tags=boundary_tags(req))
                )
        return Boundary(
            kind="azure_resource_group",
            id=str(group.id),
            attributes={
                "tenant_id": req.tenant_id,
                "name": name,
                "location": str(group.location),
                "subscription_id": target.account_ref,
            },
        )

    def remove_boundary(
        self, target: CloudTargetConfig, creds: Credentials, boundary: Boundary
    ) -> None:
        tenant_id = boundary_tenant(CLOUD, boundary, "azure_resource_group")
        name = boundary.attributes.get("name") or boundary.id.rsplit("/", 1)[-1]
        client = self._client(target, creds)
        group = self._get(client, creds, name)
        if group is None:
            return
        check_owner(CLOUD, f"resource group {name}", group.tags, tenant_id)
        try:
            with sdk_errors(CLOUD, f"delete resource group {name}", creds, _describe):
                poller = client.resource_groups.begin_delete(name)
                poller.result(timeout=target.seconds("operation_timeout_seconds", 1800))
                if not poller.done():
                    raise CloudError(
                        CLOUD, f"deleting resource group {name} is still running", retryable=True
                    )
        except CloudError as error:
            if not _not_found(error):
                raise

    def terraform_env(self, target: CloudTargetConfig, creds: Credentials) -> dict[str, str]:
        require_credentials(CLOUD, creds, REQUIRED_KEYS)
        env = {
            "ARM_CLIENT_ID": creds["client_id"],
            "ARM_CLIENT_SECRET": creds["client_secret"],
            "ARM_TENANT_ID": creds["tenant_id"],
            "ARM_SUBSCRIPTION_ID": target.account_ref,
        }
        if environment := target.setting("environment"):
            env["ARM_ENVIRONMENT"] = environment
        return env

    @staticmethod
    def _get(client: Any, creds: Credentials, name: str) -> Any | None:
        try:
            with sdk_errors(CLOUD, f"get resource group {name}", creds, _describe):
                return client.resource_groups.get(name)
        except CloudError as error:
            if _not_found(error):
                return None
            raise
