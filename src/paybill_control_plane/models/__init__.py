"""All tables; imported by migrations/env.py so autogenerate and `alembic check` see them."""

from paybill_control_plane.models.api_key import ApiKey
from paybill_control_plane.models.audit_event import AuditEvent
from paybill_control_plane.models.billing_event import BillingEvent
from paybill_control_plane.models.checkout_session import CheckoutSession
from paybill_control_plane.models.cloud_target import CloudTarget
from paybill_control_plane.models.console_session import ConsoleSession
from paybill_control_plane.models.idempotency_record import IdempotencyRecord
from paybill_control_plane.models.plan import Plan
from paybill_control_plane.models.pool import Pool
from paybill_control_plane.models.rate_limit_counter import RateLimitCounter
from paybill_control_plane.models.run import Run, RunLogLine
from paybill_control_plane.models.stack import Stack
from paybill_control_plane.models.stripe_entitlements import StripeEntitlements
from paybill_control_plane.models.subscription import Subscription
from paybill_control_plane.models.tenant import Tenant
from paybill_control_plane.models.tier import Tier

__all__ = [
    "ApiKey",
    "AuditEvent",
    "BillingEvent",
    "CheckoutSession",
    "CloudTarget",
    "ConsoleSession",
    "IdempotencyRecord",
    "Plan",
    "Pool",
    "RateLimitCounter",
    "Run",
    "RunLogLine",
    "Stack",
    "StripeEntitlements",
    "Subscription",
    "Tenant",
    "Tier",
]
