"""Contains all the data models used in inputs/outputs"""

from .api_key_create import ApiKeyCreate
from .api_key_created import ApiKeyCreated
from .api_key_out import ApiKeyOut
from .api_key_page import ApiKeyPage
from .approval_out import ApprovalOut
from .approval_page import ApprovalPage
from .approval_status import ApprovalStatus
from .approve_body import ApproveBody
from .approver import Approver
from .audit_event_out import AuditEventOut
from .audit_event_out_after_type_0 import AuditEventOutAfterType0
from .audit_event_out_before_type_0 import AuditEventOutBeforeType0
from .audit_event_page import AuditEventPage
from .audit_public_key import AuditPublicKey
from .billing_event_detail import BillingEventDetail
from .billing_event_detail_payload import BillingEventDetailPayload
from .billing_event_out import BillingEventOut
from .billing_event_page import BillingEventPage
from .billing_event_status import BillingEventStatus
from .billing_health import BillingHealth
from .billing_health_counts import BillingHealthCounts
from .billing_refs import BillingRefs
from .billing_webhooks_stripe_body import BillingWebhooksStripeBody
from .boolean_feature import BooleanFeature
from .checkout_session_out import CheckoutSessionOut
from .cloud import Cloud
from .cloud_target_create import CloudTargetCreate
from .cloud_target_create_credentials_type_0 import CloudTargetCreateCredentialsType0
from .cloud_target_create_settings import CloudTargetCreateSettings
from .cloud_target_out import CloudTargetOut
from .cloud_target_out_settings import CloudTargetOutSettings
from .cloud_target_out_state_backend import CloudTargetOutStateBackend
from .cloud_target_page import CloudTargetPage
from .cloud_target_update import CloudTargetUpdate
from .cloud_target_update_credentials_type_0 import CloudTargetUpdateCredentialsType0
from .cloud_target_update_settings_type_0 import CloudTargetUpdateSettingsType0
from .contact import Contact
from .entitlements_out import EntitlementsOut
from .entitlements_out_flags import EntitlementsOutFlags
from .entitlements_out_limits import EntitlementsOutLimits
from .entitlements_out_source import EntitlementsOutSource
from .event_run import EventRun
from .event_run_status import EventRunStatus
from .health import Health
from .isolation_model import IsolationModel
from .numeric_feature import NumericFeature
from .plan_addresses import PlanAddresses
from .plan_counts import PlanCounts
from .plan_create import PlanCreate
from .plan_create_entitlements_source import PlanCreateEntitlementsSource
from .plan_create_stripe_features import PlanCreateStripeFeatures
from .plan_interval import PlanInterval
from .plan_out import PlanOut
from .plan_out_stripe_features import PlanOutStripeFeatures
from .plan_update import PlanUpdate
from .plan_update_entitlements_source import PlanUpdateEntitlementsSource
from .plan_update_stripe_features import PlanUpdateStripeFeatures
from .planned_stack_out import PlannedStackOut
from .planned_stack_out_boundary_type_0 import PlannedStackOutBoundaryType0
from .planned_stack_out_kind import PlannedStackOutKind
from .planned_stack_out_variables import PlannedStackOutVariables
from .policy_applies_to import PolicyAppliesTo
from .policy_applies_to_operations_type_0_item import PolicyAppliesToOperationsType0Item
from .policy_enforcement import PolicyEnforcement
from .policy_fields import PolicyFields
from .policy_hit import PolicyHit
from .policy_out import PolicyOut
from .pool_out import PoolOut
from .pool_page import PoolPage
from .portal_session_create import PortalSessionCreate
from .portal_session_out import PortalSessionOut
from .problem import Problem
from .reject_body import RejectBody
from .role import Role
from .run_log_line_out import RunLogLineOut
from .run_logs import RunLogs
from .run_logs_run_status import RunLogsRunStatus
from .run_out import RunOut
from .run_out_operation_type_0 import RunOutOperationType0
from .run_out_status import RunOutStatus
from .run_page import RunPage
from .run_plan_out import RunPlanOut
from .run_plan_out_plan import RunPlanOutPlan
from .run_step import RunStep
from .saved_plan_summary import SavedPlanSummary
from .set_feature import SetFeature
from .signup_checkout_create import SignupCheckoutCreate
from .sizing import Sizing
from .sizing_db_class import SizingDbClass
from .stack_out import StackOut
from .stack_out_boundary_type_0 import StackOutBoundaryType0
from .stack_out_kind import StackOutKind
from .stack_out_outputs import StackOutOutputs
from .stack_out_status import StackOutStatus
from .stack_out_variables import StackOutVariables
from .stack_page import StackPage
from .stacks_list_kind import StacksListKind
from .state_backend import StateBackend
from .state_backend_config import StateBackendConfig
from .state_backend_kind import StateBackendKind
from .subscription_out import SubscriptionOut
from .tenant_checkout_create import TenantCheckoutCreate
from .tenant_create import TenantCreate
from .tenant_create_labels import TenantCreateLabels
from .tenant_out import TenantOut
from .tenant_out_desired_state import TenantOutDesiredState
from .tenant_out_labels import TenantOutLabels
from .tenant_out_suspended_by_type_0 import TenantOutSuspendedByType0
from .tenant_page import TenantPage
from .tenant_plan_out import TenantPlanOut
from .tenant_status import TenantStatus
from .tenant_update import TenantUpdate
from .tenant_update_labels import TenantUpdateLabels
from .tier_create import TierCreate
from .tier_create_allowed_regions import TierCreateAllowedRegions
from .tier_out import TierOut
from .tier_out_allowed_regions import TierOutAllowedRegions
from .tier_update import TierUpdate
from .tier_update_allowed_regions import TierUpdateAllowedRegions
from .validation import Validation
from .validation_details import ValidationDetails
from .validation_issue import ValidationIssue
from .webhook_ack import WebhookAck

__all__ = (
    "ApiKeyCreate",
    "ApiKeyCreated",
    "ApiKeyOut",
    "ApiKeyPage",
    "ApprovalOut",
    "ApprovalPage",
    "ApprovalStatus",
    "ApproveBody",
    "Approver",
    "AuditEventOut",
    "AuditEventOutAfterType0",
    "AuditEventOutBeforeType0",
    "AuditEventPage",
    "AuditPublicKey",
    "BillingEventDetail",
    "BillingEventDetailPayload",
    "BillingEventOut",
    "BillingEventPage",
    "BillingEventStatus",
    "BillingHealth",
    "BillingHealthCounts",
    "BillingRefs",
    "BillingWebhooksStripeBody",
    "BooleanFeature",
    "CheckoutSessionOut",
    "Cloud",
    "CloudTargetCreate",
    "CloudTargetCreateCredentialsType0",
    "CloudTargetCreateSettings",
    "CloudTargetOut",
    "CloudTargetOutSettings",
    "CloudTargetOutStateBackend",
    "CloudTargetPage",
    "CloudTargetUpdate",
    "CloudTargetUpdateCredentialsType0",
    "CloudTargetUpdateSettingsType0",
    "Contact",
    "EntitlementsOut",
    "EntitlementsOutFlags",
    "EntitlementsOutLimits",
    "EntitlementsOutSource",
    "EventRun",
    "EventRunStatus",
    "Health",
    "IsolationModel",
    "NumericFeature",
    "PlanAddresses",
    "PlanCounts",
    "PlanCreate",
    "PlanCreateEntitlementsSource",
    "PlanCreateStripeFeatures",
    "PlanInterval",
    "PlannedStackOut",
    "PlannedStackOutBoundaryType0",
    "PlannedStackOutKind",
    "PlannedStackOutVariables",
    "PlanOut",
    "PlanOutStripeFeatures",
    "PlanUpdate",
    "PlanUpdateEntitlementsSource",
    "PlanUpdateStripeFeatures",
    "PolicyAppliesTo",
    "PolicyAppliesToOperationsType0Item",
    "PolicyEnforcement",
    "PolicyFields",
    "PolicyHit",
    "PolicyOut",
    "PoolOut",
    "PoolPage",
    "PortalSessionCreate",
    "PortalSessionOut",
    "Problem",
    "RejectBody",
    "Role",
    "RunLogLineOut",
    "RunLogs",
    "RunLogsRunStatus",
    "RunOut",
    "RunOutOperationType0",
    "RunOutStatus",
    "RunPage",
    "RunPlanOut",
    "RunPlanOutPlan",
    "RunStep",
    "SavedPlanSummary",
    "SetFeature",
    "SignupCheckoutCreate",
    "Sizing",
    "SizingDbClass",
    "StackOut",
    "StackOutBoundaryType0",
    "StackOutKind",
    "StackOutOutputs",
    "StackOutStatus",
    "StackOutVariables",
    "StackPage",
    "StacksListKind",
    "StateBackend",
    "StateBackendConfig",
    "StateBackendKind",
    "SubscriptionOut",
    "TenantCheckoutCreate",
    "TenantCreate",
    "TenantCreateLabels",
    "TenantOut",
    "TenantOutDesiredState",
    "TenantOutLabels",
    "TenantOutSuspendedByType0",
    "TenantPage",
    "TenantPlanOut",
    "TenantStatus",
    "TenantUpdate",
    "TenantUpdateLabels",
    "TierCreate",
    "TierCreateAllowedRegions",
    "TierOut",
    "TierOutAllowedRegions",
    "TierUpdate",
    "TierUpdateAllowedRegions",
    "Validation",
    "ValidationDetails",
    "ValidationIssue",
    "WebhookAck",
)
