from typing import Literal

PlanCreateEntitlementsSource = Literal["catalog", "stripe"]

PLAN_CREATE_ENTITLEMENTS_SOURCE_VALUES: set[PlanCreateEntitlementsSource] = {
    "catalog",
    "stripe",
}


def check_plan_create_entitlements_source(value: str) -> PlanCreateEntitlementsSource:
    if value in PLAN_CREATE_ENTITLEMENTS_SOURCE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PLAN_CREATE_ENTITLEMENTS_SOURCE_VALUES!r}")
