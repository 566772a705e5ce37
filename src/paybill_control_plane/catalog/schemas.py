"""Tier, plan and entitlement schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, StrictBool, StrictFloat, model_validator

from paybill_control_plane.catalog.policy_schemas import PolicyCreate
from paybill_control_plane.kit import windows
from paybill_control_plane.kit.schemas import (
    InputModel,
    Integer,
    Key,
    Name,
    NonNegativeInt32,
    NonNegativeInteger,
    OutputModel,
    PatchModel,
    PositiveInt32,
    _json_integer,
)
from paybill_control_plane.models.enums import Cloud, IsolationModel, PlanInterval


class Sizing(InputModel):
    """Terraform sizing handed to every module (see terraform-modules/README.md)."""

    # Strict numbers and booleans (here and below): `true` is not 1 day, `"2"` is not 2 units;
    # pydantic's lax mode would accept both, though the published schema does not.
    compute_units: StrictFloat = Field(
        gt=0, description="vCPU-equivalents of the tenant's compute."
    )
    memory_gb: StrictFloat = Field(gt=0)
    storage_gb: Integer = Field(gt=0)
    db_class: Literal["small", "medium", "large", "xlarge"]
    replicas: Integer = Field(ge=1)
    backup_retention_days: Integer = Field(ge=0, le=35)


def _type_required(schema: dict[str, Any]) -> None:
    # `type` picks the variant: the API needs it even where Python code may leave the default.
    if "type" not in schema.setdefault("required", []):
        schema["required"].insert(1, "type")


class BooleanFeature(InputModel):
    model_config = ConfigDict(json_schema_extra=_type_required)

    key: Key
    type: Literal["boolean"] = "boolean"
    name: str | None = None
    enabled: StrictBool


class NumericFeature(InputModel):
    model_config = ConfigDict(json_schema_extra=_type_required)

    key: Key
    type: Literal["numeric"] = "numeric"
    name: str | None = None
    value: NonNegativeInteger | None = Field(default=None, description="Null only when unlimited.")
    unit: str | None = None
    unlimited: StrictBool = False

    @model_validator(mode="after")
    def _value_or_unlimited(self) -> NumericFeature:
        if self.value is None and not self.unlimited:
            raise ValueError("a numeric feature needs a value unless it is unlimited")
        return self


class SetFeature(InputModel):
    model_config = ConfigDict(json_schema_extra=_type_required)

    key: Key
    type: Literal["set"] = "set"
    name: str | None = None
    values: list[str]


# Bounds before the validator (see kit.schemas): 2.0 is a JSON integer, `true` and "2" are not.
ApprovalsRequired = Annotated[int, Field(ge=1, le=5), BeforeValidator(_json_integer)]
Feature = Annotated[BooleanFeature | NumericFeature | SetFeature, Field(discriminator="type")]


def _check_unique_keys(features: list[Feature]) -> None:
    seen: set[str] = set()
    for feature in features:
        if feature.key in seen:
            raise ValueError(f"feature key '{feature.key}' appears twice")
        seen.add(feature.key)


class SnapshotSchedule(InputModel):
    """Scheduled snapshots of the tier's tenants' data (docs/snapshots.md)."""

    every: Literal["hourly", "daily", "weekly"] = Field(description="How often one is taken.")
    keep: int = Field(ge=1, le=1000, description="How many scheduled snapshots are kept.")


class TierFields(InputModel):
    name: Name
    rank: NonNegativeInt32 = Field(description="Ordering of tiers; a higher rank is an upgrade.")
    default_isolation: IsolationModel
    allowed_isolation: list[IsolationModel] | None = Field(
        default=None, description="Isolation models a tenant may override to; default: the default."
    )
    features: list[Feature] = Field(default_factory=list)
    sizing: Sizing
    allowed_clouds: list[Cloud] = Field(default_factory=lambda: list(Cloud))
    allowed_regions: dict[Cloud, list[str]] = Field(
        default_factory=dict, description="Per cloud, the allowed regions; a missing cloud: any."
    )
    pool_capacity: PositiveInt32 | None = Field(
        default=None, description="Tenants per pool for this tier; null: service default."
    )
    tier_group: Key | None = Field(
        default=None, description="Tiers of one group share pools; default: the tier key."
    )
    module_versions: dict[str, str] = Field(
        default_factory=dict,
        description="Pinned module release versions by module ('local/silo': '1.2.0'): new "
        "stacks of this tier's tenants run that release instead of the module on disk.",
    )
    drift_interval_seconds: PositiveInt32 | None = Field(
        default=None,
        description="Check this tier's stacks for drift this often (null: the default).",
    )
    maintenance_window: str | None = Field(
        default=None,
        max_length=100,
        description="When rollouts may touch this tier's tenants, e.g. 'sat,sun 02:00-06:00' (UTC).",
    )
    snapshot_schedule: SnapshotSchedule | None = Field(
        default=None, description="Scheduled snapshots of its tenants' data; null: none."
    )
    approvals_required: ApprovalsRequired = Field(
        default=1,
        description="Distinct approvers a run of this tier's tenants needs when a policy holds it.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> TierFields:
        allowed = self.allowed_isolation or [self.default_isolation]
        if self.default_isolation not in allowed:
            raise ValueError("default_isolation must be one of allowed_isolation")
        self.allowed_isolation = sorted(set(allowed), key=list(IsolationModel).index)
        self.allowed_clouds = sorted(set(self.allowed_clouds), key=list(Cloud).index)
        for cloud in self.allowed_regions:
            if cloud not in self.allowed_clouds:
                raise ValueError(f"allowed_regions names cloud '{cloud}' not in allowed_clouds")
        _check_unique_keys(self.features)
        if self.maintenance_window is not None:
            windows.parse(self.maintenance_window)  # InvalidWindow is a ValueError: a 422
        return self


class TierCreate(TierFields):
    key: Key

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "key": "pro",
                    "name": "Pro",
                    "rank": 20,
                    "default_isolation": "bridge",
                    "allowed_isolation": ["bridge", "silo"],
                    "features": [
                        {"key": "seats", "type": "numeric", "value": 25, "unit": "seat"},
                        {"key": "sso", "type": "boolean", "enabled": True},
                    ],
                    "sizing": {
                        "compute_units": 2,
                        "memory_gb": 4,
                        "storage_gb": 50,
                        "db_class": "medium",
                        "replicas": 2,
                        "backup_retention_days": 14,
                    },
                    "allowed_clouds": ["aws", "gcp", "local"],
                }
            ]
        }
    }


class TierUpdate(PatchModel):
    nullable = frozenset(
        {
            "allowed_isolation",
            "pool_capacity",
            "tier_group",
            "drift_interval_seconds",
            "maintenance_window",
            "snapshot_schedule",
        }
    )

    name: Name | None = None
    rank: NonNegativeInt32 | None = None
    default_isolation: IsolationModel | None = None
    allowed_isolation: list[IsolationModel] | None = None
    features: list[Feature] | None = None
    sizing: Sizing | None = None
    allowed_clouds: list[Cloud] | None = None
    allowed_regions: dict[Cloud, list[str]] | None = None
    pool_capacity: PositiveInt32 | None = None
    tier_group: Key | None = None
    module_versions: dict[str, str] | None = None
    drift_interval_seconds: PositiveInt32 | None = None
    maintenance_window: str | None = Field(default=None, max_length=100)
    snapshot_schedule: SnapshotSchedule | None = None
    approvals_required: ApprovalsRequired | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "name": "Pro (2025)",
                    "features": [
                        {"key": "seats", "type": "numeric", "value": 50, "unit": "seat"},
                        {"key": "sso", "type": "boolean", "enabled": True},
                    ],
                }
            ]
        }
    }


class TierOut(OutputModel):
    key: str
    name: str
    rank: int
    default_isolation: IsolationModel
    allowed_isolation: list[IsolationModel]
    features: list[Feature]
    sizing: Sizing
    allowed_clouds: list[Cloud]
    allowed_regions: dict[Cloud, list[str]]
    pool_capacity: int | None
    tier_group: str | None
    module_versions: dict[str, str] = Field(default_factory=dict)
    drift_interval_seconds: int | None = None
    maintenance_window: str | None = None
    snapshot_schedule: SnapshotSchedule | None
    approvals_required: int
    version: int
    created_at: datetime
    updated_at: datetime


class PlanFields(InputModel):
    name: Name
    tier: Key = Field(description="Key of the tier this plan grants.")
    stripe_product_id: str | None = Field(default=None, max_length=255)
    stripe_price_ids: list[str] = Field(
        default_factory=list, description="Stripe price ids that map to this plan (unique overall)."
    )
    interval: PlanInterval = PlanInterval.month
    active: StrictBool = True
    entitlements_source: Literal["catalog", "stripe"] = Field(
        default="catalog",
        description="stripe: the features named in `stripe_features` are granted only while the "
        "customer holds the Stripe entitlement (applied from "
        "`entitlements.active_entitlement_summary.updated`).",
    )
    stripe_features: dict[str, Key] = Field(
        default_factory=dict,
        max_length=100,
        description="Stripe feature lookup key -> catalog feature key.",
    )


class PlanCreate(PlanFields):
    key: Key

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "key": "pro-monthly",
                    "name": "Pro (monthly)",
                    "tier": "pro",
                    "stripe_product_id": "prod_Pro",
                    "stripe_price_ids": ["price_pro_monthly"],
                    "interval": "month",
                }
            ]
        }
    }


class PlanUpdate(PatchModel):
    nullable = frozenset({"stripe_product_id"})

    name: Name | None = None
    tier: Key | None = None
    stripe_product_id: str | None = None
    stripe_price_ids: list[str] | None = None
    interval: PlanInterval | None = None
    active: StrictBool | None = None
    entitlements_source: Literal["catalog", "stripe"] | None = None
    stripe_features: dict[str, Key] | None = None

    model_config = {"json_schema_extra": {"examples": [{"active": False}]}}


class PlanOut(OutputModel):
    key: str
    name: str
    tier: str
    stripe_product_id: str | None
    stripe_price_ids: list[str]
    interval: PlanInterval
    active: bool
    entitlements_source: str
    stripe_features: dict[str, str]
    version: int
    created_at: datetime
    updated_at: datetime


class CatalogFile(InputModel):
    """The YAML document applied by `paybill catalog apply`."""

    tiers: list[TierCreate] = Field(default_factory=list)
    plans: list[PlanCreate] = Field(default_factory=list)
    policies: list[PolicyCreate] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_policy_names(self) -> CatalogFile:
        names = [p.name for p in self.policies]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(f"policy '{name}' appears twice")
        return self


class CatalogApplyResult(OutputModel):
    created: list[str]
    updated: list[str]
    unchanged: list[str]

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)
