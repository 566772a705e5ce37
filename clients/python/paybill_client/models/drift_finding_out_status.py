from typing import Literal

DriftFindingOutStatus = Literal["ignored", "open", "resolved"]

DRIFT_FINDING_OUT_STATUS_VALUES: set[DriftFindingOutStatus] = {
    "ignored",
    "open",
    "resolved",
}


def check_drift_finding_out_status(value: str) -> DriftFindingOutStatus:
    if value in DRIFT_FINDING_OUT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DRIFT_FINDING_OUT_STATUS_VALUES!r}")
