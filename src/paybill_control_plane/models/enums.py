"""Enumerations shared by tables, schemas and the API."""

from __future__ import annotations

from enum import StrEnum


class IsolationModel(StrEnum):
    silo = "silo"
    pooled = "pooled"
    bridge = "bridge"


class Cloud(StrEnum):
    aws = "aws"
    azure = "azure"
    gcp = "gcp"
    oci = "oci"
    ibm = "ibm"
    local = "local"


class TenantStatus(StrEnum):
    pending = "pending"
    provisioning = "provisioning"
    active = "active"
    updating = "updating"
    suspended = "suspended"
    deprovisioning = "deprovisioning"
    deprovisioned = "deprovisioned"
    purged = "purged"
    failed = "failed"


class Role(StrEnum):
    admin = "admin"
    operator = "operator"
    viewer = "viewer"
    billing = "billing"
    tenant = "tenant"


class PlanInterval(StrEnum):
    day = "day"
    week = "week"
    month = "month"
    year = "year"
    one_time = "one_time"


# The statuses below are stored as plain strings (String columns, no database enum), exactly as
# their values read; the enums only type the Python side, so no migration follows a change here.


class TenantDesiredState(StrEnum):
    """What a tenant's runs converge to (`tenants.desired_state`)."""

    active = "active"
    suspended = "suspended"
    deprovisioned = "deprovisioned"


class RunStatus(StrEnum):
    """`runs.status`: queued → running → succeeded, or retrying → running …, or failed;
    awaiting_approval: a policy holds the saved plan until enough people approve it."""

    queued = "queued"
    running = "running"
    retrying = "retrying"
    succeeded = "succeeded"
    failed = "failed"
    awaiting_approval = "awaiting_approval"


class StackStatus(StrEnum):
    """`stacks.status`: what Terraform last did to the stack."""

    pending = "pending"
    applying = "applying"
    applied = "applied"
    destroying = "destroying"
    destroyed = "destroyed"
    failed = "failed"


class DriftStatus(StrEnum):
    """`stacks.drift_status`."""

    unknown = "unknown"
    in_sync = "in_sync"
    drifted = "drifted"


class StepStatus(StrEnum):
    """The status of one step of a run (stored in `runs.steps`)."""

    running = "running"
    succeeded = "succeeded"
    failed = "failed"
    skipped = "skipped"
    waiting = "waiting"


# No docstring: the class is also the API's `BillingEventStatus` schema, and a docstring would
# become its description in openapi.json.
class BillingEventStatus(StrEnum):
    # received: stored, processing pending (or being retried); processed: applied (or found
    # stale); ignored: an event type the control plane does not act on; failed: gave up.
    received = "received"
    processed = "processed"
    ignored = "ignored"
    failed = "failed"


class SubscriptionDesiredState(StrEnum):
    """`subscriptions.desired_state`: what a subscription's Stripe status asks of its tenant."""

    provisioned = "provisioned"
    not_provisioned = "not_provisioned"
    grace = "grace"
    suspended = "suspended"
    cancelled = "cancelled"


class DatabaseStatus(StrEnum):
    """`tenant_databases.status`: where a tenant's data tier is in its life."""

    # The row is written before any object is made: a crash leaves `creating`, and the next
    # ensure finishes (or a drop removes) whatever was half made.
    creating = "creating"
    available = "available"
    suspended = "suspended"
    dropping = "dropping"
    dropped = "dropped"
    # A cloud's managed database: connection details recorded from the stack's outputs; its
    # roles are not managed by the control plane (yet).
    unmanaged = "unmanaged"


class MigrationStatus(StrEnum):
    """`tenant_migrations.status`: running → holding → completed; or failed / rolling_back →
    rolled_back / cancelled."""

    running = "running"
    holding = "holding"
    rolling_back = "rolling_back"
    completed = "completed"
    failed = "failed"
    rolled_back = "rolled_back"
    cancelled = "cancelled"


class MigrationPhase(StrEnum):
    """`tenant_migrations.phase`: the step the workflow is in (or last was in)."""

    plan = "plan"
    provision_target = "provision_target"
    copy = "copy"
    cutover = "cutover"
    hold = "hold"
    decommission = "decommission"
    rollback = "rollback"
    done = "done"


class RolloutStatus(StrEnum):
    """`rollouts.status`: running ⇄ paused, then completed, halted (budget spent), cancelled;
    rolling_back → rolled_back."""

    running = "running"
    paused = "paused"
    completed = "completed"
    halted = "halted"
    cancelled = "cancelled"
    rolling_back = "rolling_back"
    rolled_back = "rolled_back"


class RolloutTargetStatus(StrEnum):
    """`rollout_targets.status`: one stack's progress in a rollout."""

    pending = "pending"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"
    skipped = "skipped"
    cancelled = "cancelled"
    rolling_back = "rolling_back"
    rolled_back = "rolled_back"
    rollback_failed = "rollback_failed"


class DriftFindingStatus(StrEnum):
    """`drift_findings.status`."""

    open = "open"
    resolved = "resolved"
    ignored = "ignored"


class WebhookDeliveryStatus(StrEnum):
    """`webhook_deliveries.status`: pending (being tried or waiting to retry), succeeded, failed."""

    pending = "pending"
    succeeded = "succeeded"
    failed = "failed"


class SnapshotKind(StrEnum):
    """`tenant_snapshots.kind`: why the snapshot was taken."""

    on_demand = "on_demand"
    scheduled = "scheduled"
    final = "final"  # before deprovisioning drops the tenant's data
    pre_restore = "pre_restore"  # before an in-place restore overwrites it


class SnapshotStatus(StrEnum):
    """`tenant_snapshots.status`: pending → running → completed (→ purged), or failed."""

    pending = "pending"
    running = "running"
    completed = "completed"
    failed = "failed"
    purged = "purged"


class RestoreMode(StrEnum):
    """`snapshot_restores.mode`."""

    new_database = "new_database"
    in_place = "in_place"


class RestoreStatus(StrEnum):
    """`snapshot_restores.status`: pending → running → completed, or failed; a completed
    `new_database` restore → switching (the switch job runs) → switched once the tenant uses the
    restored data (a failed switch goes back to completed, with the error)."""

    pending = "pending"
    running = "running"
    completed = "completed"
    failed = "failed"
    switching = "switching"
    switched = "switched"


class ApprovalStatus(StrEnum):
    """`approvals.status`: pending until approved, rejected, expired or voided by a re-plan."""

    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    expired = "expired"
    void = "void"


class PolicyEnforcement(StrEnum):
    """What a matching policy does to a run: record it, hold it for approval, or fail it."""

    advisory = "advisory"
    approval = "approval"
    deny = "deny"
