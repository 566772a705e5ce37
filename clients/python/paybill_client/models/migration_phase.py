from typing import Literal

MigrationPhase = Literal["copy", "cutover", "decommission", "done", "hold", "plan", "provision_target", "rollback"]

MIGRATION_PHASE_VALUES: set[MigrationPhase] = {
    "copy",
    "cutover",
    "decommission",
    "done",
    "hold",
    "plan",
    "provision_target",
    "rollback",
}


def check_migration_phase(value: str) -> MigrationPhase:
    if value in MIGRATION_PHASE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MIGRATION_PHASE_VALUES!r}")
