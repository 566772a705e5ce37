from typing import Literal

SnapshotOutKind = Literal["final", "on_demand", "pre_restore", "scheduled"]

SNAPSHOT_OUT_KIND_VALUES: set[SnapshotOutKind] = {
    "final",
    "on_demand",
    "pre_restore",
    "scheduled",
}


def check_snapshot_out_kind(value: str) -> SnapshotOutKind:
    if value in SNAPSHOT_OUT_KIND_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SNAPSHOT_OUT_KIND_VALUES!r}")
