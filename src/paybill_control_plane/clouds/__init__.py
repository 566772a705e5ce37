"""Cloud adapters: validate credentials, create and remove each tenant's boundary, and hand
credentials to Terraform. Cloud SDKs are optional extras, imported only when an adapter runs."""

from .base import (
    CLOUD_NAMES,
    Boundary,
    BoundaryConflictError,
    BoundaryRequest,
    CloudAdapter,
    CloudConfigError,
    CloudError,
    CloudName,
    CloudTargetConfig,
    Credentials,
    MissingCredentialError,
    MissingExtraError,
    ValidationResult,
)
from .registry import EXTRAS, SUPPORTED_CLOUDS, extra_for, get_adapter

__all__ = [
    "CLOUD_NAMES",
    "EXTRAS",
    "SUPPORTED_CLOUDS",
    "Boundary",
    "BoundaryConflictError",
    "BoundaryRequest",
    "CloudAdapter",
    "CloudConfigError",
    "CloudError",
    "CloudName",
    "CloudTargetConfig",
    "Credentials",
    "MissingCredentialError",
    "MissingExtraError",
    "ValidationResult",
    "extra_for",
    "get_adapter",
]
