from typing import Literal

StackOutKind = Literal["bridge-data", "pool", "silo"]

STACK_OUT_KIND_VALUES: set[StackOutKind] = {
    "bridge-data",
    "pool",
    "silo",
}


def check_stack_out_kind(value: str) -> StackOutKind:
    if value in STACK_OUT_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {STACK_OUT_KIND_VALUES!r}")
