"""Tenant schemas: what a caller may send and what the API answers."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import EmailStr, Field

from paybill_control_plane.catalog.schemas import Feature
from paybill_control_plane.kit.schemas import (
    InputModel,
    Key,
    LabelKey,
    LabelValue,
    Name,
    OutputModel,
    PatchModel,
    Slug,
)
from paybill_control_plane.models.enums import Cloud, IsolationModel, TenantStatus


class Contact(InputModel):
    email: EmailStr
    name: str | None = Field(default=None, max_length=200)
    role: str | None = Field(default=None, max_length=50, description="e.g. billing, technical")


class TenantCreate(InputModel):
    slug: Slug = Field(description="DNS-safe, unique; used in resource names and endpoints.")
    name: Name
    tier: Key
    cloud: Cloud
    region: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")
    isolation_model: IsolationModel | None = Field(
        default=None, description="Override of the tier's default; only where the tier allows it."
    )
    labels: dict[LabelKey, LabelValue] = Field(default_factory=dict, max_length=32)
    contacts: list[Contact] = Field(default_factory=list, max_length=20)
    cloud_target_id: uuid.UUID | None = Field(
        default=None,
        description="The cloud target (account) to provision in; it must be of the tenant's "
        "cloud. Omitted: the cloud's only target, if it has exactly one (none needed on local).",
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "slug": "acme",
                    "name": "Acme Corp",
                    "tier": "pro",
                    "cloud": "local",
                    "region": "local-1",
                    "labels": {"cost-center": "sales"},
                    "contacts": [{"email": "ops@acme.example", "role": "technical"}],
                }
            ]
        }
    }


class TenantUpdate(PatchModel):
    name: Name | None = None
    tier: Key | None = Field(
        default=None, description="A tier change re-plans the tenant's stacks."
    )
    labels: dict[LabelKey, LabelValue] | None = Field(default=None, max_length=32)
    contacts: list[Contact] | None = Field(default=None, max_length=20)
    entitlement_overrides: list[Feature] | None = Field(
        default=None, description="Features that replace (by key) or add to the tier's."
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "tier": "enterprise",
                    "labels": {"cost-center": "sales"},
                    "entitlement_overrides": [{"key": "seats", "type": "numeric", "value": 80}],
                }
            ]
        }
    }


class BillingRefs(OutputModel):
    provider: str = Field(description="stripe or manual")
    stripe_customer_id: str | None
    stripe_subscription_id: str | None


class TenantOut(OutputModel):
    id: uuid.UUID
    slug: str
    name: str
    status: TenantStatus
    desired_state: Literal["active", "suspended", "deprovisioned"] = Field(
        description="What the tenant's runs converge to; `status` settles on it when done."
    )
    tier: str
    isolation_model: IsolationModel
    cloud: Cloud
    region: str
    pool_id: uuid.UUID | None = Field(description="The pool of a pooled or bridge tenant.")
    cloud_target_id: uuid.UUID | None = Field(
        description="The cloud target it is provisioned in (null: local, or not chosen yet)."
    )
    labels: dict[str, str]
    contacts: list[Contact]
    entitlement_overrides: list[Feature]
    billing: BillingRefs
    suspended_by: Literal["operator", "billing"] | None = Field(
        default=None,
        description="Who suspended the tenant: an operator's suspension holds until an operator "
        "resumes it, whatever Stripe says; billing's is lifted once the subscription is paid.",
    )
    allowed_actions: list[str] = Field(description="Lifecycle actions valid in the current status.")
    version: int
    status_changed_at: datetime
    created_at: datetime
    updated_at: datetime


class EntitlementsOut(OutputModel):
    tenant_id: uuid.UUID
    tier: str
    source: Literal["catalog", "stripe"] = Field(
        default="catalog",
        description="stripe: the plan takes (some) features from the customer's Stripe "
        "entitlements.",
    )
    features: list[Feature] = Field(
        description="Tier features (granted or withdrawn by Stripe entitlements where the plan "
        "says so) with the tenant's overrides applied."
    )
    limits: dict[str, int | None] = Field(
        description="Numeric features as key → value (null: unlimited)."
    )
    flags: dict[str, bool] = Field(description="Boolean features as key → enabled.")
