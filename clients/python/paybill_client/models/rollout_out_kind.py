from typing import Literal

RolloutOutKind = Literal["module", "schema"]

ROLLOUT_OUT_KIND_VALUES: set[RolloutOutKind] = {
    "module",
    "schema",
}


def check_rollout_out_kind(value: str) -> RolloutOutKind:
    if value in ROLLOUT_OUT_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ROLLOUT_OUT_KIND_VALUES!r}")
