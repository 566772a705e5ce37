from typing import Literal

DatabaseStatus = Literal["available", "creating", "dropped", "dropping", "suspended", "unmanaged"]

DATABASE_STATUS_VALUES: set[DatabaseStatus] = {
    "available",
    "creating",
    "dropped",
    "dropping",
    "suspended",
    "unmanaged",
}


def check_database_status(value: str) -> DatabaseStatus:
    if value in DATABASE_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DATABASE_STATUS_VALUES!r}")
