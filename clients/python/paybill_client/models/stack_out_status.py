from typing import Literal

StackOutStatus = Literal["applied", "applying", "destroyed", "destroying", "failed", "pending"]

STACK_OUT_STATUS_VALUES: set[StackOutStatus] = {
    "applied",
    "applying",
    "destroyed",
    "destroying",
    "failed",
    "pending",
}


def check_stack_out_status(value: str) -> StackOutStatus:
    if value in STACK_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {STACK_OUT_STATUS_VALUES!r}")
