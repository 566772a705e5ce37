from typing import Literal

EventRunStatus = Literal["awaiting_approval", "failed", "queued", "retrying", "running", "succeeded"]

EVENT_RUN_STATUS_VALUES: set[EventRunStatus] = {
    "awaiting_approval",
    "failed",
    "queued",
    "retrying",
    "running",
    "succeeded",
}


def check_event_run_status(value: str) -> EventRunStatus:
    if value in EVENT_RUN_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {EVENT_RUN_STATUS_VALUES!r}")
