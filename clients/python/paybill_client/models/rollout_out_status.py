from typing import Literal

RolloutOutStatus = Literal["cancelled", "completed", "halted", "paused", "rolled_back", "rolling_back", "running"]

ROLLOUT_OUT_STATUS_VALUES: set[RolloutOutStatus] = {
    "cancelled",
    "completed",
    "halted",
    "paused",
    "rolled_back",
    "rolling_back",
    "running",
}


def check_rollout_out_status(value: str) -> RolloutOutStatus:
    if value in ROLLOUT_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ROLLOUT_OUT_STATUS_VALUES!r}")
