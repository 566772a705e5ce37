from typing import Literal

PlanInterval = Literal["day", "month", "one_time", "week", "year"]

PLAN_INTERVAL_VALUES: set[PlanInterval] = {
    "day",
    "month",
    "one_time",
    "week",
    "year",
}


def check_plan_interval(value: str) -> PlanInterval:
    if value in PLAN_INTERVAL_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PLAN_INTERVAL_VALUES!r}")
