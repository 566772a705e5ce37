from typing import Literal

RolloutDetailStatus = Literal["cancelled", "completed", "halted", "paused", "rolled_back", "rolling_back", "running"]

ROLLOUT_DETAIL_STATUS_VALUES: set[RolloutDetailStatus] = {
    "cancelled",
    "completed",
    "halted",
    "paused",
    "rolled_back",
    "rolling_back",
    "running",
}


def check_rollout_detail_status(value: str) -> RolloutDetailStatus:
    if value in ROLLOUT_DETAIL_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ROLLOUT_DETAIL_STATUS_VALUES!r}")
