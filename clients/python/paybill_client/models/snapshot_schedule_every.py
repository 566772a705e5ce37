from typing import Literal

SnapshotScheduleEvery = Literal["daily", "hourly", "weekly"]

SNAPSHOT_SCHEDULE_EVERY_VALUES: set[SnapshotScheduleEvery] = {
    "daily",
    "hourly",
    "weekly",
}


def check_snapshot_schedule_every(value: str) -> SnapshotScheduleEvery:
    if value in SNAPSHOT_SCHEDULE_EVERY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SNAPSHOT_SCHEDULE_EVERY_VALUES!r}")
