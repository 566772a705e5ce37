"""The status colour language: every status of every kind maps to one of five tones."""

from __future__ import annotations

from paybill_control_plane.models.enums import (
    BillingEventStatus,
    RunStatus,
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
    RunStatus.awaiting_approval: "bad",  # held until an approver decides: needs a person
    StackStatus.applying: "busy",
    StackStatus.applied: "ok",
    StackStatus.destroying: "busy",
    StackStatus.destroyed: "off",
    StepStatus.waiting: "wait",
    StepStatus.skipped: "off",
    BillingEventStatus.received: "wait",
    BillingEventStatus.processed: "ok",
    BillingEventStatus.ignored: "off",
}


def status_tone(status: str | None) -> str:
    """The tone class of a status value (`failed` is `bad` for every kind)."""
    if status is None:
        return "off"
    if status == "failed":
        return "bad"
    return _TONES.get(status, "off")
