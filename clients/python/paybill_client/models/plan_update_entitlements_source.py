from typing import Literal

PlanUpdateEntitlementsSource = Literal["catalog", "stripe"]

PLAN_UPDATE_ENTITLEMENTS_SOURCE_VALUES: set[PlanUpdateEntitlementsSource] = {
    "catalog",
    "stripe",
}


def check_plan_update_entitlements_source(value: str) -> PlanUpdateEntitlementsSource:
    if value in PLAN_UPDATE_ENTITLEMENTS_SOURCE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PLAN_UPDATE_ENTITLEMENTS_SOURCE_VALUES!r}")
