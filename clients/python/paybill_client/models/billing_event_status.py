from typing import Literal

BillingEventStatus = Literal["failed", "ignored", "processed", "received"]

BILLING_EVENT_STATUS_VALUES: set[BillingEventStatus] = {
    "failed",
    "ignored",
    "processed",
    "received",
}


def check_billing_event_status(value: str) -> BillingEventStatus:
    if value in BILLING_EVENT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {BILLING_EVENT_STATUS_VALUES!r}")
