from typing import Literal

RestoreOutStatus = Literal["completed", "failed", "pending", "running", "switched", "switching"]

RESTORE_OUT_STATUS_VALUES: set[RestoreOutStatus] = {
    "completed",
    "failed",
    "pending",
    "running",
    "switched",
    "switching",
}


def check_restore_out_status(value: str) -> RestoreOutStatus:
    if value in RESTORE_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RESTORE_OUT_STATUS_VALUES!r}")
