from typing import Literal

RolloutTargetOutStatus = Literal[
    "cancelled",
    "failed",
    "pending",
    "rollback_failed",
    "rolled_back",
    "rolling_back",
    "running",
    "skipped",
    "succeeded",
]

ROLLOUT_TARGET_OUT_STATUS_VALUES: set[RolloutTargetOutStatus] = {
    "cancelled",
    "failed",
    "pending",
    "rollback_failed",
    "rolled_back",
    "rolling_back",
    "running",
    "skipped",
    "succeeded",
}


def check_rollout_target_out_status(value: str) -> RolloutTargetOutStatus:
    if value in ROLLOUT_TARGET_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ROLLOUT_TARGET_OUT_STATUS_VALUES!r}")
