from typing import Literal

RestoreOutMode = Literal["in_place", "new_database"]

RESTORE_OUT_MODE_VALUES: set[RestoreOutMode] = {
    "in_place",
    "new_database",
}


def check_restore_out_mode(value: str) -> RestoreOutMode:
    if value in RESTORE_OUT_MODE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RESTORE_OUT_MODE_VALUES!r}")
