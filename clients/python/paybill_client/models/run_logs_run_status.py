from typing import Literal

RunLogsRunStatus = Literal["awaiting_approval", "failed", "queued", "retrying", "running", "succeeded"]

RUN_LOGS_RUN_STATUS_VALUES: set[RunLogsRunStatus] = {
    "awaiting_approval",
    "failed",
    "queued",
    "retrying",
    "running",
    "succeeded",
}


def check_run_logs_run_status(value: str) -> RunLogsRunStatus:
    if value in RUN_LOGS_RUN_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RUN_LOGS_RUN_STATUS_VALUES!r}")
