from typing import Literal

TenantOutSuspendedByType0 = Literal["billing", "operator"]

TENANT_OUT_SUSPENDED_BY_TYPE_0_VALUES: set[TenantOutSuspendedByType0] = {
    "billing",
    "operator",
}


def check_tenant_out_suspended_by_type_0(value: str) -> TenantOutSuspendedByType0:
    if value in TENANT_OUT_SUSPENDED_BY_TYPE_0_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {TENANT_OUT_SUSPENDED_BY_TYPE_0_VALUES!r}")
