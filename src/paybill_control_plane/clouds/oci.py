"""Oracle Cloud adapter (oci IdentityClient): a compartment per tenant.

Credentials: ``user_ocid``, ``fingerprint``, ``private_key_pem`` (API signing key content),
``region``, optional ``private_key_passphrase``. ``account_ref`` is the tenancy OCID.

Target settings:
  ``parent_compartment_ocid``  where tenant compartments go (default: the tenancy root)
  ``home_region``              IAM writes must go to the tenancy's home region; default the
                               credentials' region
  ``operation_timeout_seconds`` / ``poll_interval_seconds``  wait for a new compartment to
                               become ACTIVE (120 / 2)

Boundary ``oci_compartment``: compartment ``paybill-<slug>`` under the parent, with the tenant's
tags as freeform tags; id = its OCID. One of that name is adopted only if its
``paybill-tenant-id`` tag is the tenant's. Removal asks OCI to delete the compartment (an
asynchronous work request that fails if Terraform left resources in it) and returns once
OCI accepted it; a compartment already DELETING or DELETED counts as removed.
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
    poll_until,
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

CLOUD = "oci"
REQUIRED_KEYS = ("user_ocid", "fingerprint", "private_key_pem", "region")
_NAME_MAX = 100
_LIVE_STATES = frozenset({"CREATING", "ACTIVE", "INACTIVE"})
_GONE_STATES = frozenset({"DELETING", "DELETED"})


def _oci() -> Any:
    try:
        import oci
    except ImportError:
        raise MissingExtraError(CLOUD, "oci") from None
    return oci


def _describe(exc: Exception) -> SdkFailure | None:
    oci = _oci()
    if isinstance(exc, oci.exceptions.ServiceError):
        status = exc.status if isinstance(exc.status, int) else None
        return SdkFailure(
            f"{exc.status} {exc.code}: {exc.message}", str(exc.code), is_retryable_status(status)
        )
    if isinstance(exc, oci.exceptions.InvalidConfig):
        # Only the config keys and what is wrong with them ("malformed"), never values.
        return SdkFailure(f"invalid credentials: {exc.errors}", "invalid-credentials")
    if isinstance(exc, oci.exceptions.RequestException | oci.exceptions.ConnectTimeout):
        return SdkFailure(f"{type(exc).__name__}: cannot reach the OCI API", "unreachable", True)
    return None


def _describe_load(exc: Exception) -> SdkFailure | None:
    # The signer parses the key while the client is built; say so without repeating it.
    if isinstance(exc, _oci().exceptions.InvalidPrivateKey | ValueError | TypeError):
        return SdkFailure("private_key_pem cannot be read as an RSA private key", "invalid-key")
    return _describe(exc)


def client_settings(
    oci: Any, creds: Credentials, target: CloudTargetConfig, *, region: str, endpoint: str | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """An OCI SDK client's config (the API key of `creds` in the target's tenancy, in `region`)
    and keyword options (timeouts, a short retry strategy, `endpoint` if set)."""
    config = {
        "user": creds["user_ocid"],
        "fingerprint": creds["fingerprint"],
        "key_content": creds["private_key_pem"],
        "tenancy": target.account_ref,
        "region": region,
    }
    if creds.get("private_key_passphrase"):
        config["pass_phrase"] = creds["private_key_passphrase"]
    # The SDK's default strategy retries for up to 10 minutes; a worker run (and a user
    # waiting on a credential check) should learn sooner, and the worker retries anyway.
    retry = oci.retry.RetryStrategyBuilder(max_attempts=4, total_elapsed_time_seconds=60)
    options: dict[str, Any] = {
        "timeout": (10, 60),
        "retry_strategy": retry.get_retry_strategy(),
    }
    if endpoint:
        options["service_endpoint"] = endpoint
    return config, options


class OciAdapter:
    cloud = CLOUD

    def _client(self, target: CloudTargetConfig, creds: Credentials) -> Any:
        require_credentials(CLOUD, creds, REQUIRED_KEYS)
        oci = _oci()
        config, options = client_settings(
            oci, creds, target, region=target.setting("home_region") or creds["region"],
            endpoint=target.endpoint_url,
        )  # fmt: skip
        with sdk_errors(CLOUD, "load credentials", creds, _describe_load):
            oci.config.validate_config(config)
            return oci.identity.IdentityClient(config, **options)

    def validate_credentials(
        self, target: CloudTargetConfig, creds: Credentials
    ) -> ValidationResult:
        def probe() -> ValidationResult:
            client = self._client(target, creds)
            with sdk_errors(CLOUD, "get user", creds, _describe):
                user = client.get_user(creds["user_ocid"]).data
            return ValidationResult(
                ok=True,
                identity=str(user.id),
                details={"user_name": str(user.name), "tenancy_ocid": target.account_ref},
            )

        return run_validation(probe)

    def ensure_boundary(
        self, target: CloudTargetConfig, creds: Credentials, req: BoundaryRequest
    ) -> Boundary:
        client = self._client(target, creds)
        oci = _oci()
        parent = target.setting("parent_compartment_ocid") or target.account_ref
        name = derive_name("paybill-", req.tenant_slug, req.tenant_id, _NAME_MAX)
        with sdk_errors(CLOUD, f"list compartments named {name}", creds, _describe):
            found = oci.pagination.list_call_get_all_results(
                client.list_compartments, parent, name=name
            ).data
        live = [c for c in found if c.lifecycle_state in _LIVE_STATES]
        for compartment in live:
            check_owner(CLOUD, f"compartment {name}", compartment.freeform_tags, req.tenant_id)
        if live:
            compartment = live[0]
        else:
            details = oci.identity.models.CreateCompartmentDetails(
                compartment_id=parent,
                name=name,
                description=f"Paybill tenant {req.tenant_slug} ({req.tenant_id})",
                freeform_tags=boundary_tags(req),
            )
            with sdk_errors(CLOUD, f"create compartment {name}", creds, _describe):
                compartment = client.create_compartment(details).data
        if compartment.lifecycle_state != "ACTIVE":
            compartment_id = compartment.id

            def fetch() -> Any:
                with sdk_errors(CLOUD, f"get compartment {compartment_id}", creds, _describe):
                    return client.get_compartment(compartment_id).data

            compartment = poll_until(
                CLOUD,
                f"compartment {name} to become ACTIVE",
                fetch,
                lambda c: c.lifecycle_state != "CREATING",
                timeout=target.seconds("operation_timeout_seconds", 120),
                interval=target.seconds("poll_interval_seconds", 2),
            )
            if compartment.lifecycle_state != "ACTIVE":
                raise CloudError(
                    CLOUD, f"compartment {name} is {compartment.lifecycle_state}, not ACTIVE"
                )
        return Boundary(
            kind="oci_compartment",
            id=str(compartment.id),
            attributes={
                "tenant_id": req.tenant_id,
                "name": name,
                "parent_compartment_ocid": parent,
                "tenancy_ocid": target.account_ref,
                "region": region_of(target, req),
            },
        )

    def remove_boundary(
        self, target: CloudTargetConfig, creds: Credentials, boundary: Boundary
    ) -> None:
        tenant_id = boundary_tenant(CLOUD, boundary, "oci_compartment")
        client = self._client(target, creds)
        try:
            with sdk_errors(CLOUD, f"get compartment {boundary.id}", creds, _describe):
                compartment = client.get_compartment(boundary.id).data
        except CloudError as error:
            if error.code in ("NotAuthorizedOrNotFound", "NotFound"):
                return
            raise
        if compartment.lifecycle_state in _GONE_STATES:
            return
        check_owner(CLOUD, f"compartment {boundary.id}", compartment.freeform_tags, tenant_id)
        with sdk_errors(CLOUD, f"delete compartment {boundary.id}", creds, _describe):
            client.delete_compartment(boundary.id)

    def terraform_env(self, target: CloudTargetConfig, creds: Credentials) -> dict[str, str]:
        """The oci provider's OCI_* variables (not TF_VAR_*, which would also set module
        variables of the same name, such as ``region``)."""
        require_credentials(CLOUD, creds, REQUIRED_KEYS)
        env = {
            "OCI_TENANCY_OCID": target.account_ref,
            "OCI_USER_OCID": creds["user_ocid"],
            "OCI_FINGERPRINT": creds["fingerprint"],
            "OCI_PRIVATE_KEY": creds["private_key_pem"],
            "OCI_REGION": target.default_region or creds["region"],
        }
        if creds.get("private_key_passphrase"):
            env["OCI_PRIVATE_KEY_PASSWORD"] = creds["private_key_passphrase"]
        return env
