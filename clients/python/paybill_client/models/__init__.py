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
from .database_status import DatabaseStatus
from .drift_check_queued import DriftCheckQueued
from .drift_finding_out import DriftFindingOut
from .drift_finding_out_attributes import DriftFindingOutAttributes
from .drift_finding_out_status import DriftFindingOutStatus
from .drift_finding_page import DriftFindingPage
from .drift_findings_list_status import DriftFindingsListStatus
from .drift_ignore import DriftIgnore
from .entitlements_out import EntitlementsOut
from .entitlements_out_flags import EntitlementsOutFlags
from .entitlements_out_limits import EntitlementsOutLimits
from .entitlements_out_source import EntitlementsOutSource
from .event_run import EventRun
from .event_run_status import EventRunStatus
from .event_type import EventType
from .health import Health
from .isolation_model import IsolationModel
from .jwk import Jwk
from .jwks import Jwks
from .licence_key_rotated import LicenceKeyRotated
from .licence_out import LicenceOut
from .licence_out_claims import LicenceOutClaims
from .migration_create import MigrationCreate
from .migration_out import MigrationOut
from .migration_page import MigrationPage
from .migration_phase import MigrationPhase
from .migration_phase_out import MigrationPhaseOut
from .migration_plan_out import MigrationPlanOut
from .migration_plan_out_data import MigrationPlanOutData
from .migration_plan_out_source_stacks_item import MigrationPlanOutSourceStacksItem
from .migration_plan_out_target_stacks_item import MigrationPlanOutTargetStacksItem
from .migration_side import MigrationSide
from .migration_status import MigrationStatus
from .module_release_create import ModuleReleaseCreate
from .module_release_create_files_type_0 import ModuleReleaseCreateFilesType0
from .module_release_out import ModuleReleaseOut
from .module_release_page import ModuleReleasePage
from .numeric_feature import NumericFeature
from .outbound_event_out import OutboundEventOut
from .outbound_event_out_data import OutboundEventOutData
from .outbound_event_page import OutboundEventPage
from .plan_addresses import PlanAddresses
from .plan_counts import PlanCounts
from .plan_create import PlanCreate
from .plan_create_entitlements_source import PlanCreateEntitlementsSource
from .plan_create_stripe_features import PlanCreateStripeFeatures
from .plan_interval import PlanInterval
from .plan_out import PlanOut
from .plan_out_stripe_features import PlanOutStripeFeatures
from .plan_page import PlanPage
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
from .policy_page import PolicyPage
from .pool_out import PoolOut
from .pool_page import PoolPage
from .portal_session_create import PortalSessionCreate
from .portal_session_out import PortalSessionOut
from .problem import Problem
from .redelivery import Redelivery
from .reject_body import RejectBody
from .restore_create import RestoreCreate
from .restore_create_mode import RestoreCreateMode
from .restore_out import RestoreOut
from .restore_out_mode import RestoreOutMode
from .restore_out_status import RestoreOutStatus
from .role import Role
from .rollout_create import RolloutCreate
from .rollout_detail import RolloutDetail
from .rollout_detail_counts import RolloutDetailCounts
from .rollout_detail_kind import RolloutDetailKind
from .rollout_detail_selector import RolloutDetailSelector
from .rollout_detail_status import RolloutDetailStatus
from .rollout_detail_strategy import RolloutDetailStrategy
from .rollout_out import RolloutOut
from .rollout_out_counts import RolloutOutCounts
from .rollout_out_kind import RolloutOutKind
from .rollout_out_selector import RolloutOutSelector
from .rollout_out_status import RolloutOutStatus
from .rollout_out_strategy import RolloutOutStrategy
from .rollout_page import RolloutPage
from .rollout_selector import RolloutSelector
from .rollout_selector_labels import RolloutSelectorLabels
from .rollout_strategy import RolloutStrategy
from .rollout_target_out import RolloutTargetOut
from .rollout_target_out_status import RolloutTargetOutStatus
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
from .schema_migration_in import SchemaMigrationIn
from .schema_migration_out import SchemaMigrationOut
from .schema_release_create import SchemaReleaseCreate
from .schema_rollout_create import SchemaRolloutCreate
from .set_feature import SetFeature
from .signup_checkout_create import SignupCheckoutCreate
from .sizing import Sizing
from .sizing_db_class import SizingDbClass
from .snapshot_out import SnapshotOut
from .snapshot_out_kind import SnapshotOutKind
from .snapshot_out_status import SnapshotOutStatus
from .snapshot_out_tables_type_0 import SnapshotOutTablesType0
from .snapshot_page import SnapshotPage
from .snapshot_schedule import SnapshotSchedule
from .snapshot_schedule_every import SnapshotScheduleEvery
from .snapshot_status import SnapshotStatus
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
from .table_fingerprint_out import TableFingerprintOut
from .tenant_checkout_create import TenantCheckoutCreate
from .tenant_create import TenantCreate
from .tenant_create_labels import TenantCreateLabels
from .tenant_database_credentials import TenantDatabaseCredentials
from .tenant_database_out import TenantDatabaseOut
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
from .tier_create_module_versions import TierCreateModuleVersions
from .tier_out import TierOut
from .tier_out_allowed_regions import TierOutAllowedRegions
from .tier_out_module_versions import TierOutModuleVersions
from .tier_page import TierPage
from .tier_update import TierUpdate
from .tier_update_allowed_regions import TierUpdateAllowedRegions
from .tier_update_module_versions import TierUpdateModuleVersions
from .validation import Validation
from .validation_details import ValidationDetails
from .validation_issue import ValidationIssue
from .wave_out import WaveOut
from .wave_out_counts import WaveOutCounts
from .webhook_ack import WebhookAck
from .webhook_attempt_out import WebhookAttemptOut
from .webhook_attempt_page import WebhookAttemptPage
from .webhook_endpoint_create import WebhookEndpointCreate
from .webhook_endpoint_out import WebhookEndpointOut
from .webhook_endpoint_page import WebhookEndpointPage
from .webhook_endpoint_update import WebhookEndpointUpdate
from .webhook_endpoint_with_secret import WebhookEndpointWithSecret

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
    "DatabaseStatus",
    "DriftCheckQueued",
    "DriftFindingOut",
    "DriftFindingOutAttributes",
    "DriftFindingOutStatus",
    "DriftFindingPage",
    "DriftFindingsListStatus",
    "DriftIgnore",
    "EntitlementsOut",
    "EntitlementsOutFlags",
    "EntitlementsOutLimits",
    "EntitlementsOutSource",
    "EventRun",
    "EventRunStatus",
    "EventType",
    "Health",
    "IsolationModel",
    "Jwk",
    "Jwks",
    "LicenceKeyRotated",
    "LicenceOut",
    "LicenceOutClaims",
    "MigrationCreate",
    "MigrationOut",
    "MigrationPage",
    "MigrationPhase",
    "MigrationPhaseOut",
    "MigrationPlanOut",
    "MigrationPlanOutData",
    "MigrationPlanOutSourceStacksItem",
    "MigrationPlanOutTargetStacksItem",
    "MigrationSide",
    "MigrationStatus",
    "ModuleReleaseCreate",
    "ModuleReleaseCreateFilesType0",
    "ModuleReleaseOut",
    "ModuleReleasePage",
    "NumericFeature",
    "OutboundEventOut",
    "OutboundEventOutData",
    "OutboundEventPage",
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
    "PlanPage",
    "PlanUpdate",
    "PlanUpdateEntitlementsSource",
    "PlanUpdateStripeFeatures",
    "PolicyAppliesTo",
    "PolicyAppliesToOperationsType0Item",
    "PolicyEnforcement",
    "PolicyFields",
    "PolicyHit",
    "PolicyOut",
    "PolicyPage",
    "PoolOut",
    "PoolPage",
    "PortalSessionCreate",
    "PortalSessionOut",
    "Problem",
    "Redelivery",
    "RejectBody",
    "RestoreCreate",
    "RestoreCreateMode",
    "RestoreOut",
    "RestoreOutMode",
    "RestoreOutStatus",
    "Role",
    "RolloutCreate",
    "RolloutDetail",
    "RolloutDetailCounts",
    "RolloutDetailKind",
    "RolloutDetailSelector",
    "RolloutDetailStatus",
    "RolloutDetailStrategy",
    "RolloutOut",
    "RolloutOutCounts",
    "RolloutOutKind",
    "RolloutOutSelector",
    "RolloutOutStatus",
    "RolloutOutStrategy",
    "RolloutPage",
    "RolloutSelector",
    "RolloutSelectorLabels",
    "RolloutStrategy",
    "RolloutTargetOut",
    "RolloutTargetOutStatus",
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
    "SchemaMigrationIn",
    "SchemaMigrationOut",
    "SchemaReleaseCreate",
    "SchemaRolloutCreate",
    "SetFeature",
    "SignupCheckoutCreate",
    "Sizing",
    "SizingDbClass",
    "SnapshotOut",
    "SnapshotOutKind",
    "SnapshotOutStatus",
    "SnapshotOutTablesType0",
    "SnapshotPage",
    "SnapshotSchedule",
    "SnapshotScheduleEvery",
    "SnapshotStatus",
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
    "TableFingerprintOut",
    "TenantCheckoutCreate",
    "TenantCreate",
    "TenantCreateLabels",
    "TenantDatabaseCredentials",
    "TenantDatabaseOut",
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
    "TierCreateModuleVersions",
    "TierOut",
    "TierOutAllowedRegions",
    "TierOutModuleVersions",
    "TierPage",
    "TierUpdate",
    "TierUpdateAllowedRegions",
    "TierUpdateModuleVersions",
    "Validation",
    "ValidationDetails",
    "ValidationIssue",
    "WaveOut",
    "WaveOutCounts",
    "WebhookAck",
    "WebhookAttemptOut",
    "WebhookAttemptPage",
    "WebhookEndpointCreate",
    "WebhookEndpointOut",
    "WebhookEndpointPage",
    "WebhookEndpointUpdate",
    "WebhookEndpointWithSecret",
)
