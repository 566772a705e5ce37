from typing import Literal

SnapshotStatus = Literal["completed", "failed", "pending", "purged", "running"]

SNAPSHOT_STATUS_VALUES: set[SnapshotStatus] = {
    "completed",
    "failed",
    "pending",
    "purged",
    "running",
}


def check_snapshot_status(value: str) -> SnapshotStatus:
    if value in SNAPSHOT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SNAPSHOT_STATUS_VALUES!r}")
