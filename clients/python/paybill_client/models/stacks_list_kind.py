from typing import Literal

StacksListKind = Literal["bridge-data", "pool", "silo"]

STACKS_LIST_KIND_VALUES: set[StacksListKind] = {
    "bridge-data",
    "pool",
    "silo",
}


def check_stacks_list_kind(value: str) -> StacksListKind:
    if value in STACKS_LIST_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {STACKS_LIST_KIND_VALUES!r}")
