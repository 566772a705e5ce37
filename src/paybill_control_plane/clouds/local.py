"""The ``local`` cloud: no SDK, no network. Its Terraform modules use only built-ins
(``terraform_data``), so real runs work offline, in tests and in the embedded default."""

from __future__ import annotations

from ._common import boundary_tenant, region_of
from .base import (
    Boundary,
    BoundaryRequest,
    CloudTargetConfig,
    Credentials,
    ValidationResult,
)

CLOUD = "local"


class LocalAdapter:
    cloud = CLOUD

    def validate_credentials(
        self, target: CloudTargetConfig, creds: Credentials
    ) -> ValidationResult:
        return ValidationResult(ok=True, identity="local", details={"target": target.name})

    def ensure_boundary(
        self, target: CloudTargetConfig, creds: Credentials, req: BoundaryRequest
    ) -> Boundary:
        """A synthetic boundary whose id depends only on the tenant id."""
        return Boundary(
            kind="local",
            id=f"local-{req.tenant_id}",
            attributes={
                "tenant_id": req.tenant_id,
                "name": f"paybill-{req.tenant_slug}",
                "region": region_of(target, req),
            },
        )

    def remove_boundary(
        self, target: CloudTargetConfig, creds: Credentials, boundary: Boundary
    ) -> None:
        boundary_tenant(CLOUD, boundary, "local")

    def terraform_env(self, target: CloudTargetConfig, creds: Credentials) -> dict[str, str]:
        return {}
