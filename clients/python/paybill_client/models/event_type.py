from typing import Literal

EventType = Literal[
    "billing.event_failed",
    "drift.detected",
    "migration.phase_changed",
    "run.awaiting_approval",
    "run.failed",
    "run.succeeded",
    "snapshot.completed",
    "tenant.created",
    "tenant.deprovisioned",
    "tenant.failed",
    "tenant.licence_renewed",
    "tenant.provisioned",
    "tenant.resumed",
    "tenant.suspended",
    "tenant.updated",
    "webhook_endpoint.disabled",
]

EVENT_TYPE_VALUES: set[EventType] = {
    "billing.event_failed",
    "drift.detected",
    "migration.phase_changed",
    "run.awaiting_approval",
    "run.failed",
    "run.succeeded",
    "snapshot.completed",
    "tenant.created",
    "tenant.deprovisioned",
    "tenant.failed",
    "tenant.licence_renewed",
    "tenant.provisioned",
    "tenant.resumed",
    "tenant.suspended",
    "tenant.updated",
    "webhook_endpoint.disabled",
}


def check_event_type(value: str) -> EventType:
    if value in EVENT_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {EVENT_TYPE_VALUES!r}")
