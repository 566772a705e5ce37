from typing import Literal

DriftFindingsListStatus = Literal["ignored", "open", "resolved"]

DRIFT_FINDINGS_LIST_STATUS_VALUES: set[DriftFindingsListStatus] = {
    "ignored",
    "open",
    "resolved",
}


def check_drift_findings_list_status(value: str) -> DriftFindingsListStatus:
    if value in DRIFT_FINDINGS_LIST_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DRIFT_FINDINGS_LIST_STATUS_VALUES!r}")
