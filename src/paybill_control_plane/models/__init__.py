"""All tables; imported by migrations/env.py so autogenerate and `alembic check` see them."""

from paybill_control_plane.models.api_key import ApiKey
from paybill_control_plane.models.approval import Approval
from paybill_control_plane.models.audit_event import AuditEvent
from paybill_control_plane.models.billing_event import BillingEvent
from paybill_control_plane.models.checkout_session import CheckoutSession
from paybill_control_plane.models.cloud_target import CloudTarget
from paybill_control_plane.models.console_session import ConsoleSession
from paybill_control_plane.models.fleet import (
    DriftFinding,
    ModuleRelease,
    Rollout,
    RolloutTarget,
    SchemaMigration,
)
from paybill_control_plane.models.idempotency_record import IdempotencyRecord
from paybill_control_plane.models.plan import Plan
from paybill_control_plane.models.policy import Policy
from paybill_control_plane.models.pool import Pool
from paybill_control_plane.models.rate_limit_counter import RateLimitCounter
from paybill_control_plane.models.run import Run, RunLogLine
from paybill_control_plane.models.run_plan import RunPlan
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.models.stripe_entitlements import StripeEntitlements
from paybill_control_plane.models.subscription import Subscription
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tenant_database import TenantDatabase
from paybill_control_plane.models.tenant_migration import TenantMigration
from paybill_control_plane.models.tenant_snapshot import SnapshotRestore, TenantSnapshot
from paybill_control_plane.models.tier import Tier
from paybill_control_plane.models.webhook import (
    LicenceKey,
    LicenceRenewal,
    OutboundEvent,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

__all__ = [
    "ApiKey",
    "Approval",
    "AuditEvent",
    "BillingEvent",
    "CheckoutSession",
    "CloudTarget",
    "ConsoleSession",
    "DriftFinding",
    "IdempotencyRecord",
    "LicenceKey",
    "LicenceRenewal",
    "ModuleRelease",
    "OutboundEvent",
    "Plan",
    "Policy",
    "Pool",
    "RateLimitCounter",
    "Rollout",
    "RolloutTarget",
    "Run",
    "RunLogLine",
    "RunPlan",
    "SchemaMigration",
    "SnapshotRestore",
    "Stack",
    "StripeEntitlements",
    "Subscription",
    "Tenant",
    "TenantDatabase",
    "TenantMigration",
    "TenantSnapshot",
    "Tier",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]
