from typing import Literal

RestoreCreateMode = Literal["in_place", "new_database"]

RESTORE_CREATE_MODE_VALUES: set[RestoreCreateMode] = {
    "in_place",
    "new_database",
}


def check_restore_create_mode(value: str) -> RestoreCreateMode:
    if value in RESTORE_CREATE_MODE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RESTORE_CREATE_MODE_VALUES!r}")
