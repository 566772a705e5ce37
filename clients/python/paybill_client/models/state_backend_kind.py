from typing import Literal

StateBackendKind = Literal["azurerm", "gcs", "pg", "s3"]

STATE_BACKEND_KIND_VALUES: set[StateBackendKind] = {
    "azurerm",
    "gcs",
    "pg",
    "s3",
}


def check_state_backend_kind(value: str) -> StateBackendKind:
    if value in STATE_BACKEND_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {STATE_BACKEND_KIND_VALUES!r}")
