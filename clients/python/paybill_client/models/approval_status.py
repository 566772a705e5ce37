from typing import Literal

ApprovalStatus = Literal["approved", "expired", "pending", "rejected", "void"]

APPROVAL_STATUS_VALUES: set[ApprovalStatus] = {
    "approved",
    "expired",
    "pending",
    "rejected",
    "void",
}


def check_approval_status(value: str) -> ApprovalStatus:
    if value in APPROVAL_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {APPROVAL_STATUS_VALUES!r}")
