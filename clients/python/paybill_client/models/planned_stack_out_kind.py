from typing import Literal

PlannedStackOutKind = Literal["bridge-data", "pool", "silo"]

PLANNED_STACK_OUT_KIND_VALUES: set[PlannedStackOutKind] = {
    "bridge-data",
    "pool",
    "silo",
}


def check_planned_stack_out_kind(value: str) -> PlannedStackOutKind:
    if value in PLANNED_STACK_OUT_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PLANNED_STACK_OUT_KIND_VALUES!r}")
