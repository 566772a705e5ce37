from typing import Literal

TenantOutDesiredState = Literal["active", "deprovisioned", "suspended"]

TENANT_OUT_DESIRED_STATE_VALUES: set[TenantOutDesiredState] = {
    "active",
    "deprovisioned",
    "suspended",
}


def check_tenant_out_desired_state(value: str) -> TenantOutDesiredState:
    if value in TENANT_OUT_DESIRED_STATE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TENANT_OUT_DESIRED_STATE_VALUES!r}")
