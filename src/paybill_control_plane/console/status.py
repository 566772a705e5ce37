"""The status colour language: every status of every kind maps to one of five tones."""

from __future__ import annotations

from paybill_control_plane.models.enums import (
    ApprovalStatus,
    BillingEventStatus,
    DatabaseStatus,
    DriftFindingStatus,
    MigrationStatus,
    RestoreStatus,
    RolloutStatus,
    RolloutTargetStatus,
    RunStatus,
    SnapshotStatus,
    StackStatus,
    StepStatus,
    TenantStatus,
)

# ok: settled and healthy · busy: work under way · wait: parked, needs nothing now ·
# bad: needs a person · off: gone or not applicable.
_TONES: dict[str, str] = {
    TenantStatus.active: "ok",
    TenantStatus.pending: "wait",
    TenantStatus.provisioning: "busy",
    TenantStatus.updating: "busy",
    TenantStatus.suspended: "wait",
    TenantStatus.deprovisioning: "busy",
    TenantStatus.deprovisioned: "off",
    TenantStatus.purged: "off",
    TenantStatus.failed: "bad",
    RunStatus.queued: "wait",
    RunStatus.running: "busy",
    RunStatus.retrying: "busy",
    RunStatus.succeeded: "ok",
    RunStatus.awaiting_approval: "wait",
    ApprovalStatus.approved: "ok",
    ApprovalStatus.rejected: "bad",
    ApprovalStatus.expired: "off",
    ApprovalStatus.void: "off",
    StackStatus.applying: "busy",
    StackStatus.applied: "ok",
    StackStatus.destroying: "busy",
    StackStatus.destroyed: "off",
    StepStatus.waiting: "wait",
    StepStatus.skipped: "off",
    BillingEventStatus.received: "wait",
    BillingEventStatus.processed: "ok",
    BillingEventStatus.ignored: "off",
    DatabaseStatus.creating: "busy",
    DatabaseStatus.available: "ok",
    DatabaseStatus.suspended: "wait",
    DatabaseStatus.dropping: "busy",
    SnapshotStatus.pending: "wait",  # also RestoreStatus: the same values, the same tones
    SnapshotStatus.running: "busy",
    SnapshotStatus.completed: "ok",
    SnapshotStatus.purged: "off",
    RestoreStatus.switching: "busy",
    RestoreStatus.switched: "ok",  # the tenant now uses the restored database
    MigrationStatus.holding: "wait",
    MigrationStatus.rolling_back: "busy",
    MigrationStatus.completed: "ok",
    MigrationStatus.rolled_back: "off",
    MigrationStatus.cancelled: "off",
    RolloutStatus.paused: "wait",
    RolloutStatus.halted: "bad",
    RolloutTargetStatus.rollback_failed: "bad",
    DriftFindingStatus.open: "wait",
    DriftFindingStatus.resolved: "ok",
    DriftFindingStatus.ignored: "off",
    # A migration phase's status: a worker died mid-phase; the phase is resumed.
    "interrupted": "wait",
    DatabaseStatus.unmanaged: "ok",
    DatabaseStatus.dropped: "off",
}


def status_tone(status: str | None) -> str:
    """The tone class of a status value (`failed` is `bad` for every kind)."""
    if status is None:
        return "off"
    if status == "failed":
        return "bad"
    return _TONES.get(status, "off")
