"""The outbound event types and which audited action each one reports.

An event is derived from an audit-chain row as the transaction commits (events/outbox.py), so
an event exists if and only if the change it reports committed. To publish a new kind of
change, audit it with the action listed here: nothing else is needed.
"""

from __future__ import annotations

from enum import StrEnum


class EventType(StrEnum):
    tenant_created = "tenant.created"
    tenant_provisioned = "tenant.provisioned"
    tenant_updated = "tenant.updated"
    tenant_suspended = "tenant.suspended"
    tenant_resumed = "tenant.resumed"
    tenant_deprovisioned = "tenant.deprovisioned"
    tenant_failed = "tenant.failed"
    tenant_licence_renewed = "tenant.licence_renewed"
    run_succeeded = "run.succeeded"
    run_failed = "run.failed"
    run_awaiting_approval = "run.awaiting_approval"
    migration_phase_changed = "migration.phase_changed"
    snapshot_completed = "snapshot.completed"
    billing_event_failed = "billing.event_failed"
    drift_detected = "drift.detected"
    webhook_endpoint_disabled = "webhook_endpoint.disabled"


# Audit action -> event type. The actions of the last block are not audited yet: the features
# that will (approvals, migrations, snapshots, drift) publish by auditing under these names.
ACTION_EVENT_TYPES: dict[str, EventType] = {
    "tenant.created": EventType.tenant_created,
    "tenant.provisioned": EventType.tenant_provisioned,  # settled active after provisioning
    "tenant.updated": EventType.tenant_updated,
    "tenant.suspended": EventType.tenant_suspended,  # settled suspended
    "tenant.resumed": EventType.tenant_resumed,  # settled active after a resume
    "tenant.deprovisioned": EventType.tenant_deprovisioned,
    "tenant.failed": EventType.tenant_failed,
    "tenant.licence_renewed": EventType.tenant_licence_renewed,
    "run.succeeded": EventType.run_succeeded,
    "run.failed": EventType.run_failed,
    "billing.event_failed": EventType.billing_event_failed,
    "webhook_endpoint.disabled": EventType.webhook_endpoint_disabled,
    # Not audited yet (issue 15's other parts, later issues).
    "run.awaiting_approval": EventType.run_awaiting_approval,
    "migration.phase_changed": EventType.migration_phase_changed,
    "snapshot.completed": EventType.snapshot_completed,
    "drift.detected": EventType.drift_detected,
}
