from typing import Literal

MigrationStatus = Literal["cancelled", "completed", "failed", "holding", "rolled_back", "rolling_back", "running"]

MIGRATION_STATUS_VALUES: set[MigrationStatus] = {
    "cancelled",
    "completed",
    "failed",
    "holding",
    "rolled_back",
    "rolling_back",
    "running",
}


def check_migration_status(value: str) -> MigrationStatus:
    if value in MIGRATION_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MIGRATION_STATUS_VALUES!r}")
