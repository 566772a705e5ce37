from typing import Literal

SnapshotOutStatus = Literal["completed", "failed", "pending", "purged", "running"]

SNAPSHOT_OUT_STATUS_VALUES: set[SnapshotOutStatus] = {
    "completed",
    "failed",
    "pending",
    "purged",
    "running",
}


def check_snapshot_out_status(value: str) -> SnapshotOutStatus:
    if value in SNAPSHOT_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SNAPSHOT_OUT_STATUS_VALUES!r}")
