from typing import Literal

RolloutDetailKind = Literal["module", "schema"]

ROLLOUT_DETAIL_KIND_VALUES: set[RolloutDetailKind] = {
    "module",
    "schema",
}


def check_rollout_detail_kind(value: str) -> RolloutDetailKind:
    if value in ROLLOUT_DETAIL_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ROLLOUT_DETAIL_KIND_VALUES!r}")
