"""Tenant rules that need no database: placement and isolation against a tier, versions.

Pure functions, so billing's checkout can validate a purchase with them without importing the
tenants service."""

from __future__ import annotations

from paybill_control_plane.errors import StaleVersion, Unprocessable
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tier import Tier


class TierConstraintViolation(Unprocessable):
    type_slug = "tier-constraint-violation"
    title = "Not allowed by the tenant's tier"


def check_placement(tier: Tier, cloud: str, region: str) -> None:
    """The tier must allow the cloud and, where it lists regions, the region."""
    if cloud not in tier.allowed_clouds:
        raise TierConstraintViolation(
            f"Tier '{tier.key}' does not allow cloud '{cloud}'.",
            extra={"allowed_clouds": tier.allowed_clouds},
        )
    regions = tier.allowed_regions.get(cloud)
    if regions and region not in regions:
        raise TierConstraintViolation(
            f"Tier '{tier.key}' does not allow region '{region}' on '{cloud}'.",
            extra={"allowed_regions": regions},
        )


def resolve_isolation(tier: Tier, requested: str | None) -> tuple[str, bool]:
    """(isolation model, whether it overrides the tier default)."""
    if requested is None or requested == tier.default_isolation:
        return tier.default_isolation, False
    if requested not in tier.allowed_isolation:
        raise TierConstraintViolation(
            f"Tier '{tier.key}' does not allow the isolation model '{requested}'.",
            extra={"allowed_isolation": tier.allowed_isolation},
        )
    return requested, True


def isolation_for_tier(tenant: Tenant, tier: Tier) -> tuple[str, bool]:
    """The (isolation model, override) the tenant gets on `tier`: its override where the new
    tier allows it, else the tier's default."""
    requested = tenant.isolation_model if tenant.isolation_override else None
    if requested is not None and requested not in tier.allowed_isolation:
        requested = None
    return resolve_isolation(tier, requested)


def check_version(tenant: Tenant, expected: int) -> None:
    if tenant.version != expected:
        raise StaleVersion(
            f"Version {expected} is stale; the tenant is at version {tenant.version}.",
            extra={"current_version": tenant.version},
        )
