"""The cloud adapter interface, its value objects and its errors.

Nothing here imports a cloud SDK: each adapter imports its SDK lazily, inside the adapter,
so the control plane runs (with the ``local`` cloud) without any optional extra installed.
Adapters are synchronous; the worker calls them through ``asyncio.to_thread``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, Protocol, runtime_checkable

CloudName = Literal["aws", "azure", "gcp", "oci", "ibm", "local"]
CLOUD_NAMES: tuple[CloudName, ...] = ("aws", "azure", "gcp", "oci", "ibm", "local")

# Per cloud: aws access_key_id, secret_access_key, [session_token], [role_arn], [external_id];
# azure tenant_id, client_id, client_secret; gcp service_account_json;
# oci user_ocid, fingerprint, private_key_pem, region, [private_key_passphrase]; ibm api_key.
Credentials = Mapping[str, str]

_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off", ""})


class CloudError(Exception):
    """A cloud operation failed. The message names the cloud and never contains secrets."""

    def __init__(
        self, cloud: str, message: str, *, code: str | None = None, retryable: bool = False
    ) -> None:
        super().__init__(f"[{cloud}] {message}")
        self.cloud = cloud
        self.message = message
        self.code = code
        # True for throttling, timeouts and 5xx: the worker may retry the same call later.
        self.retryable = retryable


class MissingExtraError(CloudError):
    """The cloud's SDK is not installed: tells the user which extra to install."""

    def __init__(self, cloud: str, module: str) -> None:
        super().__init__(
            cloud,
            f"the {cloud} adapter needs the Python package that provides '{module}', which is "
            f"not installed: pip install 'paybill-control-plane[{cloud}]'",
            code="missing-extra",
        )
        self.module = module


class MissingCredentialError(CloudError):
    """Required credential keys are absent or empty (only the key names are reported)."""

    def __init__(self, cloud: str, missing: list[str]) -> None:
        super().__init__(
            cloud,
            f"{cloud} credentials are missing required key(s): {', '.join(missing)}",
            code="missing-credentials",
        )
        self.missing = missing


class CloudConfigError(CloudError):
    """The cloud target's settings are incomplete or invalid."""

    def __init__(self, cloud: str, message: str) -> None:
        super().__init__(cloud, message, code="invalid-target")


class BoundaryConflictError(CloudError):
    """The boundary's derived name is taken by something this tenant does not own."""

    def __init__(self, cloud: str, message: str) -> None:
        super().__init__(cloud, message, code="boundary-conflict")


@dataclass(frozen=True, slots=True)
class CloudTargetConfig:
    """Where and how tenants of one cloud account/subscription/project/tenancy are provisioned.

    ``account_ref`` is the AWS account id, Azure subscription id, GCP project or organization
    id, OCI tenancy OCID or IBM account id. ``settings`` holds cloud-specific, non-secret
    options (each adapter module documents its keys); ``endpoint_url`` overrides the SDK's API
    endpoint (sovereign clouds, private endpoints, tests).
    """

    cloud: str  # one of CLOUD_NAMES, checked on construction (values come from the database)
    name: str
    default_region: str
    account_ref: str
    settings: Mapping[str, str] = field(default_factory=dict)
    endpoint_url: str | None = None

    def __post_init__(self) -> None:
        if self.cloud not in CLOUD_NAMES:
            raise CloudConfigError(
                self.cloud, f"unknown cloud; expected one of {', '.join(CLOUD_NAMES)}"
            )
        # A read-only copy: a target is a value, shared between threads.
        object.__setattr__(self, "settings", MappingProxyType(dict(self.settings)))

    def setting(self, key: str) -> str | None:
        """The setting's value, or None when it is absent or empty."""
        value = self.settings.get(key)
        return value or None

    def require_setting(self, key: str, why: str = "") -> str:
        """The setting's value, or a CloudConfigError naming it."""
        value = self.setting(key)
        if value is None:
            reason = f" {why}" if why else ""
            raise CloudConfigError(
                self.cloud, f"target '{self.name}' needs the setting '{key}'{reason}"
            )
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        """A boolean setting ("true"/"false", "1"/"0", "yes"/"no")."""
        raw = self.settings.get(key)
        if raw is None:
            return default
        value = raw.strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise CloudConfigError(
            self.cloud, f"target '{self.name}' setting '{key}' must be true or false"
        )

    def seconds(self, key: str, default: float) -> float:
        """A non-negative duration setting in seconds."""
        raw = self.setting(key)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if value < 0:
            raise CloudConfigError(
                self.cloud, f"target '{self.name}' setting '{key}' must be a number of seconds"
            )
        return value


@dataclass(frozen=True, slots=True)
class BoundaryRequest:
    """What the tenant's boundary is for. ``region`` None means the target's default region."""

    tenant_id: str
    tenant_slug: str
    isolation_model: str  # silo | pooled | bridge
    region: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Boundary:
    """The tenant's isolation boundary in a cloud (account, resource group, project...).

    ``kind`` is one of ``aws_account``, ``tags``, ``azure_resource_group``, ``gcp_project``,
    ``oci_compartment``, ``ibm_resource_group``, ``local``; ``id`` is the cloud's id for it.
    ``attributes`` always holds ``tenant_id`` and ``name``; none of them is secret.
    """

    kind: str
    id: str
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """Outcome of a credential check: ``identity`` is who the cloud says we are."""

    ok: bool
    identity: str
    details: dict[str, str] = field(default_factory=dict)


@runtime_checkable
class CloudAdapter(Protocol):
    """One cloud, over its official SDK. Every method is safe to call again after a failure."""

    cloud: str

    def validate_credentials(
        self, target: CloudTargetConfig, creds: Credentials
    ) -> ValidationResult:
        """Ask the cloud who these credentials are.

        Missing credential keys raise MissingCredentialError; a refusal or an unreachable API
        gives ``ok=False`` with a secret-free ``details["error"]``.
        """
        ...

    def ensure_boundary(
        self, target: CloudTargetConfig, creds: Credentials, req: BoundaryRequest
    ) -> Boundary:
        """Create the tenant's boundary, or return it if it already exists (idempotent)."""
        ...

    def remove_boundary(
        self, target: CloudTargetConfig, creds: Credentials, boundary: Boundary
    ) -> None:
        """Remove the boundary; one that is already gone is fine (idempotent)."""
        ...

    def terraform_env(self, target: CloudTargetConfig, creds: Credentials) -> dict[str, str]:
        """Environment variables for the Terraform process's provider (contains secrets)."""
        ...
